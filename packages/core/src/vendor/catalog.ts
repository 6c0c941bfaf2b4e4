import { z } from "zod";

export namespace VendorCatalog {
  export const Plan = z.object({
    id: z.string(),
    name: z.string(),
    amount: z.number().int().min(0),
    currency: z.enum(["usd", "eur", "gbp"]),
    interval: z.enum(["month", "year"]).nullable(),
  });
  export type Plan = z.infer<typeof Plan>;

  export const Entry = z.object({
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    /** Regex source the merchant name of every card authorization must match. */
    merchantDescriptor: z.string(),
    plans: z.array(Plan),
    goals: z.array(z.enum(["account", "api_key", "subscription"])),
    /** Regex source of the vendor's API key format. */
    keyPattern: z.string(),
  });
  export type Entry = z.infer<typeof Entry>;

  const entries: readonly Entry[] = [
    {
      slug: "nimbus-db",
      name: "Nimbus DB",
      description: "Serverless Postgres with a free plan; 6-digit email code, API key shown once.",
      merchantDescriptor: "^NIMBUSDB\\*",
      plans: [{ id: "free", name: "Free", amount: 0, currency: "usd", interval: null }],
      goals: ["account", "api_key"],
      keyPattern: "^nmb_live_[A-Za-z0-9]{32}$",
    },
    {
      slug: "relay-mail",
      name: "Relay Mail",
      description: "Transactional email API; verification link, paid plan, card form in an iframe.",
      merchantDescriptor: "^RELAYMAIL\\*",
      plans: [
        { id: "free", name: "Free", amount: 0, currency: "usd", interval: null },
        { id: "starter", name: "Starter", amount: 1500, currency: "usd", interval: "month" },
      ],
      goals: ["account", "api_key", "subscription"],
      keyPattern: "^rm_[A-Za-z0-9]{40}$",
    },
    {
      slug: "pixel-cdn",
      name: "Pixel CDN",
      description: "Image CDN; cookie banner, newsletter popup, login path for existing accounts.",
      merchantDescriptor: "^PIXELCDN\\*",
      plans: [
        { id: "free", name: "Free", amount: 0, currency: "usd", interval: null },
        { id: "pro", name: "Pro", amount: 900, currency: "usd", interval: "month" },
      ],
      goals: ["account", "api_key", "subscription"],
      keyPattern: "^pcdn-[0-9a-f]{40}$",
    },
    {
      slug: "wobbly-crm",
      name: "Wobbly CRM",
      description: "A flaky CRM: slow pages, intermittent 500s, sometimes a CAPTCHA.",
      merchantDescriptor: "^WOBBLYCRM\\*",
      plans: [{ id: "free", name: "Free", amount: 0, currency: "usd", interval: null }],
      goals: ["account", "api_key"],
      keyPattern: "^wob_[a-z0-9]{32}$",
    },
  ];

  export function list(): Entry[] {
    return entries.map((e) => structuredClone(e));
  }

  export function bySlug(slug: string): Entry | undefined {
    const found = entries.find((e) => e.slug === slug);
    return found ? structuredClone(found) : undefined;
  }

  /**
   * The merchant-name pattern for a job's vendor: the catalog's descriptor for a known slug, otherwise one
   * derived from the URL's registrable name (https://app.resend.com → /RESEND/i).
   */
  export function descriptorFor(vendor: string): RegExp {
    const known = bySlug(vendor);
    if (known) return new RegExp(known.merchantDescriptor, "i");
    let host = vendor;
    try {
      host = new URL(vendor).hostname;
    } catch {}
    const labels = host.split(".").filter(Boolean);
    const name = (labels.length >= 2 ? labels[labels.length - 2] : labels[0]) ?? host;
    return new RegExp(name.replace(/[^a-z0-9]/gi, "").toUpperCase() || "^$", "i");
  }
}

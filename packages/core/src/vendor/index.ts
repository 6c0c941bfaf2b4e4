import { z } from "zod";

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export namespace Vendor {
  /** Only the local runtime sets this; deployed stages never allow plain-http loopback vendors. */
  export function loopbackAllowed(): boolean {
    return process.env.FG_ALLOW_LOOPBACK_VENDORS === "1";
  }

  function isAllowedUrl(value: string): boolean {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    if (url.protocol === "https:") return true;
    return url.protocol === "http:" && loopbackAllowed() && LOOPBACK_HOSTS.has(url.hostname);
  }

  /** A known vendor slug, or the URL of any vendor (handled by the generic skill). */
  export const Ref = z
    .string()
    .trim()
    .min(1)
    .max(2048)
    .refine((value) => SLUG.test(value) || isAllowedUrl(value), {
      message: "must be a vendor slug (like nimbus-db) or an https:// URL",
    });
  export type Ref = z.infer<typeof Ref>;

  export function isUrl(ref: string): boolean {
    return !SLUG.test(ref);
  }
}

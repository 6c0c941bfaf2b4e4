import { VendorCatalog } from "@fg/core/vendor/catalog";
import { cardNetwork } from "./card-network.ts";
import { generic } from "./generic.ts";
import { nimbusDb } from "./nimbus-db.ts";
import { pixelCdn } from "./pixel-cdn.ts";
import { relayMail } from "./relay-mail.ts";
import type { Skill } from "./skill.ts";
import { wobblyCrm } from "./wobbly-crm.ts";

export type { Skill } from "./skill.ts";
export { cardNetwork, generic };

const vendorSkills: Record<string, Skill> = {
  "nimbus-db": nimbusDb,
  "relay-mail": relayMail,
  "pixel-cdn": pixelCdn,
  "wobbly-crm": wobblyCrm,
};

export function skillsEnabled(): boolean {
  return process.env.FG_SKILLS !== "off";
}

/**
 * The skill for a job's vendor: the vendor's own file merged with its catalog entry (key format,
 * merchant descriptor), or the generic fallback for URLs, unknown slugs and FG_SKILLS=off.
 */
export function skillFor(vendor: string): Skill {
  if (!skillsEnabled()) return generic;
  const skill = vendorSkills[vendor];
  if (!skill) return generic;
  const entry = VendorCatalog.bySlug(vendor);
  return {
    ...skill,
    hints: { ...generic.hints, ...cardNetwork.hints, ...skill.hints },
    ...(entry && !skill.keyPattern ? { keyPattern: new RegExp(entry.keyPattern) } : {}),
    ...(entry ? { merchantDescriptor: entry.merchantDescriptor } : {}),
  };
}

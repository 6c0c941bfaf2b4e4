import { decodeEntities } from "./html-text.ts";

export interface LinkSource {
  text?: string;
  html?: string;
}

const STRONG_ACTION = /confirm|verif|activat|validat/i;
const WEAK_ACTION = /magic|sign[-_]?in|login|reset|token/i;
const NOISE =
  /unsubscribe|preferences|privacy|terms|support|help|docs|\/(?:logo|pixel|open|track)\b|\.(?:png|jpe?g|gif|svg|css)(?:$|\?)/i;
const ANCHOR_ACTION = /confirm|verify|activate|validate|get started|sign in|log in|reset/i;

interface Candidate {
  url: URL;
  anchor: string;
  order: number;
}

/**
 * Picks the verification link of a mail. Eligible links look like an action (confirm, verify, activate,
 * sign-in, reset…) in their URL or anchor text; among them links on the vendor's host win, then
 * confirm/verify/activate in the URL, then weaker URL words, then anchor words, then order. HTML entities in hrefs are decoded. Undefined when no link is eligible.
 */
export function extractLink(message: LinkSource, options: { vendorHost?: string } = {}): string | undefined {
  const candidates = collect(message);
  const vendor = options.vendorHost?.toLowerCase();
  let best: { candidate: Candidate; rank: number[] } | undefined;
  for (const candidate of candidates) {
    const target = candidate.url.pathname + candidate.url.search;
    if (NOISE.test(target)) continue;
    const strong = STRONG_ACTION.test(target);
    const weak = WEAK_ACTION.test(target);
    const anchorAction = ANCHOR_ACTION.test(candidate.anchor);
    if (!strong && !weak && !anchorAction) continue;
    const onVendor = vendor ? hostMatches(candidate.url, vendor) : false;
    const rank = [onVendor ? 1 : 0, strong ? 1 : 0, weak ? 1 : 0, anchorAction ? 1 : 0, -candidate.order];
    if (!best || compare(rank, best.rank) > 0) best = { candidate, rank };
  }
  return best?.candidate.url.href;
}

function collect(message: LinkSource): Candidate[] {
  const found: Candidate[] = [];
  const add = (raw: string, anchor: string) => {
    const cleaned = decodeEntities(raw.trim()).replace(/[.,;:!?)\]]+$/, "");
    let url: URL;
    try {
      url = new URL(cleaned);
    } catch {
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return;
    const existing = found.find((c) => c.url.href === url.href);
    if (existing) {
      if (!existing.anchor && anchor) existing.anchor = anchor;
      return;
    }
    found.push({ url, anchor, order: found.length });
  };
  if (message.html) {
    const anchors = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi;
    for (const m of message.html.matchAll(anchors)) {
      const anchor = decodeEntities((m[4] ?? "").replace(/<[^>]+>/g, " "))
        .replace(/\s+/g, " ")
        .trim();
      add(m[1] ?? m[2] ?? m[3] ?? "", anchor);
    }
  }
  for (const source of [message.text ?? "", message.html ? stripTags(message.html) : ""]) {
    for (const m of source.matchAll(/https?:\/\/[^\s<>"'\]]+/g)) add(m[0], "");
  }
  return found;
}

function stripTags(html: string): string {
  return html.replace(/<[^>]+>/g, " ");
}

function hostMatches(url: URL, vendor: string): boolean {
  if (vendor.includes(":")) return url.host.toLowerCase() === vendor;
  const host = url.hostname.toLowerCase();
  return host === vendor || host.endsWith(`.${vendor}`);
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

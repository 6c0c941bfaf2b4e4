/**
 * The textual forms a secret value takes once it leaves our hands: as typed, inside a URL or form
 * body, inside a JSON string, and (for card numbers) grouped with spaces or dashes.
 */

// Redacting shorter values would rewrite every coincidental occurrence ("123" inside timestamps,
// amounts and ids), which ruins the logs and, worse, marks exactly where the value occurs: a
// redacted "2025-{{CARD_CVC}}..." tells the reader the CVC. Short values (a CVC) stay resolvable
// but are kept out of text by construction: they are only ever handled as {{NAME}} references.
export const MIN_REDACTED_LENGTH = 4;

const PAN = /^[0-9](?:[ -]?[0-9]){11,18}$/;
const SEPARATOR = "(?:[\\s-]|%20|\\+){0,3}";

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function safeEncodeURIComponent(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    // Lone surrogates cannot be URL-encoded, so no such form can exist in text either.
    return undefined;
  }
}

function formEncode(text: string): string | undefined {
  try {
    return new URLSearchParams({ v: text }).toString().slice(2);
  } catch {
    return undefined;
  }
}

/** Hex escapes match in either case (%2f and %2F), everything else literally. */
function urlPattern(encoded: string): string {
  return encoded
    .split(/(%[0-9A-F]{2})/)
    .map((part) =>
      /^%[0-9A-F]{2}$/.test(part)
        ? `%(?:${part.slice(1)}|${part.slice(1).toLowerCase()})`
        : escapeRegExp(part),
    )
    .join("");
}

export interface Pattern {
  source: string;
  /** Length of the text it matches; longer forms are tried first so a longer secret wins. */
  weight: number;
}

/** Regex sources matching every form of `value`. */
export function patternsFor(value: string): Pattern[] {
  const forms = new Map<string, number>();
  const add = (source: string, weight: number) => {
    if (!forms.has(source)) forms.set(source, weight);
  };
  add(escapeRegExp(value), value.length);
  const json = JSON.stringify(value).slice(1, -1);
  add(escapeRegExp(json), json.length);
  // A JSON string inside a JSON string (a serialized payload in a log field).
  const json2 = JSON.stringify(json).slice(1, -1);
  add(escapeRegExp(json2), json2.length);
  for (const encoded of [safeEncodeURIComponent(value), formEncode(value)]) {
    if (encoded && encoded !== value) add(urlPattern(encoded), encoded.length);
  }
  if (PAN.test(value)) {
    const digits = value.replace(/\D/g, "");
    add(digits.split("").join(SEPARATOR), digits.length);
  }
  return [...forms.entries()].map(([source, weight]) => ({ source, weight }));
}

import { htmlToText } from "./html-text.ts";

export interface CodeSource {
  subject?: string;
  text?: string;
  html?: string;
}

const KEYWORD =
  /\b(?:code|pin|otp|passcode|one[- ]time|verification|confirmation|security|token|2fa|mfa)\b|\bcódigo\b|\bcode de\b/i;
// Whole tokens only: 4–10 alphanumerics, two hyphen- or space-joined groups of 3–5 (K7Q2-M9XD, 123 456).
const CANDIDATE = /(?<![\w.@/:-])([A-Za-z0-9]{3,5}[- ][A-Za-z0-9]{3,5}|[A-Za-z0-9]{4,10})(?![\w@-]|\.\w)/g;
const URL_OR_ADDRESS = /\b(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;
const LETTER_CODE_AFTER_KEYWORD = /\b(?:code|pin|passcode)\s*(?:is|:)\s*([A-Z]{5,10})\b/;
const YEAR = /^(?:19|20)\d\d$/;

interface Scored {
  value: string;
  score: number;
  order: number;
}

/**
 * Finds the verification code in a mail: numeric (482913, 123-456) or alphanumeric (K7Q2MX9D, K7Q2-M9XD).
 * Candidates are scored by closeness to words like "code" or "verification", by standing alone on a line,
 * and by looking like a code; the subject is read before the body. Undefined when nothing looks like one.
 */
export function extractCode(message: CodeSource): string | undefined {
  const body = message.text?.trim() ? message.text : message.html ? htmlToText(message.html) : "";
  const scored: Scored[] = [];
  let order = 0;
  for (const source of [message.subject ?? "", body]) {
    for (const rawLine of source.split(/\r?\n/)) {
      const line = rawLine.replace(URL_OR_ADDRESS, (m) => " ".repeat(m.length));
      const letterCode = LETTER_CODE_AFTER_KEYWORD.exec(line);
      if (letterCode?.[1]) scored.push({ value: letterCode[1], score: 12, order: order++ });
      for (const match of line.matchAll(CANDIDATE)) {
        const token = match[1] ?? "";
        const score = scoreToken(token, line, match.index ?? 0);
        if (score !== undefined) scored.push({ value: normalize(token), score, order: order++ });
      }
    }
  }
  const best = scored.sort((a, b) => b.score - a.score || a.order - b.order)[0];
  return best && best.score >= 5 ? best.value : undefined;
}

function scoreToken(token: string, line: string, index: number): number | undefined {
  const compact = token.replace(/[- ]/g, "");
  const digits = compact.replace(/\D/g, "").length;
  if (digits === 0) return undefined;
  if (compact.length > 10) return undefined;
  const allDigits = digits === compact.length;
  const upperMix = /^[A-Z0-9]+$/.test(compact);
  if (!allDigits && !upperMix && digits < 2) return undefined;
  let score = 0;
  const before = line.slice(Math.max(0, index - 60), index);
  const after = line.slice(index + token.length, index + token.length + 40);
  if (KEYWORD.test(before)) score += 10;
  else if (KEYWORD.test(after)) score += 8;
  if (line.trim() === token) score += 5;
  if (compact.length === 6) score += 3;
  else if (compact.length >= 5 && compact.length <= 8) score += 1;
  if (allDigits || upperMix) score += 2;
  if (allDigits && YEAR.test(compact)) score -= 8;
  if (/[$€£]\s*$/.test(before) || /^\s*(?:%|usd|eur|cents?|minutes?|hours?|days?)\b/i.test(after)) score -= 8;
  return score;
}

function normalize(token: string): string {
  return /^\d{3,5}[- ]\d{3,5}$/.test(token) ? token.replace(/[- ]/g, "") : token;
}

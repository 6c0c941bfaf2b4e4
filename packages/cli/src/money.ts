import { usage } from "./errors.ts";

export type Currency = "usd" | "eur" | "gbp";
export const CURRENCIES: readonly Currency[] = ["usd", "eur", "gbp"];

const SYMBOLS: Record<string, string> = { usd: "$", eur: "€", gbp: "£" };

/** "20" → 2000, "19.99" → 1999, "$5" → 500: amounts on the command line are in major units. */
export function parseAmount(text: string, what = "amount"): number {
  const trimmed = text.trim().replace(/^[$€£]/, "");
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(trimmed);
  if (!match) {
    throw usage(
      `${what} must be a number of dollars with at most two decimals, like 20 or 19.99 (got "${text}")`,
    );
  }
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? "0").padEnd(2, "0"));
  return whole * 100 + fraction;
}

export function parseCurrency(text: string): Currency {
  const lower = text.trim().toLowerCase();
  if (!(CURRENCIES as readonly string[]).includes(lower)) {
    throw usage(`currency must be one of ${CURRENCIES.join(", ")} (got "${text}")`);
  }
  return lower as Currency;
}

/** 2000 → "$20.00". */
export function formatMoney(cents: number, currency = "usd"): string {
  const symbol = SYMBOLS[currency.toLowerCase()];
  const amount = (Math.abs(cents) / 100).toFixed(2);
  const sign = cents < 0 ? "-" : "";
  return symbol ? `${sign}${symbol}${amount}` : `${sign}${amount} ${currency.toUpperCase()}`;
}

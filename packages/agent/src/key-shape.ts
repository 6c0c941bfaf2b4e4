import type { SecretRegistry } from "@fg/core/secret/index";

// Prefixed keys (sk_live_…, nmb_…, wob-ABCD…) and long bare tokens with letters and digits.
const PREFIXED =
  /(?<![A-Za-z0-9_-])[A-Za-z][A-Za-z0-9]{1,11}[_-](?:[A-Za-z0-9]+[_-])*[A-Za-z0-9]{12,}(?![A-Za-z0-9_-])/g;
const BARE = /(?<![A-Za-z0-9_-])(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{28,}(?![A-Za-z0-9_-])/g;

function secretShaped(token: string): boolean {
  const body = token.replace(/^[A-Za-z][A-Za-z0-9]{1,11}[_-]/, "");
  return /\d/.test(body) && /[A-Za-z]/.test(body) && body.replace(/[_-]/g, "").length >= 12;
}

/**
 * A key shown on a page is a secret before anyone extracts it. Anything shaped like one is registered
 * (as SECRET) and so redacted from what planners, events and traces see.
 */
export function scrubKeyCandidates(text: string, secrets: SecretRegistry): string {
  for (const re of [PREFIXED, BARE]) {
    for (const match of text.matchAll(re)) {
      const token = match[0];
      if (secretShaped(token) && !/^(?:aria|data|ref|f\d+e\d+)/.test(token))
        secrets.register("SECRET", token);
    }
  }
  return secrets.redact(text);
}

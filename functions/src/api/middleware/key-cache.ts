import { type Actor, ApiKey } from "@fg/core";
import { singleFlight } from "@fg/core/util/single-flight";

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  actor: Actor.Account;
  until: number;
}

const entries = new Map<string, Entry>();
const verifying = singleFlight<Actor.Account | undefined>();
/** Bumped by every revocation here, so a verification that raced one is not trusted. */
let generation = 0;

/**
 * Verified keys are remembered for a few seconds so a hot client does not cost a DynamoDB query per
 * request. A revocation through this instance takes effect at once; through another, within TTL_MS.
 * Entries are keyed by the key's hash, never the secret. When an entry expires under load, the
 * requests that find it expired wait for one verification instead of each running their own.
 */
export async function verifyCached(secret: string): Promise<Actor.Account | undefined> {
  const hash = ApiKey.hash(secret);
  const hit = entries.get(hash);
  if (hit && hit.until > Date.now()) return hit.actor;
  const started = generation;
  let actor = await verifying(hash, () => ApiKey.verify({ secret }));
  if (generation !== started) actor = await ApiKey.verify({ secret });
  if (!actor) {
    entries.delete(hash);
    return undefined;
  }
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(hash, { actor, until: Date.now() + TTL_MS });
  return actor;
}

export function forgetKey(apiKeyId: string): void {
  generation++;
  for (const [hash, entry] of entries) {
    if (entry.actor.properties.apiKeyId === apiKeyId) entries.delete(hash);
  }
}

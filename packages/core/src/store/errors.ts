import { VisibleError } from "../util/error.ts";

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 5) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** True when DynamoDB rejected a write because its condition did not hold (also inside a transaction). */
export function isConditionalFailure(error: unknown): boolean {
  return causes(error).some((e) => {
    const name = (e as { name?: string }).name;
    if (name === "ConditionalCheckFailedException") return true;
    if (name === "TransactionCanceledException") {
      const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      return reasons.some((r) => r.Code === "ConditionalCheckFailed");
    }
    return false;
  });
}

/** Runs a conditional write and turns a lost condition into a user-facing conflict. */
export async function conflictOnCondition<T>(
  write: () => Promise<T>,
  code: string,
  message: string,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isConditionalFailure(error)) throw new VisibleError("conflict", code, message);
    throw error;
  }
}

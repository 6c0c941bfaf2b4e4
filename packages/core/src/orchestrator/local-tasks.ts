import { randomBytes } from "node:crypto";
import { isConditionalFailure } from "../store/errors.ts";
import { TaskGoneError } from "./port.ts";
import { TaskTokenEntity } from "./task-token.entity.ts";

export type TaskOutcome =
  | { status: "succeeded"; output: unknown }
  | { status: "failed"; error: string; cause: string };

export class TaskTimeoutError extends Error {
  constructor(readonly kind: "States.Timeout" | "States.HeartbeatTimeout") {
    super(
      kind === "States.Timeout" ? "The task did not finish in time" : "The task stopped sending heartbeats",
    );
    this.name = kind;
  }
}

const POLL_MS = 200;

/** Task tokens for the local runtime, with Step Functions' semantics: one report wins, late reports are refused. */
export namespace LocalTasks {
  export async function mint(input: { accountId: string; jobId: string; state: string }): Promise<string> {
    const token = `tt_${randomBytes(24).toString("base64url")}`;
    const now = new Date().toISOString();
    await TaskTokenEntity.create({
      token,
      ...input,
      status: "waiting",
      heartbeatAt: now,
      createdAt: now,
      expiresAt: Math.floor(Date.now() / 1000) + 7 * 86_400,
    }).go();
    return token;
  }

  async function settle(token: string, set: Record<string, unknown>): Promise<void> {
    try {
      await TaskTokenEntity.patch({ token })
        .set(set)
        .where((a, op) => op.eq(a.status, "waiting"))
        .go();
    } catch (error) {
      if (isConditionalFailure(error)) throw new TaskGoneError("The task is no longer waiting for a result");
      throw error;
    }
  }

  export const succeed = (token: string, output: unknown) =>
    settle(token, { status: "succeeded", output: (output ?? {}) as object });
  export const fail = (token: string, error: string, cause: string) =>
    settle(token, { status: "failed", error, cause });
  export const heartbeat = (token: string) => settle(token, { heartbeatAt: new Date().toISOString() });
  /** Stops a wait from being satisfied later (timeout, cancel): later reports get TaskGoneError. */
  export const abandon = (token: string) => settle(token, { status: "abandoned" }).catch(() => undefined);

  /** Waits for a report, enforcing the state's TimeoutSeconds and HeartbeatSeconds like Step Functions does. */
  export async function wait(
    token: string,
    options: { timeoutSeconds?: number; heartbeatSeconds?: number; signal?: AbortSignal },
  ): Promise<TaskOutcome> {
    const started = Date.now();
    for (;;) {
      options.signal?.throwIfAborted();
      const found = await TaskTokenEntity.get({ token }).go({ consistent: true });
      const task = found.data;
      if (!task) throw new TaskGoneError("Unknown task token");
      if (task.status === "succeeded") return { status: "succeeded", output: task.output };
      if (task.status === "failed")
        return { status: "failed", error: task.error ?? "Error", cause: task.cause ?? "" };
      if (task.status === "abandoned") throw new TaskGoneError("The task was abandoned");
      const now = Date.now();
      if (options.timeoutSeconds && now - started > options.timeoutSeconds * 1000) {
        await abandon(token);
        throw new TaskTimeoutError("States.Timeout");
      }
      if (options.heartbeatSeconds && now - Date.parse(task.heartbeatAt) > options.heartbeatSeconds * 1000) {
        await abandon(token);
        throw new TaskTimeoutError("States.HeartbeatTimeout");
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

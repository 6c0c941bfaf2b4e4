import { describe, expect, it } from "vitest";
import { createLocalOrchestrator, LocalTasks, TaskTimeoutError } from "../src/orchestrator/index.ts";
import { orchestratorContract } from "../src/orchestrator/orchestrator.contract.ts";

orchestratorContract("local (task tokens in DynamoDB Local)", async () => {
  const started = new Set<string>();
  const outcomes = new Map<string, Promise<unknown>>();
  return {
    orchestrator: createLocalOrchestrator({
      start: async ({ jobId }) => {
        const alreadyStarted = started.has(jobId);
        started.add(jobId);
        return { alreadyStarted };
      },
    }),
    async waitingToken() {
      const token = await LocalTasks.mint({ accountId: "acct_1", jobId: "job_1", state: "RunBrowserTask" });
      outcomes.set(
        token,
        LocalTasks.wait(token, { timeoutSeconds: 30 }).catch((e: Error) => ({
          status: "error",
          error: e.name,
        })),
      );
      return token;
    },
    outcome: (token) => outcomes.get(token) as never,
  };
});

describe("LocalTasks.wait", () => {
  it("times out like TimeoutSeconds and refuses the late report", async () => {
    const token = await LocalTasks.mint({ accountId: "acct_1", jobId: "job_1", state: "WaitForApproval" });
    await expect(LocalTasks.wait(token, { timeoutSeconds: 0.3 })).rejects.toBeInstanceOf(TaskTimeoutError);
    await expect(LocalTasks.succeed(token, {})).rejects.toThrow(/no longer waiting/);
  });

  it("fails a silent task like HeartbeatSeconds, and keeps a heartbeating one alive", async () => {
    const silent = await LocalTasks.mint({ accountId: "acct_1", jobId: "job_1", state: "RunBrowserTask" });
    await expect(LocalTasks.wait(silent, { heartbeatSeconds: 0.3 })).rejects.toMatchObject({
      name: "States.HeartbeatTimeout",
    });

    const alive = await LocalTasks.mint({ accountId: "acct_1", jobId: "job_1", state: "RunBrowserTask" });
    const beating = setInterval(() => LocalTasks.heartbeat(alive).catch(() => undefined), 100);
    setTimeout(() => void LocalTasks.succeed(alive, { ok: true }), 900);
    try {
      expect(await LocalTasks.wait(alive, { heartbeatSeconds: 0.5 })).toEqual({
        status: "succeeded",
        output: { ok: true },
      });
    } finally {
      clearInterval(beating);
    }
  });

  it("stops waiting when aborted", async () => {
    const token = await LocalTasks.mint({ accountId: "acct_1", jobId: "job_1", state: "RunBrowserTask" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("canceled")), 200);
    await expect(LocalTasks.wait(token, { signal: controller.signal })).rejects.toThrow("canceled");
  });
});

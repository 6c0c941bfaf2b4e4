import { describe, expect, it } from "vitest";
import { type Orchestrator, TaskGoneError } from "./port.ts";

export interface OrchestratorHarness {
  orchestrator: Orchestrator;
  /** A token some state is waiting on, as the engine would hand it to a task. */
  waitingToken(): Promise<string>;
  /** What the waiting state received, if anything. */
  outcome(token: string): Promise<{ status: string; output?: unknown; error?: string } | undefined>;
}

export function orchestratorContract(name: string, make: () => Promise<OrchestratorHarness>) {
  describe(`Orchestrator: ${name}`, () => {
    it("starts one execution per job however often it is asked", async () => {
      const { orchestrator } = await make();
      const first = await orchestrator.start({
        jobId: "job_01JAAAAAAAAAAAAAAAAAAAAAAA",
        accountId: "acct_1",
      });
      const second = await orchestrator.start({
        jobId: "job_01JAAAAAAAAAAAAAAAAAAAAAAA",
        accountId: "acct_1",
      });
      expect(first.alreadyStarted).toBe(false);
      expect(second).toEqual({ executionId: first.executionId, alreadyStarted: true });
    });

    it("delivers a task's success output to the waiting state", async () => {
      const { orchestrator, waitingToken, outcome } = await make();
      const token = await waitingToken();
      await orchestrator.sendTaskHeartbeat(token);
      await orchestrator.sendTaskSuccess(token, { credentialIds: ["cred_1"], spent: 1500 });
      expect(await outcome(token)).toMatchObject({
        status: "succeeded",
        output: { credentialIds: ["cred_1"], spent: 1500 },
      });
    });

    it("delivers a task's failure with its error name", async () => {
      const { orchestrator, waitingToken, outcome } = await make();
      const token = await waitingToken();
      await orchestrator.sendTaskFailure(token, "Worker.Crashed", "browser exited");
      expect(await outcome(token)).toMatchObject({ status: "failed", error: "Worker.Crashed" });
    });

    it("refuses a second report and reports on unknown tokens as gone", async () => {
      const { orchestrator, waitingToken } = await make();
      const token = await waitingToken();
      await orchestrator.sendTaskSuccess(token, {});
      await expect(orchestrator.sendTaskSuccess(token, {})).rejects.toBeInstanceOf(TaskGoneError);
      await expect(orchestrator.sendTaskHeartbeat(token)).rejects.toBeInstanceOf(TaskGoneError);
      await expect(orchestrator.sendTaskHeartbeat("tt_unknown")).rejects.toBeInstanceOf(TaskGoneError);
    });
  });
}

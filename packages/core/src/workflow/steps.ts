import { Actor } from "../actor/index.ts";
import { Config } from "../config.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { StepRecordEntity } from "./step-record.entity.ts";

export namespace StepRecord {
  /**
   * Runs a workflow step at most once per job: a step that already completed returns its recorded result.
   * `run` must itself be idempotent (money steps carry idempotency keys), because a crash between its side
   * effect and the record means it runs again; recording only makes the replay cheap and deterministic.
   */
  export async function once<T>(jobId: string, step: string, run: () => Promise<T>): Promise<T> {
    const accountId = Actor.accountId();
    const recorded = await StepRecordEntity.get({ accountId, jobId, step }).go({ consistent: true });
    if (recorded.data) return recorded.data.result as T;
    const result = await run();
    const expiresAt = Math.floor(Date.now() / 1000) + Config.get().FG_JOB_RETENTION_DAYS * 86_400;
    try {
      await StepRecordEntity.create({
        accountId,
        jobId,
        step,
        result: (result ?? null) as object,
        recordedAt: new Date().toISOString(),
        expiresAt,
      }).go();
      return result;
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      const winner = await StepRecordEntity.get({ accountId, jobId, step }).go({ consistent: true });
      return winner.data?.result as T;
    }
  }

  export async function list(jobId: string): Promise<{ step: string; recordedAt: string }[]> {
    const accountId = Actor.accountId();
    const result = await StepRecordEntity.query.byJob({ accountId, jobId }).go({ pages: "all" });
    return result.data.map((r) => ({ step: r.step, recordedAt: r.recordedAt }));
  }
}

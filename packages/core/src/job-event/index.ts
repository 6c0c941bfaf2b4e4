import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Config } from "../config.ts";
import { JobEntity } from "../job/job.entity.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { JobEventEntity } from "./job-event.entity.ts";

const MAX_APPEND_ATTEMPTS = 25;

export namespace JobEvent {
  export const Type = z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, "must look like job.status or step.started");

  export const Info = z.object({
    seq: z.number().int().positive(),
    type: z.string(),
    at: z.string(),
    data: z.record(z.string(), z.unknown()),
  });
  export type Info = z.infer<typeof Info>;

  type Transform = (data: Record<string, unknown>) => Record<string, unknown>;
  const transforms: Transform[] = [];

  /** Lets other modules (the secret redactor) rewrite every event's data before it is stored. */
  export function addTransform(transform: Transform): void {
    transforms.push(transform);
  }

  type Listener = (appended: { accountId: string; jobId: string; event: Info }) => void;
  const listeners: Listener[] = [];

  /** Runs after every stored event (outbound webhooks); a listener must not throw or block. */
  export function onAppend(listener: Listener): void {
    listeners.push(listener);
  }

  /**
   * Appends with the next sequence number. The write is conditional on that number being free, so
   * concurrent writers never share a seq, and a reader never sees seq n+1 before seq n exists.
   */
  export const append = fn(
    z
      .object({ jobId: Id.schema("job"), type: Type, data: z.record(z.string(), z.unknown()).default({}) })
      .strict(),
    async ({ jobId, type, data }): Promise<Info> => {
      const accountId = Actor.accountId();
      const job = await JobEntity.get({ accountId, id: jobId }).go({ attributes: ["id"] });
      if (!job.data) throw new VisibleError("not_found", "job.not_found", `Job ${jobId} not found`);
      const stored = transforms.reduce((acc, t) => t(acc), data);
      const expiresAt = Math.floor(Date.now() / 1000) + Config.get().FG_JOB_RETENTION_DAYS * 86_400;
      for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
        const last = await JobEventEntity.query
          .byJob({ accountId, jobId })
          .go({ order: "desc", limit: 1, consistent: true });
        const seq = (last.data[0]?.seq ?? 0) + 1;
        const at = new Date().toISOString();
        try {
          await JobEventEntity.create({
            accountId,
            jobId,
            seq,
            id: Id.create("event"),
            type,
            at,
            data: stored,
            expiresAt,
          }).go();
          const event = { seq, type, at, data: stored };
          for (const listener of listeners) listener({ accountId, jobId, event });
          return event;
        } catch (error) {
          if (!isConditionalFailure(error)) throw error;
        }
      }
      throw new VisibleError(
        "conflict",
        "job_event.contended",
        "Too many concurrent writers for this job's events",
      );
    },
  );

  export const list = fn(
    z
      .object({
        jobId: Id.schema("job"),
        after: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    async ({ jobId, after, limit }): Promise<Info[]> => {
      const accountId = Actor.accountId();
      const job = await JobEntity.get({ accountId, id: jobId }).go({ attributes: ["id"] });
      if (!job.data) throw new VisibleError("not_found", "job.not_found", `Job ${jobId} not found`);
      const result = await JobEventEntity.query
        .byJob({ accountId, jobId })
        .gt({ seq: after })
        .go({ limit, consistent: true });
      return result.data.map((e) => ({
        seq: e.seq,
        type: e.type,
        at: e.at,
        data: (e.data ?? {}) as Record<string, unknown>,
      }));
    },
  );
}

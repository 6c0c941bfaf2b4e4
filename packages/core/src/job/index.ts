import { encodeTime } from "ulid";
import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Audit } from "../audit/index.ts";
import { Config } from "../config.ts";
import { JobEvent } from "../job-event/index.ts";
import { Orchestration } from "../orchestrator/registry.ts";
import { Policy } from "../policy/index.ts";
import { JobQueue } from "../queue/index.ts";
import { Secrets } from "../secret/index.ts";
import { isConditionalFailure } from "../store/errors.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { type Page, PageInput } from "../util/page.ts";
import { singleFlight } from "../util/single-flight.ts";
import { VendorCatalog } from "../vendor/catalog.ts";
import { Vendor } from "../vendor/index.ts";
import { JobEntity } from "./job.entity.ts";
import * as Statuses from "./status.ts";

const MAX_AMOUNT = 1_000_000; // $10,000.00 in cents: far above any plan fg buys, low enough to catch typos

export namespace Job {
  export const Status = Statuses.Status;
  export type Status = Statuses.Status;
  export const terminal = Statuses.terminal;
  export const allowedTransitions = Statuses.allowedTransitions;
  export const canTransition = Statuses.canTransition;

  export const Goal = z.enum(["account", "api_key", "subscription"]);
  export type Goal = z.infer<typeof Goal>;

  export const Currency = z.enum(["usd", "eur", "gbp"]);
  export type Currency = z.infer<typeof Currency>;

  export const Money = z
    .object({
      amount: z.number().int("must be an integer number of cents").min(0).max(MAX_AMOUNT),
      currency: Currency,
    })
    .strict();

  export const Step = z.object({
    name: z.string(),
    status: z.enum(["running", "succeeded", "failed", "skipped"]),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
  });

  export const Failure = z.object({ code: z.string().min(1).max(100), message: z.string().min(1).max(1000) });
  export type Failure = z.infer<typeof Failure>;

  export const Info = z.object({
    id: Id.schema("job"),
    vendor: z.string(),
    goal: Goal,
    plan: z.string().nullable(),
    status: Status,
    createdAt: z.string(),
    updatedAt: z.string(),
    maxSpend: Money,
    spend: z.object({
      captured: z.number().int(),
      spent: z.number().int(),
      refunded: z.number().int(),
      currency: Currency,
    }),
    credentialIds: z.array(Id.schema("credential")),
    steps: z.array(Step),
    failure: Failure.optional(),
  });
  export type Info = z.infer<typeof Info>;

  export const create = fn(
    z
      .object({
        vendor: Vendor.Ref,
        goal: Goal,
        plan: z.string().trim().min(1).max(100).optional(),
        maxSpend: Money,
      })
      .strict(),
    async (input): Promise<Info> => {
      const accountId = Actor.accountId();
      const now = Date.now();
      const id = Id.create("job", now);
      const created = await JobEntity.create({
        accountId,
        id,
        createdAt: new Date(now).toISOString(),
        vendor: input.vendor,
        goal: input.goal,
        plan: input.plan,
        status: "queued",
        maxSpend: input.maxSpend.amount,
        currency: input.maxSpend.currency,
      }).go();
      const job = toInfo(created.data);
      await JobEvent.append({ jobId: id, type: "job.status", data: { status: "queued" } });
      return job;
    },
  );

  export const get = fn(z.object({ id: Id.schema("job") }).strict(), async ({ id }): Promise<Info> => {
    return toInfo(await load(id));
  });

  const sharedLoads = singleFlight<JobItem>();

  /**
   * The job as a client polling its status sees it: concurrent peeks at the same job share one
   * consistent DynamoDB read, so a peek can miss a write made while that read was in flight. Read
   * with `get` before deciding anything.
   */
  export const peek = fn(z.object({ id: Id.schema("job") }).strict(), async ({ id }): Promise<Info> => {
    const accountId = Actor.accountId();
    return toInfo(await sharedLoads(`${accountId}/${id}`, () => load(id)));
  });

  export const list = fn(
    z
      .object({
        status: Status.optional(),
        vendor: z.string().min(1).max(2048).optional(),
        createdAfter: z.iso.datetime({ offset: true }).optional(),
        createdBefore: z.iso.datetime({ offset: true }).optional(),
        ...PageInput,
      })
      .strict(),
    async (input): Promise<Page<Info>> => {
      const accountId = Actor.accountId();
      const low = `job_${encodeTime(input.createdAfter ? Date.parse(input.createdAfter) : 0, 10)}`;
      const high = `job_${encodeTime(input.createdBefore ? Date.parse(input.createdBefore) : 2 ** 48 - 1, 10)}~`;
      const options = { order: "desc" as const, limit: input.limit, cursor: input.cursor ?? null };
      const query = input.status
        ? JobEntity.query
            .byStatus({ accountId, status: input.status })
            .between({ id: low }, { id: high })
            .where((a, op) => (input.vendor ? op.eq(a.vendor, input.vendor) : ""))
        : input.vendor
          ? JobEntity.query.byVendor({ accountId, vendor: input.vendor }).between({ id: low }, { id: high })
          : JobEntity.query.byId({ accountId }).between({ id: low }, { id: high });
      const result = await query.go(options).catch((error: unknown) => {
        if (
          String((error as Error).message)
            .toLowerCase()
            .includes("cursor")
        ) {
          throw new VisibleError(
            "input",
            "pagination.bad_cursor",
            "The cursor is not valid for this listing",
          );
        }
        throw error;
      });
      return { data: result.data.map(toInfo), nextCursor: result.cursor ?? null };
    },
  );

  /** Moves a job to another state if the transition table allows it; a conditional write decides races. */
  export const transition = fn(
    z.object({ id: Id.schema("job"), to: Status, failure: Failure.optional() }).strict(),
    async ({ id, to, failure: given }): Promise<Info> => {
      // Failure messages often quote a vendor page or an exception; the stored one must not carry a secret.
      const failure = given && { code: given.code, message: Secrets.redact(given.message) };
      const accountId = Actor.accountId();
      const job = await load(id);
      const from = job.status as Status;
      if (!canTransition(from, to)) {
        throw new VisibleError("conflict", "job.illegal_transition", `A ${from} job cannot become ${to}`);
      }
      const now = Date.now();
      const retentionDays = Config.get().FG_JOB_RETENTION_DAYS;
      let updated: Record<string, unknown>;
      try {
        const result = await JobEntity.patch({ accountId, id })
          .set({
            status: to,
            ...(failure ? { failureCode: failure.code, failureMessage: failure.message } : {}),
            ...(terminal.includes(to) ? { expiresAt: Math.floor(now / 1000) + retentionDays * 86_400 } : {}),
          })
          .where((a, op) => op.eq(a.status, from))
          .go({ response: "all_new" });
        updated = result.data;
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
        throw new VisibleError(
          "conflict",
          "job.concurrent_transition",
          `The job changed state while moving to ${to}`,
        );
      }
      await JobEvent.append({
        jobId: id,
        type: "job.status",
        data: { from, status: to, ...(failure ? { failure } : {}) },
      });
      return toInfo(updated as JobItem);
    },
  );

  /** Creates a job for a known vendor (or a vendor URL) and hands it to the job queue. */
  export const submit = fn(create.schema, async (input): Promise<Info> => {
    Actor.assertScope("jobs:write");
    if (!Vendor.isUrl(input.vendor) && !VendorCatalog.bySlug(input.vendor)) {
      const message = "is not a known vendor; pass a known slug (GET /v1/vendors) or an https:// URL";
      throw new VisibleError("input", "vendor.unknown", `Invalid input: vendor: ${message}`, {
        errors: [{ path: "vendor", message }],
      });
    }
    const verdict = await Policy.check({
      vendor: input.vendor,
      amount: input.maxSpend.amount,
      currency: input.maxSpend.currency,
    });
    if (verdict.outcome === "deny") {
      throw new VisibleError(
        "unprocessable",
        verdict.reasons[0]?.code ?? "policy.denied",
        `Your policy does not allow this job: ${verdict.reasons.map((r) => r.message).join("; ")}`,
      );
    }
    const job = await create(input);
    try {
      await JobQueue.use().send({ accountId: Actor.accountId(), jobId: job.id });
    } catch (error) {
      await transition({
        id: job.id,
        to: "failed",
        failure: { code: "queue.unavailable", message: "The job could not be queued" },
      });
      throw error;
    }
    return job;
  });

  /** Cancels a live job; the workflow sees the status and compensates (refund, card cancel). */
  export const cancel = fn(z.object({ id: Id.schema("job") }).strict(), async ({ id }): Promise<Info> => {
    Actor.assertScope("jobs:write");
    for (let attempt = 0; ; attempt++) {
      const job = await get({ id });
      if (isTerminal(job.status)) {
        throw new VisibleError("conflict", "job.finished", `The job already ended as ${job.status}`);
      }
      if (job.status === "settling") {
        throw new VisibleError(
          "conflict",
          "job.settling",
          "The job is already settling its money; it can no longer be canceled",
        );
      }
      try {
        const canceled = await transition({ id, to: "canceled" });
        await Audit.record({ action: "job.cancel", target: id });
        return canceled;
      } catch (error) {
        const raced = error instanceof VisibleError && error.code === "job.concurrent_transition";
        if (!raced || attempt >= 5) throw error;
      }
    }
  });

  /** Releases a job held above the approval threshold into its money steps (or straight to provisioning if free). */
  export const approve = fn(z.object({ id: Id.schema("job") }).strict(), async ({ id }): Promise<Info> => {
    Actor.assertScope("jobs:write");
    const job = await get({ id });
    if (job.status !== "awaiting_approval") {
      throw new VisibleError(
        "conflict",
        "job.not_awaiting_approval",
        `Only a job awaiting approval can be approved; this one is ${job.status}`,
      );
    }
    const { approvalToken } = await load(id);
    const approved = await transition({ id, to: job.maxSpend.amount > 0 ? "charging" : "provisioning" });
    await Audit.record({ action: "job.approve", target: id });
    // The workflow waits on this token; jobs parked without one (tests driving core directly) just move on.
    if (approvalToken) await Orchestration.use().sendTaskSuccess(approvalToken, { approved: true });
    return approved;
  });

  export function isTerminal(status: Status): boolean {
    return terminal.includes(status);
  }

  type JobItem = Awaited<ReturnType<ReturnType<typeof JobEntity.get>["go"]>>["data"] & {};

  async function load(id: string): Promise<JobItem> {
    const accountId = Actor.accountId();
    const result = await JobEntity.get({ accountId, id }).go({ consistent: true });
    if (!result.data) throw new VisibleError("not_found", "job.not_found", `Job ${id} not found`);
    return result.data;
  }

  function toInfo(item: JobItem): Info {
    return {
      id: item.id,
      vendor: item.vendor,
      goal: item.goal,
      plan: item.plan ?? null,
      status: item.status as Status,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      maxSpend: { amount: item.maxSpend, currency: item.currency as Currency },
      spend: {
        captured: item.captured,
        spent: item.spent,
        refunded: item.refunded,
        currency: item.currency as Currency,
      },
      credentialIds: item.credentialIds,
      steps: item.steps.map((s: { name: string; status: string; startedAt?: string; endedAt?: string }) => ({
        name: s.name,
        status: s.status as z.infer<typeof Step>["status"],
        startedAt: s.startedAt ?? null,
        endedAt: s.endedAt ?? null,
      })),
      ...(item.failureCode
        ? { failure: { code: item.failureCode, message: item.failureMessage ?? "" } }
        : {}),
    };
  }
}

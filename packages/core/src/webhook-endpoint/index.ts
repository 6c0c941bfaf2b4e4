import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Job } from "../job/index.ts";
import { JobEvent } from "../job-event/index.ts";
import { log, serializeError } from "../logger/index.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { type Page, PageInput } from "../util/page.ts";
import { DeliveryMessage, type DeliveryQueue } from "./delivery-queue.ts";
import { postJson } from "./post.ts";
import { urlProblem } from "./target.ts";
import { WebhookDeliveryEntity } from "./webhook-delivery.entity.ts";
import { WebhookEndpointEntity } from "./webhook-endpoint.entity.ts";

const MAX_ENDPOINTS = 20;
const DELIVERY_RETENTION_S = 30 * 86_400;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export namespace WebhookEndpoint {
  export const EventType = z.enum([
    "job.succeeded",
    "job.failed",
    "job.awaiting_approval",
    "job.needs_human",
    "job.canceled",
  ]);
  export type EventType = z.infer<typeof EventType>;

  export const Info = z.object({
    id: Id.schema("webhookEndpoint"),
    url: z.string(),
    eventTypes: z.array(EventType),
    description: z.string().nullable(),
    createdAt: z.string(),
  });
  export type Info = z.infer<typeof Info>;

  export const Created = Info.extend({
    /** The signing secret; returned only when the endpoint is created. */
    secret: z.string(),
  });
  export type Created = z.infer<typeof Created>;

  export const Attempt = z.object({
    attempt: z.number().int(),
    at: z.string(),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int(),
  });

  export const Delivery = z.object({
    id: Id.schema("webhookMessage"),
    endpointId: Id.schema("webhookEndpoint"),
    eventType: EventType,
    jobId: z.string().nullable(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.array(Attempt),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
  });
  export type Delivery = z.infer<typeof Delivery>;

  /** Standard Webhooks' recommended schedule: the first try, then five retries. */
  let retryDelaysMs: number[] = [5_000, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR];
  let timeoutMs = 10_000;
  /** Where retries wait when set (AWS: the webhooks queue); in-process timers otherwise. */
  let queue: DeliveryQueue | undefined;

  export function configure(options: {
    retryDelaysMs?: number[];
    timeoutMs?: number;
    /** `null` goes back to in-process timers. */
    queue?: DeliveryQueue | null;
  }): void {
    if (options.retryDelaysMs) retryDelaysMs = [...options.retryDelaysMs];
    if (options.timeoutMs) timeoutMs = options.timeoutMs;
    if (options.queue !== undefined) queue = options.queue ?? undefined;
  }

  const Url = z
    .string()
    .trim()
    .max(2048)
    .superRefine((value, ctx) => {
      const problem = urlProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

  export const create = fn(
    z
      .object({
        url: Url,
        eventTypes: z.array(EventType).min(1).max(EventType.options.length),
        description: z.string().trim().min(1).max(500).optional(),
      })
      .strict(),
    async (input): Promise<Created> => {
      Actor.assertScope("admin");
      const accountId = Actor.accountId();
      const existing = await WebhookEndpointEntity.query.byAccount({ accountId }).go({ pages: "all" });
      if (existing.data.length >= MAX_ENDPOINTS) {
        throw new VisibleError(
          "conflict",
          "webhook_endpoint.limit",
          `An account can have at most ${MAX_ENDPOINTS} webhook endpoints`,
        );
      }
      const secret = `whsec_${randomBytes(24).toString("base64")}`;
      const created = await WebhookEndpointEntity.create({
        accountId,
        id: Id.create("webhookEndpoint"),
        url: input.url,
        eventTypes: [...new Set(input.eventTypes)],
        description: input.description,
        secret,
      }).go();
      return { ...toInfo(created.data), secret };
    },
  );

  export const list = fn(z.object({}).strict().default({}), async (): Promise<Info[]> => {
    const accountId = Actor.accountId();
    const result = await WebhookEndpointEntity.query.byAccount({ accountId }).go({ pages: "all" });
    return result.data.map(toInfo);
  });

  export const get = fn(z.object({ id: Id.schema("webhookEndpoint") }).strict(), async ({ id }) =>
    toInfo(await load(id)),
  );

  export const remove = fn(
    z.object({ id: Id.schema("webhookEndpoint") }).strict(),
    async ({ id }): Promise<Info> => {
      Actor.assertScope("admin");
      const accountId = Actor.accountId();
      const endpoint = await load(id);
      await WebhookEndpointEntity.delete({ accountId, id }).go();
      return toInfo(endpoint);
    },
  );

  export const deliveries = fn(
    z.object({ id: Id.schema("webhookEndpoint"), ...PageInput }).strict(),
    async ({ id, limit, cursor }): Promise<Page<Delivery>> => {
      const accountId = Actor.accountId();
      await load(id);
      const result = await WebhookDeliveryEntity.query
        .byEndpoint({ accountId, endpointId: id })
        .go({ order: "desc", limit, cursor: cursor ?? null });
      return { data: result.data.map(toDelivery), nextCursor: result.cursor ?? null };
    },
  );

  const inFlight = new Set<Promise<unknown>>();

  function track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => {
      log.error("webhook delivery failed unexpectedly", { error: serializeError(error) });
    });
    inFlight.add(guarded);
    void guarded.finally(() => inFlight.delete(guarded));
  }

  /** Resolves when no delivery or scheduled retry is pending in this process. */
  export async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  }

  /** Sends an event to every endpoint of the current account subscribed to it, in the background. */
  export async function dispatch(eventType: EventType, jobId: string, data: Record<string, unknown>) {
    const accountId = Actor.accountId();
    const endpoints = await WebhookEndpointEntity.query.byAccount({ accountId }).go({ pages: "all" });
    const timestamp = new Date();
    const payload = JSON.stringify({ type: eventType, timestamp: timestamp.toISOString(), data });
    const created: string[] = [];
    for (const endpoint of endpoints.data) {
      if (!endpoint.eventTypes.includes(eventType)) continue;
      const id = Id.create("webhookMessage");
      await WebhookDeliveryEntity.create({
        accountId,
        endpointId: endpoint.id,
        id,
        eventType,
        jobId,
        payload,
        status: "pending",
        expiresAt: Math.floor(Date.now() / 1000) + DELIVERY_RETENTION_S,
      }).go();
      created.push(id);
      if (queue) {
        await queue.send({ accountId, endpointId: endpoint.id, deliveryId: id, attempt: 1 }, { delayMs: 0 });
      } else {
        track(Actor.system("webhook delivery", accountId, () => deliverInProcess(endpoint.id, id)));
      }
    }
    return created;
  }

  export const AttemptOutcome = z.enum(["delivered", "retrying", "failed", "waiting", "skipped"]);
  export type AttemptOutcome = z.infer<typeof AttemptOutcome>;

  /**
   * One attempt for a queued delivery (the webhooks queue consumer). Safe to receive twice: the message's
   * attempt number must be the next one the delivery log expects, and a message that arrives before it is
   * due (waits above the queue's 15-minute delay) is only sent on.
   */
  export const attempt = fn(DeliveryMessage, (message) =>
    Actor.system("webhook delivery", message.accountId, async (): Promise<AttemptOutcome> => {
      const target = queue;
      if (!target) throw new Error("WebhookEndpoint.attempt needs a delivery queue (configure({ queue }))");
      const wait = message.dueAt ? Date.parse(message.dueAt) - Date.now() : 0;
      if (wait > 0) {
        await target.send(message, { delayMs: wait });
        return "waiting";
      }
      const { accountId, endpointId, deliveryId } = message;
      const found = await WebhookDeliveryEntity.get({ accountId, endpointId, id: deliveryId }).go({
        consistent: true,
      });
      const delivery = found.data;
      if (delivery?.status !== "pending") return "skipped";
      const made = delivery.attempts.length;
      let next: { status: Delivery["status"]; nextAt?: string };
      if (made === message.attempt - 1) next = await attemptOnce(delivery);
      // On record already, but the consumer failed before it queued the next attempt: queue it now.
      else if (made === message.attempt) next = { status: "pending", nextAt: delivery.nextAttemptAt };
      else return "skipped";
      if (next.status !== "pending") return next.status === "succeeded" ? "delivered" : "failed";
      const dueAt = next.nextAt ?? new Date().toISOString();
      await target.send(
        { ...message, attempt: message.attempt + 1, dueAt },
        { delayMs: Math.max(Date.parse(dueAt) - Date.now(), 0) },
      );
      return "retrying";
    }),
  );

  async function deliverInProcess(endpointId: string, id: string): Promise<void> {
    const accountId = Actor.accountId();
    const found = await WebhookDeliveryEntity.get({ accountId, endpointId, id }).go({ consistent: true });
    if (found.data?.status !== "pending") return;
    const { delayMs: delay } = await attemptOnce(found.data);
    if (delay === undefined) return;
    track(
      new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          Actor.system("webhook retry", accountId, () => deliverInProcess(endpointId, id)).then(
            resolve,
            reject,
          );
        }, delay).unref();
      }),
    );
  }

  type DeliveryItem = NonNullable<
    Awaited<ReturnType<ReturnType<typeof WebhookDeliveryEntity.get>["go"]>>["data"]
  >;

  /** Posts once and records the attempt; a pending result says when the next attempt is due. */
  async function attemptOnce(
    delivery: DeliveryItem,
  ): Promise<{ status: Delivery["status"]; delayMs?: number; nextAt?: string }> {
    const { accountId, endpointId, id } = delivery;
    const attempt = delivery.attempts.length + 1;
    const endpoint = (await WebhookEndpointEntity.get({ accountId, id: endpointId }).go()).data;
    const at = new Date();
    const result = endpoint
      ? await postJson(
          endpoint.url,
          delivery.payload,
          {
            "content-type": "application/json",
            "user-agent": "fg-webhooks/1",
            "webhook-id": id,
            "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
            "webhook-signature": new Webhook(endpoint.secret).sign(id, at, delivery.payload),
          },
          timeoutMs,
        )
      : { error: "the endpoint was deleted", durationMs: 0 };
    const ok = result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
    const delay = ok || !endpoint ? undefined : retryDelaysMs[attempt - 1];
    const status = ok ? "succeeded" : delay === undefined ? "failed" : "pending";
    const nextAt = delay === undefined ? undefined : new Date(Date.now() + delay).toISOString();
    await WebhookDeliveryEntity.patch({ accountId, endpointId, id })
      .append({
        attempts: [
          {
            attempt,
            at: at.toISOString(),
            durationMs: result.durationMs,
            ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
            ...(ok ? {} : { error: result.error ?? `the receiver answered ${result.statusCode}` }),
          },
        ],
      })
      .set({
        status,
        ...(nextAt === undefined ? {} : { nextAttemptAt: nextAt }),
      })
      .go();
    return delay === undefined ? { status } : { status, delayMs: delay, nextAt };
  }

  const STATUS_EVENTS: Record<string, EventType> = {
    succeeded: "job.succeeded",
    failed: "job.failed",
    awaiting_approval: "job.awaiting_approval",
    needs_human: "job.needs_human",
    canceled: "job.canceled",
  };

  JobEvent.onAppend(({ accountId, jobId, event }) => {
    if (event.type !== "job.status") return;
    const eventType = STATUS_EVENTS[String(event.data.status)];
    if (!eventType) return;
    track(
      Actor.system("webhook dispatch", accountId, async () => {
        const job = await Job.get({ id: jobId });
        await dispatch(eventType, jobId, { job });
      }),
    );
  });

  async function load(id: string) {
    const accountId = Actor.accountId();
    const found = await WebhookEndpointEntity.get({ accountId, id }).go();
    if (!found.data) {
      throw new VisibleError("not_found", "webhook_endpoint.not_found", `Webhook endpoint ${id} not found`);
    }
    return found.data;
  }

  function toInfo(item: {
    id: string;
    url: string;
    eventTypes: string[];
    description?: string;
    createdAt: string;
  }): Info {
    return {
      id: item.id,
      url: item.url,
      eventTypes: item.eventTypes as EventType[],
      description: item.description ?? null,
      createdAt: item.createdAt,
    };
  }

  function toDelivery(item: {
    id: string;
    endpointId: string;
    eventType: string;
    jobId?: string;
    status: "pending" | "succeeded" | "failed";
    attempts: { attempt: number; at: string; statusCode?: number; error?: string; durationMs: number }[];
    nextAttemptAt?: string;
    createdAt: string;
  }): Delivery {
    return {
      id: item.id,
      endpointId: item.endpointId,
      eventType: item.eventType as EventType,
      jobId: item.jobId ?? null,
      status: item.status,
      attempts: item.attempts.map((a) => ({
        attempt: a.attempt,
        at: a.at,
        statusCode: a.statusCode ?? null,
        error: a.error ?? null,
        durationMs: a.durationMs,
      })),
      nextAttemptAt: item.status === "pending" ? (item.nextAttemptAt ?? null) : null,
      createdAt: item.createdAt,
    };
  }
}

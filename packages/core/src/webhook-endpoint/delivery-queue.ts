import { z } from "zod";
import { Id } from "../util/id.ts";

/** One delivery attempt to make: the durable form of a retry timer (AWS: a message on the webhooks queue). */
export const DeliveryMessage = z
  .object({
    accountId: Id.schema("account"),
    endpointId: Id.schema("webhookEndpoint"),
    deliveryId: Id.schema("webhookMessage"),
    attempt: z.number().int().min(1).max(100),
    /** The attempt is due at this time; a message that arrives earlier is sent on again until it is due. */
    dueAt: z.iso.datetime().optional(),
  })
  .strict();
export type DeliveryMessage = z.infer<typeof DeliveryMessage>;

/** SQS delays a message by at most 15 minutes; longer waits are covered in hops of this size. */
export const MAX_QUEUE_DELAY_MS = 900_000;

export interface DeliveryQueue {
  send(message: DeliveryMessage, options: { delayMs: number }): Promise<void>;
}

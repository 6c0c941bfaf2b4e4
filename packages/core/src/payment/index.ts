import { z } from "zod";
import { fn } from "../util/fn.ts";
import * as Rail from "./rail.ts";
import { SandboxPaymentRail } from "./sandbox.ts";

export namespace PaymentRail {
  export type Port = Rail.PaymentRailPort;
  export const PaymentMethod = Rail.PaymentMethod;
  export type PaymentMethod = Rail.PaymentMethod;
  export const Setup = Rail.Setup;
  export type Setup = Rail.Setup;
  export const Charge = Rail.Charge;
  export type Charge = Rail.Charge;
  export const Refund = Rail.Refund;
  export type Refund = Rail.Refund;

  let configured: Port | undefined;

  /** The configured rail; the sandbox unless the runtime configured another (Stripe on AWS). */
  export function use(): Port {
    configured ??= new SandboxPaymentRail();
    return configured;
  }

  export function configure(port: Port): void {
    configured = port;
  }

  /** `fg cards add`: start saving a card, or attach a test card at once (pm_card_visa, …). */
  export const addCard = fn(
    z
      .object({ paymentMethod: z.string().min(1).max(200).optional() })
      .strict()
      .default({}),
    async (input): Promise<Setup> => use().createSetup(input),
  );

  export const listCards = fn(
    z.object({}).strict().default({}),
    async (): Promise<PaymentMethod[]> => use().listMethods(),
  );

  export const setDefaultCard = fn(z.object({ id: z.string().min(1).max(200) }).strict(), async ({ id }) => {
    await use().setDefault(id);
  });
}

export { SandboxPaymentRail, SandboxTestMethods } from "./sandbox.ts";
export { StripePaymentRail } from "./stripe.ts";
export { createStripe, type StripeClientOptions } from "./stripe-client.ts";

import { Entity } from "electrodb";
import { binding, timestamps } from "../store/binding.ts";

/** The account's identities at the payment provider: customer, default method, Issuing cardholder. */
export const PaymentProfileEntity = new Entity(
  {
    model: { entity: "paymentProfile", service: "fg", version: "1" },
    attributes: {
      accountId: { type: "string", required: true, readOnly: true },
      customerId: { type: "string" },
      defaultPaymentMethod: { type: "string" },
      cardholderId: { type: "string" },
      ...timestamps,
    },
    indexes: {
      byAccount: { pk: { field: "pk", composite: ["accountId"] }, sk: { field: "sk", composite: [] } },
    },
  },
  binding,
);

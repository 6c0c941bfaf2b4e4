import { PaymentRail } from "@fg/core/payment/index";
import { createRoute, type z } from "@hono/zod-openapi";
import { json, list, problems, router, scope, security } from "./openapi.ts";

const tags = ["payment methods"];
const AddInput = PaymentRail.addCard.schema.meta({ id: "PaymentMethodInput" });

export const paymentMethods = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags,
      security,
      summary:
        "Put a card on file: in the sandbox attach a test method (pm_card_visa); on Stripe get a SetupIntent client secret",
      middleware: [scope("admin")],
      request: { body: { required: false, content: { "application/json": { schema: AddInput } } } },
      responses: {
        201: json(PaymentRail.Setup.meta({ id: "PaymentMethodSetup" }), "Created"),
        ...problems(400, 402, 403),
      },
    }),
    async (c) => {
      const input = (c.req.valid("json") ?? {}) as z.infer<typeof AddInput>;
      return c.json(await PaymentRail.addCard(input), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags,
      security,
      summary: "Cards on file",
      middleware: [scope("admin")],
      responses: {
        200: json(list(PaymentRail.PaymentMethod.meta({ id: "PaymentMethod" }))),
        ...problems(403),
      },
    }),
    async (c) => c.json({ data: await PaymentRail.listCards({}), nextCursor: null }),
  );

import { Account, ApiKey, Config, VisibleError } from "@fg/core";
import { createRoute, z } from "@hono/zod-openapi";
import { body, json, problems, router } from "./openapi.ts";

/** Open in the local runtime; elsewhere FG_SIGNUP=open turns it on. */
export function signupOpen(): boolean {
  const setting = process.env.FG_SIGNUP;
  if (setting === "open" || setting === "closed") return setting === "open";
  return Config.get().FG_STAGE === "local";
}

const Signup = z
  .object({
    account: z.object({ id: z.string(), email: z.string() }),
    apiKey: ApiKey.Created,
  })
  .meta({ id: "Signup" });

export const signup = router().openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["account"],
    summary: "Create an account and its first API key (the secret is shown only here)",
    request: { body: body(Account.signup.schema.meta({ id: "SignupInput" })) },
    responses: { 201: json(Signup, "Created"), ...problems(400, 403, 409, 413, 415) },
  }),
  async (c) => {
    if (!signupOpen()) {
      throw new VisibleError("forbidden", "signup.closed", "Sign-up is closed on this deployment");
    }
    return c.json(await Account.signup(c.req.valid("json")), 201);
  },
);

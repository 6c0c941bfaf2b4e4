import type { Skill } from "./skill.ts";

export const nimbusDb: Skill = {
  id: "nimbus-db",
  slug: "nimbus-db",
  paths: { signup: "/signup", login: "/login", apiKeys: "/settings/api-keys", dashboard: "/dashboard" },
  verification: "code",
  keyPattern: /^nmb_(?:live_)?[A-Za-z0-9]{32}$/,
  emailFrom: "nimbus",
  wording: { createKey: /^create key$/i, submitSignup: /^create account$/i },
  hints: {
    signup:
      'The form asks for "Full name", "Work email", "Password" and a Terms checkbox; submit with "Create account".',
    verify_email:
      'A 6-digit code arrives by email; type {{VERIFICATION_CODE}} into "Verification code" and click "Verify email".',
    create_api_key:
      'On "API keys" click "Create key"; a dialog asks for a key name, then shows the key once.',
  },
};

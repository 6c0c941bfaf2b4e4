import type { Skill } from "./skill.ts";

export const wobblyCrm: Skill = {
  id: "wobbly-crm",
  slug: "wobbly-crm",
  paths: { signup: "/register", login: "/login", apiKeys: "/integrations/api", dashboard: "/home" },
  verification: "link",
  keyPattern: /^(?:wob_[a-z0-9]{32}|wob-[A-Z0-9]{8}-[A-Z0-9]{8}-[A-Z0-9]{8})$/,
  emailFrom: "wobbly",
  wording: { createKey: /^generate api key$/i },
  hints: {
    signup: "Pages are slow and the sign-up can fail with a server error; retry it.",
    login: "A CAPTCHA may appear; that needs a person (call needs_human).",
    navigate_to_api_keys: "Tokens are under Integrations → Developer API.",
  },
};

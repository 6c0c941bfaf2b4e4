export const PRIMITIVES = [
  "signup",
  "login",
  "verify_email",
  "accept_cookies",
  "dismiss_popup",
  "choose_plan",
  "checkout",
  "navigate_to_api_keys",
  "create_api_key",
  "extract_key",
  "forgot_password",
] as const;
export type Primitive = (typeof PRIMITIVES)[number];

import type { Skill } from "./skill.ts";

export const pixelCdn: Skill = {
  id: "pixel-cdn",
  slug: "pixel-cdn",
  paths: { signup: "/join", login: "/signin", apiKeys: "/app/settings/security", dashboard: "/app" },
  verification: "code",
  keyPattern: /^(?:pcdn-[0-9a-f]{40}|pxl_[a-f0-9]{40})$/,
  emailFrom: "pixel",
  wording: { createKey: /^generate token$/i },
  hints: {
    accept_cookies: 'A cookie consent dialog covers the page at first; click "Accept all".',
    dismiss_popup: "A newsletter popup appears after a couple of seconds; close it.",
    navigate_to_api_keys: "API tokens live under Account menu → Settings → Security.",
  },
};

import type { Skill } from "./skill.ts";

export const relayMail: Skill = {
  id: "relay-mail",
  slug: "relay-mail",
  paths: {
    signup: "/signup",
    login: "/signin",
    // The creation form itself; after it the vendor lists the keys, each behind "Reveal".
    apiKeys: "/api-keys/new",
    pricing: "/onboarding/plan",
    dashboard: "/dashboard",
  },
  verification: "link",
  keyPattern: /^(?:rm_[A-Za-z0-9]{40}|rm_live_[A-Za-z0-9]{32})$/,
  emailFrom: "relay",
  wording: { reveal: /^reveal$/i },
  hints: {
    verify_email: "A verification link arrives by email; navigate to {{VERIFICATION_LINK}}.",
    choose_plan: 'Pick the "Starter" plan ($15/month).',
    extract_key: 'The key is hidden until you click "Reveal".',
  },
};

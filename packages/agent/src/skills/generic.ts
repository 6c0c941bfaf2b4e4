import type { Skill } from "./skill.ts";

/** The fallback for any vendor: no paths, no wording, only the heuristics every primitive carries. */
export const generic: Skill = {
  id: "generic",
  hints: {
    signup:
      "Find the sign-up or register entry, fill every field by what its label means, accept the terms, submit.",
    navigate_to_api_keys:
      'Look for navigation such as "API keys", "Tokens", "Developer", "Access keys", "Application passwords", often under Settings or Security.',
    create_api_key: "Create a new key or token; if asked for a name, use fg.",
    extract_key: "Reveal the key if it is hidden, then call extract_secret on the element that shows it.",
  },
};

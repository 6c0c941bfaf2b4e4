import { type SnapshotNode, snapshotText } from "./snapshot.ts";

export type PageType =
  | "signup"
  | "login"
  | "verify-email"
  | "checkout"
  | "pricing"
  | "dashboard"
  | "api-keys"
  | "error"
  | "captcha"
  | "unknown";
export type Overlay = "cookie-banner" | "popup";

export interface PageClass {
  type: PageType;
  overlays: Overlay[];
}

const is = (n: SnapshotNode, role: string, re: RegExp) => n.role === role && re.test(n.name);
const any = (nodes: SnapshotNode[], pred: (n: SnapshotNode) => boolean) => nodes.some(pred);
const headings = (nodes: SnapshotNode[]) =>
  nodes
    .filter((n) => n.role === "heading")
    .map((n) => n.name.toLowerCase())
    .join("\n");

export const PATTERNS = {
  captcha:
    /captcha|i'?m not a robot|are you (a )?(human|robot)|verify (that )?you('| a)re (a )?human|human verification/i,
  serverError:
    /\b(500|502|503|504)\b|internal server error|something went wrong|service (is )?unavailable|bad gateway|temporarily unavailable|unexpected error|try again later/i,
  verify:
    /verify your (email|address|account)|confirm your (email|address|account)|check your (e-?mail|inbox)|we('ve| have)? sent (you )?(an? )?(email|code|link)|verification code|enter the (\d-digit )?code|confirmation (code|link)/i,
  signupAction: /sign ?up|create (an |your |my )?account|register|get started|start (for )?free|join/i,
  loginAction: /log ?in|sign ?in|welcome back/i,
  apiKeys:
    /api[ -]?keys?|api tokens?|access (keys?|tokens?)|personal access tokens?|application passwords?|developer (keys|tokens|settings)|credentials/i,
  pricing: /choose (a |your )?plan|select (a |your )?plan|pricing|plans?$|upgrade/i,
  loggedIn: /log ?out|sign ?out|dashboard|my account|settings|workspace|projects?/i,
  cookie: /cookie/i,
  cookieAccept:
    /^(accept( all)?( cookies)?|allow( all)?( cookies)?|agree|i agree|got it|ok(ay)?|accept and continue)$/i,
  popup:
    /newsletter|subscribe|stay in the loop|don'?t miss|special offer|discount|sign up for (our )?updates|join (our )?mailing list/i,
  closeAction:
    /^(close|×|✕|x|no,? thanks|no thank you|dismiss|not now|maybe later|skip|later|close dialog|close popup)$/i,
  createKey: /^(\+ ?)?(create|generate|new|add)\b.*\b(key|token)s?$/i,
  cardField: /card ?number|credit card|expir|cvc|cvv|security code/i,
};

/** Tells what kind of page the agent is looking at, plus any banner or popup covering it. */
export function classify(nodes: SnapshotNode[], url = ""): PageClass {
  const text = snapshotText(nodes);
  const heads = headings(nodes);
  const overlays: Overlay[] = [];
  if (
    PATTERNS.cookie.test(text) &&
    any(nodes, (n) => (n.role === "button" || n.role === "link") && PATTERNS.cookieAccept.test(n.name.trim()))
  ) {
    overlays.push("cookie-banner");
  }
  const dialogs = nodes
    .map((n, i) => ({ n, i }))
    .filter(({ n }) => n.role === "dialog" || n.role === "alertdialog");
  for (const { n, i } of dialogs) {
    const inside = nodes.filter((m) => m.container === i || nodes[m.container ?? -1]?.container === i);
    const dialogText = `${n.name}\n${snapshotText(inside)}`;
    if (
      PATTERNS.popup.test(dialogText) &&
      !PATTERNS.apiKeys.test(dialogText) &&
      !PATTERNS.cookie.test(dialogText)
    ) {
      overlays.push("popup");
      break;
    }
  }
  const passwordBoxes = nodes.filter((n) => n.role === "textbox" && /password/i.test(n.name)).length;
  const textboxes = nodes.filter((n) => n.role === "textbox").length;
  const type = ((): PageType => {
    if (PATTERNS.captcha.test(text)) return "captcha";
    if (
      PATTERNS.serverError.test(heads) ||
      (PATTERNS.serverError.test(text) && textboxes === 0 && nodes.length < 40)
    ) {
      return "error";
    }
    if (any(nodes, (n) => n.role === "textbox" && PATTERNS.cardField.test(n.name))) return "checkout";
    if (any(nodes, (n) => n.role === "iframe") && /checkout|payment|billing|pay /.test(text))
      return "checkout";
    if (PATTERNS.verify.test(text) && passwordBoxes === 0) return "verify-email";
    if (passwordBoxes > 0) {
      const signupSignals =
        passwordBoxes > 1 ||
        PATTERNS.signupAction.test(heads) ||
        any(nodes, (n) => is(n, "button", PATTERNS.signupAction)) ||
        any(nodes, (n) => n.role === "textbox" && /name|company|organi[sz]ation/i.test(n.name));
      const loginSignals =
        PATTERNS.loginAction.test(heads) ||
        any(nodes, (n) => is(n, "button", /^(log ?in|sign ?in|continue)$/i));
      if (signupSignals && !(loginSignals && !PATTERNS.signupAction.test(heads) && passwordBoxes === 1))
        return "signup";
      return "login";
    }
    const emailBox = any(
      nodes,
      (n) => n.role === "textbox" && /e-?mail/i.test(n.name) && !/newsletter/i.test(n.name),
    );
    if (emailBox && PATTERNS.signupAction.test(heads)) return "signup";
    if (emailBox && PATTERNS.loginAction.test(heads) && !PATTERNS.loggedIn.test(heads)) return "login";
    if (PATTERNS.apiKeys.test(heads) || /\/(api-?keys|tokens|credentials)\b/.test(url)) return "api-keys";
    if (any(nodes, (n) => n.role === "button" && PATTERNS.createKey.test(n.name))) return "api-keys";
    if (PATTERNS.pricing.test(heads)) return "pricing";
    if (
      any(
        nodes,
        (n) =>
          ["link", "button", "menuitem"].includes(n.role) &&
          /log ?out|sign ?out|account menu|user menu/i.test(n.name),
      )
    ) {
      return "dashboard";
    }
    if (PATTERNS.loggedIn.test(heads)) return "dashboard";
    return "unknown";
  })();
  return { type, overlays };
}

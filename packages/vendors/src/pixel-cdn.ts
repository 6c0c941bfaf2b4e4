import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { html } from "hono/html";
import { Accounts, isEmail, type SeedAccount, type VendorAccount } from "./common/accounts.ts";
import type { SendMail } from "./common/mailer.ts";
import { document, formFields, type Markup } from "./common/page.ts";
import { alphanumericCode, hex } from "./common/random.ts";

export const PIXEL_KEY_PATTERN = /^pcdn-[0-9a-f]{40}$/;

export interface PixelOptions {
  sendMail: SendMail;
  admin: boolean;
  /** When the newsletter popup appears on a page; 2 s by default. */
  popupDelayMs?: number;
  /** Accounts that exist before the run (verified), for the login path. */
  seedAccounts?: SeedAccount[];
}

const STYLE = `
body{margin:0;font-family:Georgia,serif;background:#f4f7fb;color:#12263f}
.bar{background:#12263f;color:#fff;padding:12px 28px;display:flex;gap:18px;align-items:center}.bar a{color:#9fd3ff}
.bar .name{font-weight:bold;margin-right:auto;color:#fff}.box{background:#fff;max-width:460px;margin:40px auto;padding:28px;box-shadow:0 2px 10px #0002}
.box input,.box select{display:block;width:100%;box-sizing:border-box;margin:8px 0 14px;padding:9px;border:1px solid #b8c4d4}
.btn,button{background:#ff6a3d;color:#fff;border:0;padding:10px 16px;border-radius:20px;cursor:pointer;text-decoration:none;font-family:inherit}
.blocker{position:fixed;inset:0;background:rgba(18,38,63,.45);z-index:10}
#consent{position:fixed;left:0;right:0;bottom:0;background:#fff;padding:20px 28px;z-index:11;box-shadow:0 -2px 10px #0003}
#newsletter{position:fixed;top:20%;left:50%;transform:translateX(-50%);background:#fff;padding:28px;z-index:12;width:380px;box-shadow:0 4px 30px #0005}
#newsletter .close{position:absolute;right:10px;top:8px;background:none;color:#12263f;font-size:22px}
.menu{position:absolute;right:28px;top:48px;background:#fff;box-shadow:0 2px 10px #0003;padding:8px 0;list-style:none;margin:0}.menu a{display:block;padding:8px 20px;color:#12263f}
[role=tablist]{display:flex;gap:6px;margin-bottom:20px}[role=tab]{padding:8px 14px;border:1px solid #b8c4d4;border-radius:16px;text-decoration:none;color:#12263f}
[role=tab][aria-selected=true]{background:#12263f;color:#fff}.wide{max-width:760px}table{width:100%;border-collapse:collapse}td{padding:8px;border-bottom:1px solid #e3e9f1}
.err{color:#b00020}.note{background:#fff4d6;padding:10px}
`;

export function pixelCdn(options: PixelOptions): { app: Hono; accounts: Accounts } {
  const accounts = new Accounts("pcdn_sid", "pcdn_acct_");
  for (const seed of options.seedAccounts ?? []) accounts.seed(seed);
  const popupDelayMs = options.popupDelayMs ?? 2_000;
  const app = new Hono();

  // Every page carries the consent banner until answered and the newsletter popup until dismissed.
  function page(c: Context, title: string, body: Markup, script = ""): Markup {
    const consent = !getCookie(c, "pcdn_consent");
    const newsletter = !getCookie(c, "pcdn_newsletter");
    return document({
      title: `${title} | Pixel CDN`,
      style: STYLE,
      body: html`${body}
${
  consent
    ? html`<div class="blocker" id="consent-blocker"></div>
<div id="consent" role="dialog" aria-label="Cookie consent" aria-modal="true">
<p>We use cookies to improve performance and for analytics. You can accept all cookies or reject non-essential ones.</p>
<button type="button" id="consent-accept">Accept all</button> <button type="button" id="consent-reject">Reject non-essential</button>
<a href="/cookies">Cookie settings</a></div>`
    : ""
}`,
      script: `
function setCookie(name, value) { document.cookie = name + "=" + value + "; path=/; max-age=31536000; samesite=lax"; }
function closeConsent(value) {
  setCookie("pcdn_consent", value);
  document.getElementById("consent").remove();
  document.getElementById("consent-blocker").remove();
}
if (document.getElementById("consent")) {
  document.getElementById("consent-accept").addEventListener("click", () => closeConsent("all"));
  document.getElementById("consent-reject").addEventListener("click", () => closeConsent("essential"));
}
${
  newsletter
    ? `
setTimeout(() => {
  if (document.cookie.includes("pcdn_newsletter=")) return;
  const blocker = document.createElement("div");
  blocker.className = "blocker";
  const popup = document.createElement("div");
  popup.id = "newsletter";
  popup.setAttribute("role", "dialog");
  popup.setAttribute("aria-modal", "true");
  popup.setAttribute("aria-labelledby", "newsletter-title");
  popup.innerHTML = '<button type="button" class="close" aria-label="Close">×</button>' +
    '<h2 id="newsletter-title">Get CDN performance tips</h2><p>One email a month. No spam.</p>' +
    '<input type="email" aria-label="Email for newsletter"> <button type="button" class="subscribe">Subscribe</button>' +
    '<p><a href="#" class="no-thanks">No thanks</a></p>';
  const dismiss = (value) => { setCookie("pcdn_newsletter", value); popup.remove(); blocker.remove(); };
  popup.querySelector(".close").addEventListener("click", () => dismiss("dismissed"));
  popup.querySelector(".no-thanks").addEventListener("click", (e) => { e.preventDefault(); dismiss("dismissed"); });
  popup.querySelector(".subscribe").addEventListener("click", () => dismiss("subscribed"));
  document.body.append(blocker, popup);
}, ${popupDelayMs});`
    : ""
}
${script}`,
    });
  }

  function appBar(account?: VendorAccount): Markup {
    return account
      ? html`<div class="bar"><span class="name">Pixel CDN</span><a href="/app">Zones</a><a href="/app/analytics">Analytics</a>
<button type="button" id="account-menu" aria-haspopup="menu" aria-expanded="false" aria-controls="account-menu-list">Account menu</button>
<ul class="menu" id="account-menu-list" role="menu" hidden>
<li role="none"><a role="menuitem" href="/app/settings">Settings</a></li>
<li role="none"><a role="menuitem" href="/app/billing">Billing</a></li>
<li role="none"><a role="menuitem" href="/signout">Sign out</a></li></ul></div>`
      : html`<div class="bar"><span class="name">Pixel CDN</span><a href="/#features">Features</a><a href="/#pricing">Pricing</a><a href="/signin">Sign in</a></div>`;
  }

  const MENU_SCRIPT = `
const menuButton = document.getElementById("account-menu");
if (menuButton) menuButton.addEventListener("click", () => {
  const list = document.getElementById("account-menu-list");
  list.hidden = !list.hidden;
  menuButton.setAttribute("aria-expanded", String(!list.hidden));
});`;

  async function sendCode(account: VendorAccount): Promise<void> {
    const code = alphanumericCode(8);
    account.pending.set("code", code);
    await options.sendMail({
      to: account.email,
      subject: "Confirm your Pixel CDN account",
      text: `Thanks for signing up for Pixel CDN.\n\nYour confirmation code: ${code}\n\nEnter it on the sign-up page to activate your account. The code is valid for 30 minutes.\n`,
      html: `<table><tr><td><h2>Pixel CDN</h2><p>Thanks for signing up.</p><p>Your confirmation code:</p><p style="font:bold 26px monospace">${code}</p><p>The code is valid for 30 minutes.</p></td></tr></table>`,
    });
  }

  const requireAccount = (c: Context) => {
    const account = accounts.current(c);
    return account?.verified ? account : undefined;
  };

  app.get("/", (c) =>
    c.html(
      page(
        c,
        "Fast global CDN",
        html`${appBar()}<div class="box wide"><h1>Deliver every pixel faster</h1>
<p id="features">300+ edge locations, instant purge, image optimization.</p><p id="pricing">Free up to 1 TB/month.</p>
<a class="btn" href="/join">Create free account</a></div>`,
      ),
    ),
  );

  app.get("/cookies", (c) =>
    c.html(
      page(
        c,
        "Cookies",
        html`${appBar()}<div class="box"><h1>Cookie policy</h1><p>We use essential and analytics cookies.</p></div>`,
      ),
    ),
  );

  app.get("/join", (c) => c.html(joinPage(c)));

  app.post("/join", async (c) => {
    const f = await formFields(c);
    const email = (f.email ?? "").trim();
    if (!isEmail(email)) return c.html(joinPage(c, "That email address looks wrong."), 422);
    if ((f.password ?? "").length < 10)
      return c.html(joinPage(c, "Passwords need 10 or more characters."), 422);
    if (f.password !== f.password2) return c.html(joinPage(c, "The passwords do not match."), 422);
    if (accounts.find(email)) return c.html(joinPage(c, "You already have an account. Please sign in."), 409);
    const account = accounts.create({ email, password: f.password ?? "" });
    await sendCode(account);
    accounts.signIn(c, account);
    return c.redirect("/join/confirm", 303);
  });

  app.get("/join/confirm", (c) => {
    const account = accounts.current(c);
    if (!account) return c.redirect("/signin", 303);
    return c.html(confirmPage(c, account));
  });

  app.post("/join/confirm", async (c) => {
    const account = accounts.current(c);
    if (!account) return c.redirect("/signin", 303);
    const code = ((await formFields(c)).code ?? "").trim().toUpperCase();
    if (!code || code !== account.pending.get("code")) {
      return c.html(confirmPage(c, account, "That confirmation code is not right."), 422);
    }
    account.pending.delete("code");
    account.verified = true;
    return c.redirect("/app", 303);
  });

  app.get("/signin", (c) => c.html(signinPage(c)));

  app.post("/signin", async (c) => {
    const f = await formFields(c);
    const account = accounts.find(f.email ?? "");
    if (!account || account.password !== f.password)
      return c.html(signinPage(c, "Invalid email or password."), 401);
    accounts.signIn(c, account);
    if (!account.verified) {
      await sendCode(account);
      return c.redirect("/join/confirm", 303);
    }
    return c.redirect("/app", 303);
  });

  app.get("/signout", (c) => {
    accounts.signOut(c);
    return c.redirect("/signin", 303);
  });

  app.get("/app", (c) => {
    const account = requireAccount(c);
    if (!account) return c.redirect("/signin", 303);
    return c.html(
      page(
        c,
        "Zones",
        html`${appBar(account)}<div class="box wide"><h1>Welcome back</h1><h2>Zones</h2>
<table><tr><td>static.example.com</td><td>Active</td><td>12.4 GB served</td></tr></table></div>`,
        MENU_SCRIPT,
      ),
    );
  });

  for (const [path, title] of [
    ["/app/analytics", "Analytics"],
    ["/app/billing", "Billing"],
  ] as const) {
    app.get(path, (c) => {
      const account = requireAccount(c);
      if (!account) return c.redirect("/signin", 303);
      return c.html(
        page(
          c,
          title,
          html`${appBar(account)}<div class="box wide"><h1>${title}</h1><p>No data yet.</p></div>`,
          MENU_SCRIPT,
        ),
      );
    });
  }

  app.get("/app/settings", (c) => c.redirect("/app/settings/profile", 302));

  const settings = (c: Context, account: VendorAccount, tab: string, content: Markup) => {
    const tabLink = (id: string, label: string) =>
      html`<a role="tab" href="/app/settings/${id}" aria-selected="${tab === id ? "true" : "false"}">${label}</a>`;
    return page(
      c,
      "Settings",
      html`${appBar(account)}<div class="box wide"><h1>Settings</h1>
<nav role="tablist" aria-label="Settings sections">${tabLink("profile", "Profile")}${tabLink("security", "Security")}${tabLink("notifications", "Notifications")}</nav>
<section role="tabpanel">${content}</section></div>`,
      MENU_SCRIPT,
    );
  };

  app.get("/app/settings/profile", (c) => {
    const account = requireAccount(c);
    if (!account) return c.redirect("/signin", 303);
    return c.html(settings(c, account, "profile", html`<h2>Profile</h2><p>Email: ${account.email}</p>`));
  });

  app.get("/app/settings/notifications", (c) => {
    const account = requireAccount(c);
    if (!account) return c.redirect("/signin", 303);
    return c.html(
      settings(c, account, "notifications", html`<h2>Notifications</h2><p>Weekly traffic report: on</p>`),
    );
  });

  app.get("/app/settings/security", (c) => {
    const account = requireAccount(c);
    if (!account) return c.redirect("/signin", 303);
    const created = c.req.query("created");
    const rows = account.keys.map(
      (k) =>
        html`<tr><td>${k.name}</td><td><code>${k.value}</code></td><td>${k.createdAt.slice(0, 10)}</td></tr>`,
    );
    return c.html(
      settings(
        c,
        account,
        "security",
        html`<h2>Security</h2><h3>Two-factor authentication</h3><p>Off</p>
<h3>API tokens</h3>
${created ? html`<p class="note" role="status">New token created. It is listed below.</p>` : ""}
${account.keys.length ? html`<table><tbody>${rows}</tbody></table>` : html`<p>No API tokens yet.</p>`}
<form method="post" action="/app/settings/security/tokens"><input name="name" aria-label="Token name" value="cli">
<button type="submit">Generate token</button></form>`,
      ),
    );
  });

  app.post("/app/settings/security/tokens", async (c) => {
    const account = requireAccount(c);
    if (!account) return c.redirect("/signin", 303);
    const f = await formFields(c);
    accounts.issueKey(account, (f.name ?? "").trim() || "token", `pcdn-${hex(20)}`);
    return c.redirect("/app/settings/security?created=1", 303);
  });

  function joinPage(c: Context, error?: string): Markup {
    return page(
      c,
      "Create account",
      html`${appBar()}<div class="box"><h1>Create your free account</h1>${error ? html`<p class="err" role="alert">${error}</p>` : ""}
<form method="post" action="/join">
<input type="email" name="email" aria-label="Email address">
<input type="password" name="password" aria-label="Choose a password">
<input type="password" name="password2" aria-label="Repeat password">
<select name="use" aria-label="Primary use"><option>Website</option><option>Video</option><option>Software downloads</option></select>
<button type="submit">Sign up</button></form><p>Already registered? <a href="/signin">Sign in</a></p></div>`,
    );
  }

  function confirmPage(c: Context, account: VendorAccount, error?: string): Markup {
    return page(
      c,
      "Confirm your email",
      html`${appBar()}<div class="box"><h1>Confirm your email</h1><p>Enter the confirmation code we emailed to ${account.email}.</p>
${error ? html`<p class="err" role="alert">${error}</p>` : ""}
<form method="post" action="/join/confirm"><input name="code" aria-label="Confirmation code" autocomplete="one-time-code">
<button type="submit">Confirm</button></form></div>`,
    );
  }

  function signinPage(c: Context, error?: string): Markup {
    return page(
      c,
      "Sign in",
      html`${appBar()}<div class="box"><h1>Sign in</h1>${error ? html`<p class="err" role="alert">${error}</p>` : ""}
<form method="post" action="/signin"><input type="email" name="email" aria-label="Email">
<input type="password" name="password" aria-label="Password"><button type="submit">Sign in</button></form>
<p>No account? <a href="/join">Create free account</a></p></div>`,
    );
  }

  if (options.admin) accounts.mountAdmin(app);
  return { app, accounts };
}

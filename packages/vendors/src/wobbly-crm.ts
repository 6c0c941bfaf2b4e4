import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { html, raw } from "hono/html";
import { Accounts, isEmail, type VendorAccount } from "./common/accounts.ts";
import type { SendMail } from "./common/mailer.ts";
import { document, escapeHtml, formFields, type Markup, sleep } from "./common/page.ts";
import { hex, randomString, seeded } from "./common/random.ts";

export const WOBBLY_KEY_PATTERN = /^wob_[a-z0-9]{32}$/;

export interface WobblyOptions {
  sendMail: SendMail;
  admin: boolean;
  /** Share of successful logins that hit a CAPTCHA (0–1). */
  captchaRate: number;
  /** Share of signup POSTs that fail with a 500 (0–1). When above 0 the first POST of a run always fails. */
  errorRate: number;
  /** Every response waits a random time in this range; 1–3 s by default. */
  delayMs?: [number, number];
  /** Seeds the failure, CAPTCHA and delay draws, so a run repeats exactly. Default 1. */
  seed?: number;
}

const STYLE = `
body{margin:0;font-family:Verdana,sans-serif;background:#eef2e6;color:#2b3320;font-size:14px}
.frame{display:flex;min-height:100vh}.menu{background:#46602b;width:190px;padding:18px}.menu a{display:block;color:#fff;padding:6px 0}
.content{padding:26px;flex:1}.panel{background:#fff;border:1px solid #c5d1b3;padding:22px;max-width:480px;margin:30px auto}
label{display:block;margin:10px 0}label input,label select{display:block;width:100%;box-sizing:border-box;padding:7px;margin-top:4px}
input[type=submit],button{background:#46602b;color:#fff;border:1px solid #2b3d18;padding:8px 14px;cursor:pointer}
.cards{display:flex;gap:14px}.cards article{background:#fff;border:1px solid #c5d1b3;padding:14px;width:200px}
.warn{background:#fde9c8;padding:8px}table{border-collapse:collapse}td{border:1px solid #c5d1b3;padding:6px}
`;

function page(title: string, body: Markup): Markup {
  return document({ title: `${title} - Wobbly CRM`, style: STYLE, body });
}

export function wobblyCrm(options: WobblyOptions): { app: Hono; accounts: Accounts } {
  const accounts = new Accounts("wobbly_auth", "wob_acct_");
  const seed = options.seed ?? 1;
  const failures = seeded(seed);
  const captchas = seeded(seed + 1);
  const delays = seeded(seed + 2);
  const [minDelay, maxDelay] = options.delayMs ?? [1_000, 3_000];
  let signupPosts = 0;
  const challenges = new Map<string, { accountId: string; answer: string }>();
  const app = new Hono();

  if (options.admin) accounts.mountAdmin(app);

  app.use(async (_c, next) => {
    await sleep(minDelay + delays() * Math.max(0, maxDelay - minDelay));
    await next();
  });

  const signedIn = (c: Context) => {
    const account = accounts.current(c);
    return account?.verified ? account : undefined;
  };

  app.get("/", (c) =>
    c.html(
      page(
        "Home",
        html`<div class="panel"><h1>Wobbly CRM</h1><p>The CRM that bends but (mostly) doesn't break.</p>
<p><a href="/register">Sign up free</a> | <a href="/login">Log in</a></p></div>`,
      ),
    ),
  );

  app.get("/register", (c) => c.html(registerPage()));

  app.post("/register", async (c) => {
    const f = await formFields(c);
    signupPosts++;
    if (options.errorRate > 0 && (signupPosts === 1 || failures() < options.errorRate)) {
      return c.html(
        page(
          "Error",
          html`<div class="panel"><h1>500 Internal Server Error</h1><p>Something went wrong on our side. Please try again.</p>
<p><a href="/register">Back to sign up</a></p></div>`,
        ),
        500,
      );
    }
    const email = (f.email ?? "").trim();
    if (!(f.name ?? "").trim() || !isEmail(email) || (f.password ?? "").length < 8) {
      return c.html(
        registerPage("Please fill in your name, a valid email and a password of 8+ characters."),
        422,
      );
    }
    if (accounts.find(email)) return c.html(registerPage("This email is already registered."), 409);
    const account = accounts.create({ email, password: f.password ?? "", name: (f.name ?? "").trim() });
    const token = hex(16);
    account.pending.set("activate", token);
    const link = `${new URL(c.req.url).origin}/activate/${token}`;
    await options.sendMail({
      to: account.email,
      subject: "Activate your Wobbly CRM account",
      text: `Hello ${account.name},\n\nplease activate your account: ${link}\n\nWobbly CRM team\nhttps://wobbly-crm.test/help`,
      html: `<p>Hello ${escapeHtml(account.name)},</p><p>please <a href="${link}">activate your account</a>.</p><p><a href="https://wobbly-crm.test/help">Help center</a></p>`,
    });
    return c.html(
      page(
        "Check your email",
        html`<div class="panel"><h1>Almost there!</h1><p>Check your email to activate your account.</p></div>`,
      ),
    );
  });

  app.get("/activate/:token", (c) => {
    const account = accounts.consume("activate", c.req.param("token"));
    if (!account) {
      return c.html(
        page("Activation failed", html`<div class="panel"><h1>Activation link not valid</h1></div>`),
        404,
      );
    }
    account.verified = true;
    return c.html(
      page(
        "Account activated",
        html`<div class="panel"><h1>Your account is active</h1><p>Log in to continue.</p><p><a href="/login">Log in</a></p></div>`,
      ),
    );
  });

  app.get("/login", (c) => c.html(loginPage()));

  app.post("/login", async (c) => {
    const f = await formFields(c);
    const account = accounts.find(f.email ?? "");
    if (!account || account.password !== f.password) return c.html(loginPage("Login failed."), 401);
    if (!account.verified)
      return c.html(loginPage("Please activate your account first (see your email)."), 403);
    if (captchas() < options.captchaRate) {
      const id = randomString(24);
      challenges.set(id, { accountId: account.id, answer: randomString(6, "ABCDEFGHJKMNPQRSTUVWXYZ") });
      setCookie(c, "wobbly_challenge", id, { path: "/", httpOnly: true, sameSite: "Lax" });
      return c.redirect("/login/challenge", 303);
    }
    accounts.signIn(c, account);
    return c.redirect("/home", 303);
  });

  app.get("/login/challenge", (c) => {
    const challenge = challenges.get(getCookie(c, "wobbly_challenge") ?? "");
    if (!challenge) return c.redirect("/login", 303);
    return c.html(challengePage(challenge.answer));
  });

  app.post("/login/challenge", async (c) => {
    const id = getCookie(c, "wobbly_challenge") ?? "";
    const challenge = challenges.get(id);
    if (!challenge) return c.redirect("/login", 303);
    const answer = ((await formFields(c)).answer ?? "").trim().toUpperCase();
    if (answer !== challenge.answer) {
      challenge.answer = randomString(6, "ABCDEFGHJKMNPQRSTUVWXYZ");
      return c.html(challengePage(challenge.answer, "That was not right. Try again."), 422);
    }
    challenges.delete(id);
    const account = accounts.all().find((a) => a.id === challenge.accountId);
    if (!account) return c.redirect("/login", 303);
    accounts.signIn(c, account);
    return c.redirect("/home", 303);
  });

  app.get("/logout", (c) => {
    accounts.signOut(c);
    return c.redirect("/", 303);
  });

  const frame = (account: VendorAccount, content: Markup) =>
    html`<div class="frame"><nav class="menu" aria-label="Main menu"><a href="/home">Home</a><a href="/contacts">Contacts</a>
<a href="/deals">Deals</a><a href="/reports">Reports</a><a href="/integrations">Integrations</a><a href="/settings">Settings</a>
<a href="/logout">Log out</a></nav><div class="content"><p>${account.email}</p>${content}</div></div>`;

  app.get("/home", (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/login", 303);
    return c.html(
      page("Home", frame(account, html`<h1>Welcome to Wobbly CRM</h1><p>You have 0 open deals.</p>`)),
    );
  });

  for (const [path, title] of [
    ["/contacts", "Contacts"],
    ["/deals", "Deals"],
    ["/reports", "Reports"],
    ["/settings", "Settings"],
  ] as const) {
    app.get(path, (c) => {
      const account = signedIn(c);
      if (!account) return c.redirect("/login", 303);
      return c.html(page(title, frame(account, html`<h1>${title}</h1><p>Nothing here yet.</p>`)));
    });
  }

  app.get("/integrations", (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/login", 303);
    return c.html(
      page(
        "Integrations",
        frame(
          account,
          html`<h1>Integrations</h1><div class="cards">
<article><h2>Slack</h2><p>Deal alerts in Slack.</p><a href="/integrations">Connect</a></article>
<article><h2>Zapier</h2><p>Automate with 5000 apps.</p><a href="/integrations">Connect</a></article>
<article><h2>Developer API</h2><p>Access tokens for the REST API.</p><a href="/integrations/api">Manage</a></article></div>`,
        ),
      ),
    );
  });

  app.get("/integrations/api", (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/login", 303);
    const rows = account.keys.map((k) => html`<tr><td>${k.name}</td><td>${k.value}</td></tr>`);
    return c.html(
      page(
        "Developer API",
        frame(
          account,
          html`<h1>Developer API</h1><h2>Access tokens</h2>
${account.keys.length ? html`<table><tr><td>Name</td><td>Token</td></tr>${rows}</table>` : html`<p>No tokens.</p>`}
<form method="post" action="/integrations/api"><input type="submit" value="Generate API key"></form>`,
        ),
      ),
    );
  });

  app.post("/integrations/api", (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/login", 303);
    accounts.issueKey(
      account,
      `token ${account.keys.length + 1}`,
      `wob_${randomString(32, "abcdefghijklmnopqrstuvwxyz0123456789")}`,
    );
    return c.redirect("/integrations/api", 303);
  });

  return { app, accounts };
}

function registerPage(error?: string): Markup {
  return page(
    "Sign up",
    html`<div class="panel"><h1>Create your Wobbly CRM account</h1>${error ? html`<p class="warn" role="alert">${error}</p>` : ""}
<form method="post" action="/register">
<label>Your name <input name="name" autocomplete="name"></label>
<label>Email <input name="email" type="email" autocomplete="email"></label>
<label>Password <input name="password" type="password" autocomplete="new-password"></label>
<label>Company size <select name="size"><option>1-10</option><option>11-50</option><option>51+</option></select></label>
<input type="submit" value="Register"></form><p><a href="/login">I already have an account</a></p></div>`,
  );
}

function loginPage(error?: string): Markup {
  return page(
    "Log in",
    html`<div class="panel"><h1>Log in</h1>${error ? html`<p class="warn" role="alert">${error}</p>` : ""}
<form method="post" action="/login"><label>Email <input name="email" type="email"></label>
<label>Password <input name="password" type="password"></label><input type="submit" value="Log in"></form>
<p><a href="/register">Create an account</a></p></div>`,
  );
}

function challengePage(answer: string, error?: string): Markup {
  // The characters exist only as distorted SVG paths' positions, not as text a screen reader could read.
  const glyphs = [...answer]
    .map((ch, i) => {
      const code = ch.charCodeAt(0);
      return `<g transform="translate(${14 + i * 26},${30 + ((code * 7) % 11)}) rotate(${((code * 13) % 40) - 20})"><path d="M0 0 L${8 + (code % 9)} -${10 + (code % 7)} L${16 - (code % 5)} 4 Z" fill="none" stroke="#2b3320" stroke-width="2"/></g>`;
    })
    .join("");
  return page(
    "Security check",
    html`<div class="panel"><h1>Security check</h1><p>Please verify you are a human.</p>
${error ? html`<p class="warn" role="alert">${error}</p>` : ""}
<svg role="img" aria-label="CAPTCHA image" width="180" height="60" viewBox="0 0 180 60">${raw(glyphs)}</svg>
<form method="post" action="/login/challenge"><label>Characters in the image <input name="answer" autocomplete="off"></label>
<input type="submit" value="Verify"></form></div>`,
  );
}

import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { Accounts, isEmail, type VendorAccount } from "./common/accounts.ts";
import type { SendMail } from "./common/mailer.ts";
import { document, escapeHtml, formFields, type Markup } from "./common/page.ts";
import { hex, numericCode, randomString } from "./common/random.ts";

export const NIMBUS_KEY_PATTERN = /^nmb_live_[A-Za-z0-9]{32}$/;

export interface NimbusOptions {
  sendMail: SendMail;
  admin: boolean;
}

const STYLE = `
body{margin:0;font-family:Inter,system-ui,sans-serif;background:#0b1020;color:#e6e9f5}
a{color:#8ea2ff}.top{display:flex;justify-content:space-between;align-items:center;padding:16px 32px;border-bottom:1px solid #1e2640}
.brand{font-weight:700;font-size:20px;color:#fff;text-decoration:none}.top nav a{margin-left:20px}
.hero{padding:80px 32px;max-width:760px}.cta{display:inline-block;background:#5b6cff;color:#fff;padding:12px 20px;border-radius:8px;text-decoration:none}
.card{max-width:420px;margin:48px auto;background:#121933;padding:32px;border-radius:12px}
label{display:block;margin:14px 0 6px;font-size:14px}input[type=text],input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:10px;border-radius:6px;border:1px solid #2c3760;background:#0b1020;color:#fff}
button{background:#5b6cff;color:#fff;border:0;padding:10px 18px;border-radius:6px;font-size:15px;cursor:pointer;margin-top:18px}
button.secondary{background:#1e2640}.error{background:#3a1420;color:#ffb3c1;padding:10px;border-radius:6px}
.shell{display:flex;min-height:100vh}.side{width:220px;background:#0e1430;padding:24px}.side a{display:block;padding:8px 0;text-decoration:none}
.side a[aria-current=page]{color:#fff;font-weight:600}main.app{flex:1;padding:32px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:10px;border-bottom:1px solid #1e2640}
dialog{background:#121933;color:#e6e9f5;border:1px solid #2c3760;border-radius:12px;padding:28px;min-width:420px}dialog::backdrop{background:rgba(0,0,0,.6)}
code.secret{display:block;padding:12px;background:#0b1020;border-radius:6px;font-size:14px;word-break:break-all;margin:10px 0}
`;

function page(title: string, body: Markup, script?: string): Markup {
  return document({ title: `${title} · Nimbus DB`, style: STYLE, body, script });
}

function shell(account: VendorAccount, current: string, content: Markup): Markup {
  const link = (href: string, label: string) =>
    html`<a href="${href}" ${current === href ? html`aria-current="page"` : ""}>${label}</a>`;
  return html`<div class="shell">
  <nav class="side" aria-label="Project">
    <a class="brand" href="/dashboard">Nimbus DB</a>
    ${link("/dashboard", "Overview")}${link("/databases", "Databases")}${link("/settings/api-keys", "API keys")}
    ${link("/billing", "Billing")}${link("/settings", "Settings")}
    <form method="post" action="/logout"><button class="secondary" type="submit">Sign out</button></form>
  </nav>
  <main class="app"><p>Signed in as ${account.email}</p>${content}</main>
</div>`;
}

export function nimbusDb(options: NimbusOptions): { app: Hono; accounts: Accounts } {
  const accounts = new Accounts("nimbus_session", "nmb_acct_");
  const app = new Hono();
  const origin = (url: string) => new URL(url).origin;

  async function sendCode(account: VendorAccount): Promise<void> {
    const code = numericCode(6);
    account.pending.set("code", code);
    await options.sendMail({
      to: account.email,
      subject: "Your Nimbus DB verification code",
      text: `Hi ${account.name || "there"},\n\nYour verification code is ${code}. It expires in 10 minutes.\n\nIf you did not sign up for Nimbus DB, ignore this email.\n\n© 2025 Nimbus DB, 1 Cloud Way`,
      html: `<p>Hi ${escapeHtml(account.name || "there")},</p><p>Your verification code is</p><p style="font-size:28px;letter-spacing:4px"><b>${code}</b></p><p>It expires in 10 minutes.</p><p style="color:#888">© 2025 Nimbus DB, 1 Cloud Way</p>`,
    });
  }

  app.get("/", (c) =>
    c.html(
      page(
        "Serverless Postgres",
        html`<header class="top"><a class="brand" href="/">Nimbus DB</a>
<nav aria-label="Main"><a href="/pricing">Pricing</a><a href="/docs">Docs</a><a href="/login">Log in</a></nav></header>
<section class="hero"><h1>Serverless Postgres that scales to zero</h1>
<p>Branching, autoscaling and a generous free tier. No credit card required.</p>
<a class="cta" href="/signup">Start free</a></section>`,
      ),
    ),
  );

  app.get("/pricing", (c) =>
    c.html(
      page(
        "Pricing",
        html`<main class="card"><h1>Pricing</h1><p>Free: 0.5 GB storage, 1 project. Scale: from $19/month.</p><a class="cta" href="/signup">Start free</a></main>`,
      ),
    ),
  );

  app.get("/signup", (c) => c.html(signupPage()));

  app.post("/signup", async (c) => {
    const f = await formFields(c);
    const values = { name: f.name ?? "", email: (f.email ?? "").trim() };
    if (!values.name.trim()) return c.html(signupPage("Enter your full name.", values), 422);
    if (!isEmail(values.email)) return c.html(signupPage("Enter a valid work email.", values), 422);
    if ((f.password ?? "").length < 8) {
      return c.html(signupPage("Password must be at least 8 characters.", values), 422);
    }
    if (f.terms !== "on") return c.html(signupPage("You must accept the Terms of Service.", values), 422);
    if (accounts.find(values.email)) {
      return c.html(signupPage("An account with this email already exists. Log in instead.", values), 409);
    }
    const account = accounts.create({
      email: values.email,
      password: f.password ?? "",
      name: values.name.trim(),
    });
    await sendCode(account);
    accounts.signIn(c, account);
    return c.redirect("/verify", 303);
  });

  app.get("/verify", (c) => {
    const account = accounts.current(c);
    if (!account) return c.redirect("/login", 303);
    if (account.verified) return c.redirect("/dashboard", 303);
    return c.html(verifyPage(account));
  });

  app.post("/verify", async (c) => {
    const account = accounts.current(c);
    if (!account) return c.redirect("/login", 303);
    const f = await formFields(c);
    const code = (f.code ?? "").replace(/\s/g, "");
    if (!account.pending.get("code") || code !== account.pending.get("code")) {
      return c.html(
        verifyPage(account, "That code is not valid. Check the latest email and try again."),
        422,
      );
    }
    account.pending.delete("code");
    account.verified = true;
    return c.redirect("/dashboard", 303);
  });

  app.post("/verify/resend", async (c) => {
    const account = accounts.current(c);
    if (!account) return c.redirect("/login", 303);
    await sendCode(account);
    return c.html(verifyPage(account, undefined, "We sent a new code."));
  });

  app.get("/login", (c) => c.html(loginPage()));

  app.post("/login", async (c) => {
    const f = await formFields(c);
    const account = accounts.find(f.email ?? "");
    if (!account || account.password !== f.password) {
      return c.html(loginPage("Incorrect email or password.", f.email ?? ""), 401);
    }
    accounts.signIn(c, account);
    if (!account.verified) {
      await sendCode(account);
      return c.redirect("/verify", 303);
    }
    return c.redirect("/dashboard", 303);
  });

  app.post("/logout", (c) => {
    accounts.signOut(c);
    return c.redirect("/", 303);
  });

  app.get("/forgot-password", (c) => c.html(forgotPage()));

  app.post("/forgot-password", async (c) => {
    const f = await formFields(c);
    const account = accounts.find(f.email ?? "");
    if (account) {
      const token = hex(16);
      account.pending.set("reset", token);
      const link = `${origin(c.req.url)}/reset-password?token=${token}`;
      await options.sendMail({
        to: account.email,
        subject: "Reset your Nimbus DB password",
        text: `Someone asked to reset your password. Open this link to choose a new one:\n${link}\n`,
        html: `<p>Someone asked to reset your password.</p><p><a href="${link}">Reset password</a></p>`,
      });
    }
    return c.html(forgotPage("If an account exists for that email, we sent a reset link."));
  });

  app.get("/reset-password", (c) => c.html(resetPage(c.req.query("token") ?? "")));

  app.post("/reset-password", async (c) => {
    const f = await formFields(c);
    if ((f.password ?? "").length < 8)
      return c.html(resetPage(f.token ?? "", "Password must be at least 8 characters."), 422);
    const account = accounts.consume("reset", f.token ?? "");
    if (!account) return c.html(resetPage("", "This reset link has expired."), 410);
    account.password = f.password ?? "";
    account.verified = true;
    accounts.signIn(c, account);
    return c.redirect("/dashboard", 303);
  });

  const requireVerified = (c: Context) => {
    const account = accounts.current(c);
    if (!account) return { redirect: c.redirect("/login", 303) };
    if (!account.verified) return { redirect: c.redirect("/verify", 303) };
    return { account };
  };

  app.get("/dashboard", (c) => {
    const { account, redirect } = requireVerified(c);
    if (!account) return redirect;
    return c.html(
      page(
        "Overview",
        shell(
          account,
          "/dashboard",
          html`<h1>Welcome, ${account.name}</h1>
<section aria-label="Project"><h2>Project default</h2><p>Region: aws-us-east-2 · Postgres 16 · Free plan</p>
<p>Storage 0.02 / 0.5 GB · Compute 0.25 CU</p></section>
<p>Connect from your app with an API key: <a href="/settings/api-keys">Manage API keys</a></p>`,
        ),
      ),
    );
  });

  for (const [path, title] of [
    ["/databases", "Databases"],
    ["/billing", "Billing"],
    ["/settings", "Settings"],
  ] as const) {
    app.get(path, (c) => {
      const { account, redirect } = requireVerified(c);
      if (!account) return redirect;
      return c.html(
        page(title, shell(account, path, html`<h1>${title}</h1><p>Nothing to configure yet.</p>`)),
      );
    });
  }

  app.get("/settings/api-keys", (c) => {
    const { account, redirect } = requireVerified(c);
    if (!account) return redirect;
    const rows = account.keys.map(
      (k) =>
        html`<tr><td>${k.name}</td><td><code>${k.value.slice(0, 13)}…</code></td><td>${k.createdAt.slice(0, 10)}</td></tr>`,
    );
    return c.html(
      page(
        "API keys",
        shell(
          account,
          "/settings/api-keys",
          html`<h1>API keys</h1>
<p>API keys let your applications call the Nimbus DB API. Treat them like passwords.</p>
<button type="button" id="create-key">Create key</button>
${
  account.keys.length
    ? html`<table><thead><tr><th>Name</th><th>Key</th><th>Created</th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p>You have no API keys yet.</p>`
}
<dialog id="key-dialog" aria-labelledby="key-dialog-title">
  <div id="key-form-step">
    <h2 id="key-dialog-title">Create API key</h2>
    <form id="key-form" method="dialog">
      <label for="key-name">Key name</label>
      <input id="key-name" name="name" type="text" value="default" required>
      <button type="submit">Create</button>
      <button type="button" class="secondary" id="cancel-key">Cancel</button>
    </form>
  </div>
  <div id="key-result-step" hidden>
    <h2>Your new API key</h2>
    <p>This key will only be shown once. Copy it now and store it somewhere safe.</p>
    <code class="secret" id="new-key"></code>
    <button type="button" id="copy-key">Copy</button>
    <button type="button" class="secondary" id="close-key">Done</button>
  </div>
</dialog>`,
        ),
        `
const dialog = document.getElementById("key-dialog");
document.getElementById("create-key").addEventListener("click", () => dialog.showModal());
document.getElementById("cancel-key").addEventListener("click", () => dialog.close());
document.getElementById("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = document.getElementById("key-name").value;
  const response = await fetch("/api/keys", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) });
  const body = await response.json();
  document.getElementById("new-key").textContent = body.key;
  document.getElementById("key-form-step").hidden = true;
  document.getElementById("key-result-step").hidden = false;
});
document.getElementById("copy-key").addEventListener("click", async (event) => {
  try { await navigator.clipboard.writeText(document.getElementById("new-key").textContent); } catch {}
  event.target.textContent = "Copied";
});
document.getElementById("close-key").addEventListener("click", () => { dialog.close(); location.reload(); });
`,
      ),
    );
  });

  app.post("/api/keys", async (c) => {
    const account = accounts.current(c);
    if (!account?.verified) return c.json({ error: "unauthorized" }, 401);
    const body = (await c.req.json().catch(() => ({}))) as { name?: string };
    const key = accounts.issueKey(
      account,
      (body.name ?? "").trim() || "default",
      `nmb_live_${randomString(32)}`,
    );
    return c.json({ id: key.id, name: key.name, key: key.value }, 201);
  });

  if (options.admin) accounts.mountAdmin(app);
  return { app, accounts };
}

function signupPage(error?: string, values: { name?: string; email?: string } = {}): Markup {
  return page(
    "Sign up",
    html`<main class="card"><h1>Create your Nimbus DB account</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/signup">
  <label for="name">Full name</label><input id="name" name="name" type="text" autocomplete="name" value="${values.name ?? ""}">
  <label for="email">Work email</label><input id="email" name="email" type="email" autocomplete="email" value="${values.email ?? ""}">
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password">
  <p><input id="terms" name="terms" type="checkbox"> <label for="terms" style="display:inline">I agree to the Terms of Service</label></p>
  <button type="submit">Create account</button>
</form>
<p>Already have an account? <a href="/login">Log in</a></p></main>`,
  );
}

function verifyPage(account: VendorAccount, error?: string, notice?: string): Markup {
  return page(
    "Verify your email",
    html`<main class="card"><h1>Check your inbox</h1>
<p>We sent a 6-digit code to ${account.email}. Enter it below to verify your email.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}${notice ? html`<p role="status">${notice}</p>` : ""}
<form method="post" action="/verify">
  <label for="code">Verification code</label><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6">
  <button type="submit">Verify email</button>
</form>
<form method="post" action="/verify/resend"><button type="submit" class="secondary">Resend code</button></form></main>`,
  );
}

function loginPage(error?: string, email = ""): Markup {
  return page(
    "Log in",
    html`<main class="card"><h1>Log in to Nimbus DB</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/login">
  <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" value="${email}">
  <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
  <button type="submit">Log in</button>
</form>
<p><a href="/forgot-password">Forgot password?</a> · <a href="/signup">Create an account</a></p></main>`,
  );
}

function forgotPage(notice?: string): Markup {
  return page(
    "Reset password",
    html`<main class="card"><h1>Reset your password</h1>${notice ? html`<p role="status">${notice}</p>` : ""}
<form method="post" action="/forgot-password"><label for="email">Email</label><input id="email" name="email" type="email">
<button type="submit">Send reset link</button></form></main>`,
  );
}

function resetPage(token: string, error?: string): Markup {
  return page(
    "Choose a new password",
    html`<main class="card"><h1>Choose a new password</h1>${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/reset-password"><input type="hidden" name="token" value="${token}">
<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password">
<button type="submit">Save password</button></form></main>`,
  );
}

import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { Accounts, isEmail, type VendorAccount } from "./common/accounts.ts";
import type { SendMail } from "./common/mailer.ts";
import { document, escapeHtml, formFields, type Markup } from "./common/page.ts";
import { hex, randomString } from "./common/random.ts";

export const RELAY_KEY_PATTERN = /^rm_[A-Za-z0-9]{40}$/;

export interface RelayOptions {
  sendMail: SendMail;
  admin: boolean;
  cardNetworkUrl: string;
}

/** Plans for sale; the merchant descriptor is what the card network sees on the authorization. */
export const RELAY_PLANS = {
  free: { name: "Free", amount: 0, descriptor: "", blurb: "3,000 emails/month, no API access" },
  starter: {
    name: "Starter",
    amount: 1500,
    descriptor: "RELAYMAIL*STARTER",
    blurb: "$15/month, 50,000 emails, API access",
  },
  pro: {
    name: "Pro",
    amount: 4900,
    descriptor: "RELAYMAIL*PRO",
    blurb: "$49/month, 100,000 emails, dedicated IP",
  },
} as const;
type PlanId = keyof typeof RELAY_PLANS;

const STYLE = `
body{margin:0;font-family:"Helvetica Neue",Arial,sans-serif;background:#fffdf7;color:#1d1d1f}
header{display:flex;gap:24px;align-items:center;padding:14px 40px;background:#ffcc33}
header .logo{font-weight:800;font-size:22px;margin-right:auto}header a{color:#1d1d1f;text-decoration:none;font-weight:600}
.wrap{max-width:560px;margin:40px auto;padding:0 20px}input,select{display:block;width:100%;box-sizing:border-box;padding:12px;margin:10px 0;border:2px solid #1d1d1f;border-radius:0;font-size:16px}
button{background:#1d1d1f;color:#ffcc33;border:0;padding:12px 22px;font-size:16px;font-weight:700;cursor:pointer}
.plans label{display:block;border:2px solid #1d1d1f;padding:14px;margin:10px 0}.plans input{display:inline;width:auto;margin-right:10px}
.alert{background:#ffe1e1;border-left:4px solid #d00;padding:10px}.ok{background:#e2ffe6;border-left:4px solid #0a0;padding:10px}
iframe{width:100%;height:360px;border:2px solid #1d1d1f}table{width:100%;border-collapse:collapse}td{padding:10px;border-bottom:1px solid #ddd}
`;

function page(title: string, body: Markup, script?: string): Markup {
  return document({ title: `${title} — Relay Mail`, style: STYLE, body, script });
}

function header(account?: VendorAccount): Markup {
  return account
    ? html`<header><span class="logo">Relay Mail</span><a href="/dashboard">Overview</a><a href="/domains">Domains</a>
<a href="/api-keys">API Keys</a><a href="/billing">Billing</a>
<form method="post" action="/signout"><button type="submit">Sign out</button></form></header>`
    : html`<header><span class="logo">Relay Mail</span><a href="/#pricing">Pricing</a><a href="/signin">Sign in</a>
<button type="button" onclick="location.href='/signup'">Get started</button></header>`;
}

export function relayMail(options: RelayOptions): { app: Hono; accounts: Accounts } {
  const accounts = new Accounts("relay_sess", "rm_acct_");
  const signups = new Map<string, string>();
  const app = new Hono();
  const cardNetworkBase = options.cardNetworkUrl.replace(/\/+$/, "");
  const cardNetwork = new URL(cardNetworkBase);

  async function sendLink(c: Context, account: VendorAccount): Promise<void> {
    const token = hex(20);
    account.pending.set("verify", token);
    const origin = new URL(c.req.url).origin;
    const link = `${origin}/verify-email?token=${token}&source=signup`;
    const htmlLink = link.replace(/&/g, "&amp;");
    await options.sendMail({
      to: account.email,
      subject: "Confirm your email address",
      text: `Welcome to Relay Mail!\n\nConfirm your email address to finish creating your account:\n${link}\n\nRead the docs: https://relay-mail.test/docs\nUnsubscribe: https://relay-mail.test/unsubscribe?u=${account.id}\n`,
      html: `<img src="https://relay-mail.test/logo.png" alt="Relay Mail"><h1>Welcome to Relay Mail, ${escapeHtml(account.name)}</h1>
<p><a href="https://relay-mail.test/docs?utm_source=verify">Read the quickstart</a> while you wait.</p>
<p><a href="${htmlLink}" style="background:#1d1d1f;color:#ffcc33;padding:12px 20px">Confirm email address</a></p>
<p>Or paste this into your browser: ${htmlLink}</p>
<p style="font-size:12px"><a href="https://relay-mail.test/unsubscribe?u=${account.id}&amp;list=onboarding">Unsubscribe</a></p>`,
    });
  }

  const signedIn = (c: Context): VendorAccount | undefined => {
    const account = accounts.current(c);
    return account?.verified ? account : undefined;
  };

  app.get("/", (c) =>
    c.html(
      page(
        "Email API for developers",
        html`${header()}<main class="wrap"><h1>Transactional email, one API call away</h1>
<p>Send, receive and track email with a simple REST API.</p>
<section id="pricing"><h2>Pricing</h2><ul>${Object.values(RELAY_PLANS).map((p) => html`<li>${p.name}: ${p.blurb}</li>`)}</ul></section>
<button type="button" onclick="location.href='/signup'">Start sending</button></main>`,
      ),
    ),
  );

  app.get("/signup", (c) => c.html(signupEmailPage()));

  app.post("/signup", async (c) => {
    const f = await formFields(c);
    const email = (f.email ?? "").trim();
    if (!isEmail(email)) return c.html(signupEmailPage("Please enter a valid email address."), 422);
    if (accounts.find(email))
      return c.html(signupEmailPage("That email is already registered. Sign in instead."), 409);
    const id = randomString(24);
    signups.set(id, email);
    c.header("set-cookie", `relay_signup=${id}; Path=/; HttpOnly; SameSite=Lax`);
    return c.redirect("/signup/details", 303);
  });

  const signupEmail = (c: Context) => {
    const id = /(?:^|;\s*)relay_signup=([^;]+)/.exec(c.req.header("cookie") ?? "")?.[1];
    return id ? signups.get(id) : undefined;
  };

  app.get("/signup/details", (c) => {
    const email = signupEmail(c);
    if (!email) return c.redirect("/signup", 303);
    return c.html(signupDetailsPage(email));
  });

  app.post("/signup/details", async (c) => {
    const email = signupEmail(c);
    if (!email) return c.redirect("/signup", 303);
    const f = await formFields(c);
    if (!(f.name ?? "").trim()) return c.html(signupDetailsPage(email, "Please tell us your name."), 422);
    if ((f.password ?? "").length < 8) {
      return c.html(signupDetailsPage(email, "Your password needs at least 8 characters."), 422);
    }
    if (accounts.find(email)) return c.redirect("/signin", 303);
    const account = accounts.create({ email, password: f.password ?? "", name: (f.name ?? "").trim() });
    await sendLink(c, account);
    return c.redirect(`/signup/check-email?email=${encodeURIComponent(email)}`, 303);
  });

  app.get("/signup/check-email", (c) => c.html(checkEmailPage(c.req.query("email") ?? "")));

  app.post("/signup/resend", async (c) => {
    const f = await formFields(c);
    const account = accounts.find(f.email ?? "");
    if (account && !account.verified) await sendLink(c, account);
    return c.html(checkEmailPage(f.email ?? "", "We sent you a new link."));
  });

  app.get("/verify-email", (c) => {
    const account = accounts.consume("verify", c.req.query("token") ?? "");
    if (!account) {
      return c.html(
        page(
          "Link expired",
          html`${header()}<main class="wrap"><h1>This link is invalid or has expired</h1><p><a href="/signin">Sign in</a> to get a new one.</p></main>`,
        ),
        410,
      );
    }
    account.verified = true;
    accounts.signIn(c, account);
    return c.redirect("/onboarding/plan", 303);
  });

  app.get("/signin", (c) => c.html(signinPage()));

  app.post("/signin", async (c) => {
    const f = await formFields(c);
    const account = accounts.find(f.email ?? "");
    if (!account || account.password !== f.password)
      return c.html(signinPage("Wrong email or password."), 401);
    if (!account.verified) {
      await sendLink(c, account);
      return c.html(signinPage("Please confirm your email first. We sent you a new link."), 403);
    }
    accounts.signIn(c, account);
    return c.redirect(account.plan ? "/dashboard" : "/onboarding/plan", 303);
  });

  app.post("/signout", (c) => {
    accounts.signOut(c);
    return c.redirect("/", 303);
  });

  app.get("/onboarding/plan", (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/signin", 303);
    return c.html(planPage(account));
  });

  app.post("/onboarding/plan", async (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/signin", 303);
    const plan = (await formFields(c)).plan as PlanId | undefined;
    if (!plan || !(plan in RELAY_PLANS)) return c.html(planPage(account, "Choose a plan to continue."), 422);
    if (plan === "free") {
      account.plan = "free";
      return c.redirect("/dashboard", 303);
    }
    return c.redirect(`/checkout?plan=${plan}`, 303);
  });

  app.get("/checkout", (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/signin", 303);
    const planId = c.req.query("plan") as PlanId;
    const plan = RELAY_PLANS[planId];
    if (!plan || plan.amount === 0) return c.redirect("/onboarding/plan", 303);
    const frame = `${cardNetworkBase}/frame?merchant=${encodeURIComponent(plan.descriptor)}&amount=${plan.amount}&currency=usd`;
    return c.html(
      page(
        "Checkout",
        html`${header(account)}<main class="wrap"><h1>Checkout</h1>
<section aria-label="Order summary"><p><strong>${plan.name} plan</strong> — $${(plan.amount / 100).toFixed(2)} / month</p>
<p>Billed monthly to your card. Cancel anytime.</p></section>
<div id="payment-status" role="status"></div>
<iframe title="Secure card payment" src="${frame}"></iframe></main>`,
        `
const cardOrigin = ${JSON.stringify(cardNetwork.origin)};
const status = document.getElementById("payment-status");
window.addEventListener("message", async (event) => {
  if (event.origin !== cardOrigin || !event.data || event.data.source !== "fg-card-network") return;
  if (!event.data.approved) {
    status.className = "alert";
    status.setAttribute("role", "alert");
    status.textContent = "Your card was declined" + (event.data.reason ? ": " + event.data.reason : ".");
    return;
  }
  status.textContent = "Processing payment…";
  const response = await fetch("/checkout/complete", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ plan: ${JSON.stringify(planId)}, authorizationId: event.data.authorizationId }),
  });
  if (response.ok) { location.href = "/dashboard?upgraded=1"; return; }
  const body = await response.json().catch(() => ({}));
  status.className = "alert";
  status.setAttribute("role", "alert");
  status.textContent = "Payment failed: " + (body.error || response.status);
});
`,
      ),
    );
  });

  app.post("/checkout/complete", async (c) => {
    const account = signedIn(c);
    if (!account) return c.json({ error: "not signed in" }, 401);
    const body = (await c.req.json().catch(() => ({}))) as { plan?: string; authorizationId?: string };
    const plan = RELAY_PLANS[body.plan as PlanId];
    if (!plan || plan.amount === 0 || !body.authorizationId) return c.json({ error: "bad request" }, 400);
    if (account.payments.some((p) => p.authorizationId === body.authorizationId)) return c.json({ ok: true });
    let captured: { captured?: boolean; transactionId?: string };
    try {
      const response = await fetch(`${cardNetworkBase}/capture`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ authorizationId: body.authorizationId, amount: plan.amount }),
      });
      captured = (await response.json()) as typeof captured;
    } catch {
      return c.json({ error: "payment network unavailable" }, 502);
    }
    if (!captured.captured || !captured.transactionId) return c.json({ error: "capture refused" }, 402);
    account.payments.push({
      authorizationId: body.authorizationId,
      transactionId: captured.transactionId,
      amount: plan.amount,
      currency: "usd",
    });
    account.plan = body.plan as PlanId;
    account.paid = true;
    if (account.keys.length === 0) accounts.issueKey(account, "Default key", newKey());
    return c.json({ ok: true });
  });

  app.get("/dashboard", (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/signin", 303);
    const plan = account.plan ? RELAY_PLANS[account.plan as PlanId] : undefined;
    return c.html(
      page(
        "Overview",
        html`${header(account)}<main class="wrap">
${c.req.query("upgraded") ? html`<p class="ok" role="status">Payment received. Welcome to ${plan?.name}!</p>` : ""}
<h1>Overview</h1><p>Plan: ${plan ? plan.name : "none"}</p>
${account.paid ? html`<p>Your API keys are on the <a href="/api-keys">API Keys</a> page.</p>` : html`<p>API access needs a paid plan. <a href="/onboarding/plan">Upgrade plan</a></p>`}
<p>Emails sent this month: 0</p></main>`,
      ),
    );
  });

  for (const [path, title] of [
    ["/domains", "Domains"],
    ["/billing", "Billing"],
  ] as const) {
    app.get(path, (c) => {
      const account = signedIn(c);
      if (!account) return c.redirect("/signin", 303);
      const body =
        path === "/billing"
          ? html`<ul>${account.payments.map((p) => html`<li>$${(p.amount / 100).toFixed(2)} — ${p.transactionId}</li>`)}</ul>`
          : html`<p>No domains yet.</p>`;
      return c.html(page(title, html`${header(account)}<main class="wrap"><h1>${title}</h1>${body}</main>`));
    });
  }

  app.get("/api-keys", (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/signin", 303);
    if (!account.paid) {
      return c.html(
        page(
          "API Keys",
          html`${header(account)}<main class="wrap"><h1>API Keys</h1><p>API access requires a paid plan.</p>
<a href="/onboarding/plan">Upgrade plan</a></main>`,
        ),
      );
    }
    const rows = account.keys.map(
      (
        k,
      ) => html`<tr><td>${k.name}</td><td><code data-key-id="${k.id}">rm_••••••••••••${k.value.slice(-4)}</code></td>
<td><button type="button" class="reveal" data-key-id="${k.id}" aria-expanded="false">Reveal</button></td></tr>`,
    );
    return c.html(
      page(
        "API Keys",
        html`${header(account)}<main class="wrap"><h1>API Keys</h1>
<p>Use these keys to authenticate requests to the Relay Mail API.</p>
<table><tbody>${rows}</tbody></table><p><a href="/api-keys/new">Create API key</a></p></main>`,
        `
for (const button of document.querySelectorAll("button.reveal")) {
  const masked = document.querySelector('code[data-key-id="' + button.dataset.keyId + '"]');
  const hidden = masked.textContent;
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-expanded") === "true") {
      masked.textContent = hidden; button.textContent = "Reveal"; button.setAttribute("aria-expanded", "false"); return;
    }
    const response = await fetch("/api-keys/" + button.dataset.keyId + "/reveal", { method: "POST" });
    const body = await response.json();
    masked.textContent = body.key; button.textContent = "Hide"; button.setAttribute("aria-expanded", "true");
  });
}
`,
      ),
    );
  });

  app.post("/api-keys/:id/reveal", (c) => {
    const account = signedIn(c);
    const key = account?.keys.find((k) => k.id === c.req.param("id"));
    if (!key) return c.json({ error: "not found" }, 404);
    key.revealedAt = new Date().toISOString();
    return c.json({ key: key.value });
  });

  app.get("/api-keys/new", (c) => {
    const account = signedIn(c);
    if (!account) return c.redirect("/signin", 303);
    if (!account.paid) return c.redirect("/api-keys", 303);
    return c.html(
      page(
        "New API key",
        html`${header(account)}<main class="wrap"><h1>Create API key</h1>
<form method="post" action="/api-keys/new"><input name="name" placeholder="Key name" required>
<select name="permission" aria-label="Permission"><option value="full">Full access</option><option value="sending">Sending access</option></select>
<button type="submit">Add API key</button></form></main>`,
      ),
    );
  });

  app.post("/api-keys/new", async (c) => {
    const account = signedIn(c);
    if (!account?.paid) return c.redirect("/api-keys", 303);
    const f = await formFields(c);
    accounts.issueKey(account, (f.name ?? "").trim() || "Untitled key", newKey());
    return c.redirect("/api-keys", 303);
  });

  if (options.admin) accounts.mountAdmin(app);
  return { app, accounts };
}

function newKey(): string {
  return `rm_${randomString(40)}`;
}

function signupEmailPage(error?: string): Markup {
  return page(
    "Create your account",
    html`${header()}<main class="wrap"><h1>Create your account</h1><p>Step 1 of 2</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ""}
<form method="post" action="/signup"><input type="email" name="email" placeholder="Email address" autocomplete="email">
<button type="submit">Continue</button></form><p>Have an account? <a href="/signin">Sign in</a></p></main>`,
  );
}

function signupDetailsPage(email: string, error?: string): Markup {
  return page(
    "Create your account",
    html`${header()}<main class="wrap"><h1>Tell us about you</h1><p>Step 2 of 2 · Signing up as ${email}</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ""}
<form method="post" action="/signup/details">
<input name="name" placeholder="Full name" autocomplete="name">
<input name="password" type="password" placeholder="Password (8+ characters)" autocomplete="new-password">
<input name="company" placeholder="Company (optional)" autocomplete="organization">
<button type="submit">Create account</button></form></main>`,
  );
}

function checkEmailPage(email: string, notice?: string): Markup {
  return page(
    "Confirm your email",
    html`${header()}<main class="wrap"><h1>Confirm your email</h1>
<p>We sent a verification link to ${email || "your inbox"}. Click it to activate your account.</p>
${notice ? html`<p class="ok" role="status">${notice}</p>` : ""}
<form method="post" action="/signup/resend"><input type="hidden" name="email" value="${email}">
<button type="submit">Resend email</button></form></main>`,
  );
}

function signinPage(error?: string): Markup {
  return page(
    "Sign in",
    html`${header()}<main class="wrap"><h1>Sign in</h1>${error ? html`<p class="alert" role="alert">${error}</p>` : ""}
<form method="post" action="/signin"><input type="email" name="email" placeholder="Email address" autocomplete="email">
<input type="password" name="password" placeholder="Password" autocomplete="current-password">
<button type="submit">Sign in</button></form><p>New here? <a href="/signup">Create an account</a></p></main>`,
  );
}

function planPage(account: VendorAccount, error?: string): Markup {
  return page(
    "Choose a plan",
    html`${header(account)}<main class="wrap">${error ? html`<p class="alert" role="alert">${error}</p>` : ""}
<form method="post" action="/onboarding/plan"><fieldset class="plans"><legend><h1>Choose a plan</h1></legend>
${Object.entries(RELAY_PLANS).map(
  ([id, p]) =>
    html`<label><input type="radio" name="plan" value="${id}" ${account.plan === id ? "checked" : ""}>${p.name} — ${p.blurb}</label>`,
)}
</fieldset><button type="submit">Continue</button></form></main>`,
  );
}

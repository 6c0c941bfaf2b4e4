import { describe, expect, it } from "vitest";
import { extractCode } from "../../src/email/extract-code.ts";
import { extractLink } from "../../src/email/extract-link.ts";
import { decodeEntities, htmlToText } from "../../src/email/html-text.ts";

describe("extractCode", () => {
  const cases: { name: string; subject?: string; text?: string; html?: string; code: string | undefined }[] =
    [
      {
        name: "finds a 6-digit code after 'code is'",
        subject: "Your Nimbus DB verification code",
        text: "Hi Ada,\n\nYour verification code is 482913. It expires in 10 minutes.\n\n© 2025 Nimbus DB",
        code: "482913",
      },
      {
        name: "finds a code in the subject that precedes the keyword",
        subject: "739201 is your login code",
        code: "739201",
      },
      {
        name: "finds a space-split code alone on its line",
        text: "Use the code below to confirm your email:\n\n  550 913  \n\nThis code expires at 14:30.",
        code: "550913",
      },
      {
        name: "finds an alphanumeric code",
        subject: "Confirm your Pixel CDN account",
        text: "Your confirmation code: K7Q2MX9D\nEnter it on the sign-up page.",
        code: "K7Q2MX9D",
      },
      {
        name: "keeps a hyphenated alphanumeric code as shown",
        text: "Security code: AB3D-9XQ2",
        code: "AB3D-9XQ2",
      },
      { name: "joins a hyphenated numeric code", text: "Your one-time passcode is 123-456.", code: "123456" },
      { name: "finds a letters-only code right after 'code:'", text: "Your code: QWERTZ", code: "QWERTZ" },
      {
        name: "reads the HTML body when there is no text part",
        html: "<p>Your code</p><div style='font-size:32px'><b>&#56;04217</b></div><p>Team</p>",
        code: "804217",
      },
      {
        name: "ignores ports and digits inside links",
        text: "Your code is 118822. Or open http://127.0.0.1:54321/verify?code=999999 in a browser.",
        code: "118822",
      },
      {
        name: "ignores years and amounts",
        text: "Welcome to Relay Mail! Your Starter plan costs $1500 cents per month since 2025.",
        code: undefined,
      },
      {
        name: "finds nothing in a plain welcome mail",
        subject: "Welcome aboard",
        text: "Thanks for joining us.",
        code: undefined,
      },
      {
        name: "prefers the code next to its keyword over an order number",
        text: "Order 20250417 confirmed.\nVerification code: 306118",
        code: "306118",
      },
    ];
  for (const c of cases) {
    it(c.name, () => {
      expect(extractCode({ subject: c.subject ?? "", text: c.text ?? "", html: c.html })).toBe(c.code);
    });
  }
});

describe("extractLink", () => {
  const vendorHost = "127.0.0.1:40123";
  const cases: {
    name: string;
    text?: string;
    html?: string;
    vendorHost?: string;
    link: string | undefined;
  }[] = [
    {
      name: "picks the verify link among docs and unsubscribe links and decodes &amp;",
      html: `<a href="https://relay-mail.test/docs">Docs</a>
        <a href="http://127.0.0.1:40123/verify-email?token=abc123&amp;utm_source=email">Confirm email</a>
        <a href="https://relay-mail.test/unsubscribe?token=zzz">Unsubscribe</a>`,
      vendorHost,
      link: "http://127.0.0.1:40123/verify-email?token=abc123&utm_source=email",
    },
    {
      name: "prefers the vendor host over a look-alike link on another host",
      text: "Verify: https://evil.example/verify?t=1\nVerify: http://127.0.0.1:40123/verify?t=2",
      vendorHost,
      link: "http://127.0.0.1:40123/verify?t=2",
    },
    {
      name: "finds an activation link in a text-only mail without its trailing period",
      text: "Activate your account here: http://127.0.0.1:40123/activate/tok_9f8e7d.",
      link: "http://127.0.0.1:40123/activate/tok_9f8e7d",
    },
    {
      name: "uses the anchor text when the URL says nothing",
      html: `<a href='https://app.example.com/e/Zx81'>Confirm my address</a> <a href="https://app.example.com/">Home</a>`,
      link: "https://app.example.com/e/Zx81",
    },
    {
      name: "counts subdomains as the vendor's host",
      html: `<a href="https://example.net/confirm?x=1">x</a><a href="https://auth.vendor.io/confirm?x=2">y</a>`,
      vendorHost: "vendor.io",
      link: "https://auth.vendor.io/confirm?x=2",
    },
    {
      name: "decodes a hex-encoded ampersand",
      html: `<a href="http://127.0.0.1:40123/confirm?a=1&#x26;b=2">Verify</a>`,
      link: "http://127.0.0.1:40123/confirm?a=1&b=2",
    },
    {
      name: "returns nothing when only images, home and unsubscribe links exist",
      html: `<img src="https://cdn.example/logo.png"><a href="https://x.example/unsubscribe">Unsubscribe</a><a href="https://x.example/">Home</a>`,
      link: undefined,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(extractLink({ text: c.text ?? "", html: c.html }, { vendorHost: c.vendorHost })).toBe(c.link);
    });
  }
});

describe("HTML helpers", () => {
  it("decodes named, decimal and hex references and leaves unknown ones", () => {
    expect(decodeEntities("a &amp; b &#60; c &#x3E; &bogus; &nbsp;")).toBe("a & b < c > &bogus;  ");
  });

  it("turns an HTML mail into its visible lines", () => {
    expect(
      htmlToText("<style>p{}</style><p>Hello&nbsp;there</p><table><tr><td>Code</td><td>42</td></tr></table>"),
    ).toBe("Hello there\n\nCode 42");
  });
});

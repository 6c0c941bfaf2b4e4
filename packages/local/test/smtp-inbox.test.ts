import { randomBytes } from "node:crypto";
import { Account, Actor, Job } from "@fg/core";
import { emailContract } from "@fg/core/email/email.contract";
import { Email } from "@fg/core/email/index";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../src/ports.ts";
import { type SmtpInbox, startSmtpInbox } from "../src/smtp/index.ts";

let inbox: SmtpInbox;
let transport: ReturnType<typeof nodemailer.createTransport>;

beforeAll(async () => {
  inbox = await startSmtpInbox({ port: await freePort() });
  transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: inbox.port,
    secure: false,
    ignoreTLS: true,
  });
});

afterAll(async () => {
  transport?.close();
  await inbox?.stop();
});

function responseCode(error: unknown): number | undefined {
  return (error as { responseCode?: number }).responseCode;
}

emailContract("local SMTP server", async () => ({
  async deliver(mail) {
    try {
      await transport.sendMail(mail);
      return true;
    } catch (error) {
      if (responseCode(error) === 550) return false;
      throw error;
    }
  },
}));

describe("local SMTP inbox", () => {
  it("rejects recipients outside the inbox domain at RCPT TO", async () => {
    const error = await transport
      .sendMail({ from: "a@vendor.test", to: "someone@example.com", subject: "x", text: "y" })
      .catch((e: unknown) => e);
    expect(responseCode(error)).toBe(550);
    expect(String((error as Error).message)).toContain(Email.domain());
  });

  it("rejects unknown inboxes in the right domain with 550", async () => {
    const error = await transport
      .sendMail({
        from: "a@vendor.test",
        to: `unknown${randomBytes(4).toString("hex")}@${Email.domain()}`,
        text: "y",
      })
      .catch((e: unknown) => e);
    expect(responseCode(error)).toBe(550);
  });

  it("stores one copy per job inbox when a mail names several", async () => {
    const account = await Account.create({ email: `multi-${randomBytes(4).toString("hex")}@example.com` });
    const [a, b] = await Actor.system("test", account.id, async () => {
      const jobs = await Promise.all(
        [1, 2].map(() =>
          Job.create({ vendor: "pixel-cdn", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
        ),
      );
      return Promise.all(jobs.map((j) => Email.createInbox({ jobId: j.id })));
    });
    await transport.sendMail({
      from: "a@vendor.test",
      to: [a!.address, b!.address],
      subject: "both",
      text: "Code 777111",
    });
    for (const { address } of [a!, b!]) {
      const message = await Actor.system("test", account.id, () =>
        Email.waitFor({ address, timeoutMs: 10_000 }),
      );
      expect(message.to).toBe(address);
      expect(message.subject).toBe("both");
    }
  });
});

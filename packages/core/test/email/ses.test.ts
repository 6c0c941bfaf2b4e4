import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { Account } from "../../src/account/index.ts";
import { Actor } from "../../src/actor/index.ts";
import { emailContract } from "../../src/email/email.contract.ts";
import { Email } from "../../src/email/index.ts";
import { SesInbound } from "../../src/email/ses.ts";
import { Job } from "../../src/job/index.ts";

const fixture = readFileSync(new URL("./fixtures/ses-inbound.eml", import.meta.url), "utf8").replace(
  /\r?\n/g,
  "\r\n",
);
const s3 = mockClient(S3Client);
const client = new S3Client({ region: "us-east-1" });
const objects = new Map<string, string>();

s3.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
  const raw = objects.get(`${input.Bucket}/${input.Key}`);
  if (raw === undefined) throw Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey" });
  return { Body: { transformToByteArray: async () => new Uint8Array(Buffer.from(raw)) } };
});

afterEach(() => s3.resetHistory());

function putObject(raw: string): { bucket: string; key: string } {
  const key = `inbound/${randomBytes(8).toString("hex")}`;
  objects.set(`fg-inbound/${key}`, raw);
  return { bucket: "fg-inbound", key };
}

function mime(mail: { to: string; from: string; subject: string; text: string; html?: string }): string {
  const boundary = "b1_fg";
  return [
    `From: ${mail.from}`,
    `To: ${mail.to}`,
    `Subject: ${mail.subject}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    mail.text,
    ...(mail.html ? [`--${boundary}`, "Content-Type: text/html; charset=utf-8", "", mail.html] : []),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

emailContract("SES via S3", async () => ({
  async deliver(mail) {
    const result = await SesInbound.ingest(putObject(mime(mail)), client);
    return result.delivered.length > 0;
  },
}));

describe("SES inbound parser", () => {
  it("turns the raw object SES wrote into a message: sender, recipients, decoded subject and bodies", async () => {
    const parsed = await SesInbound.parseObject(putObject(fixture), client);
    expect(parsed.from).toBe("hello@relay-mail.example");
    expect(parsed.recipients).toEqual(["inboxtoken@inbox.fg.test"]);
    expect(parsed.subject).toBe("Confirm your email address — Relay Mail");
    expect(parsed.text).toContain(
      "https://app.relay-mail.example/verify-email?token=c0ffee1234abcd&source=signup",
    );
    expect(parsed.html).toContain(
      'href="https://app.relay-mail.example/verify-email?token=c0ffee1234abcd&amp;source=signup"',
    );
    expect(parsed.date).toBe("2024-05-14T09:21:06.000Z");
    expect(Email.extractLink(parsed, { vendorHost: "relay-mail.example" })).toBe(
      "https://app.relay-mail.example/verify-email?token=c0ffee1234abcd&source=signup",
    );
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toMatchObject({ Bucket: "fg-inbound" });
  });

  it("stores the fixture for the job whose inbox it was sent to", async () => {
    const account = await Account.create({ email: `ses-${randomBytes(4).toString("hex")}@example.com` });
    const { address, jobId } = await Actor.system("test", account.id, async () => {
      const job = await Job.create({
        vendor: "relay-mail",
        goal: "api_key",
        maxSpend: { amount: 1500, currency: "usd" },
      });
      return { jobId: job.id, ...(await Email.createInbox({ jobId: job.id })) };
    });
    const token = Email.tokenOf(address) ?? "";
    const result = await SesInbound.ingest(putObject(fixture.replaceAll("INBOXTOKEN", token)), client);
    expect(result).toMatchObject({ delivered: [{ jobId }], ignored: 0 });
    const message = await Actor.system("test", account.id, () =>
      Email.waitFor({ address, timeoutMs: 5_000 }),
    );
    expect(message.subject).toBe("Confirm your email address — Relay Mail");
    expect(Email.extractLink(message)).toContain("token=c0ffee1234abcd");
  });

  it("uses the SES receipt's envelope recipients over the headers (Bcc delivery)", async () => {
    const account = await Account.create({ email: `bcc-${randomBytes(4).toString("hex")}@example.com` });
    const { address } = await Actor.system("test", account.id, async () => {
      const job = await Job.create({
        vendor: "pixel-cdn",
        goal: "api_key",
        maxSpend: { amount: 0, currency: "usd" },
      });
      return Email.createInbox({ jobId: job.id });
    });
    const raw = mime({ to: "list@vendor.test", from: "a@vendor.test", subject: "bcc", text: "Code 909090" });
    const result = await SesInbound.ingest(
      { ...putObject(raw), recipients: [address, "other@example.com"] },
      client,
    );
    expect(result.delivered).toHaveLength(1);
    expect(result.ignored).toBe(1);
  });

  it("fails loudly when the object is missing", async () => {
    await expect(SesInbound.ingest({ bucket: "fg-inbound", key: "nope" }, client)).rejects.toThrow();
  });
});

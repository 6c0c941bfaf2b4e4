import { randomBytes } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Account, Actor, Email, Job } from "@fg/core";
import type { SESEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handler } from "../src/email/inbound.ts";

const bucket = "fg-test-artifacts";
const s3 = mockClient(S3Client);
const objects = new Map<string, string>();

beforeAll(() => {
  process.env.AWS_REGION = "us-east-1";
  process.env.FG_ARTIFACTS_BUCKET = bucket;
  s3.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    const raw = objects.get(`${input.Bucket}/${input.Key}`);
    if (raw === undefined) throw Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey" });
    return { Body: { transformToByteArray: async () => new Uint8Array(Buffer.from(raw)) } };
  });
  s3.on(DeleteObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    objects.delete(`${input.Bucket}/${input.Key}`);
    return {};
  });
});

afterAll(() => {
  s3.restore();
  delete process.env.FG_ARTIFACTS_BUCKET;
});

/** What SES's receipt rule hands the Lambda after its S3 action wrote the raw message. */
function sesEvent(messageId: string, recipients: string[]): SESEvent {
  const now = new Date().toISOString();
  return {
    Records: [
      {
        eventSource: "aws:ses",
        eventVersion: "1.0",
        ses: {
          mail: {
            timestamp: now,
            source: "noreply@relay-mail.example",
            messageId,
            destination: recipients,
            headersTruncated: false,
            headers: [],
            commonHeaders: {
              returnPath: "noreply@relay-mail.example",
              from: ["noreply@relay-mail.example"],
              to: recipients,
              date: now,
              messageId: `<${messageId}@relay-mail.example>`,
              subject: "Your Relay Mail code",
            },
          },
          receipt: {
            timestamp: now,
            processingTimeMillis: 120,
            recipients,
            spamVerdict: { status: "PASS" },
            virusVerdict: { status: "PASS" },
            spfVerdict: { status: "PASS" },
            dkimVerdict: { status: "PASS" },
            dmarcVerdict: { status: "PASS" },
            action: {
              type: "Lambda",
              functionArn: "arn:aws:lambda:us-east-1:123456789012:function:inbound",
              invocationType: "Event",
            },
          },
        },
      },
    ],
  };
}

describe("SES inbound mail handler", () => {
  it("stores the message SES wrote under inbound/<messageId> for the job whose inbox it was sent to", async () => {
    const { account } = await Account.signup({ email: `in-${randomBytes(6).toString("hex")}@example.com` });
    const admin = <R>(cb: () => R) =>
      Actor.provide({ type: "account", properties: { accountId: account.id, scopes: ["admin"] } }, cb);
    const job = await admin(() =>
      Job.create({ vendor: "relay-mail", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
    );
    const { address } = await admin(() => Email.createInbox({ jobId: job.id }));
    const code = String(100_000 + (randomBytes(3).readUIntBE(0, 3) % 900_000));
    const messageId = randomBytes(16).toString("hex");
    objects.set(
      `${bucket}/inbound/${messageId}`,
      [
        "From: Relay Mail <noreply@relay-mail.example>",
        `To: ${address}`,
        "Subject: Your Relay Mail code",
        "Content-Type: text/plain; charset=utf-8",
        "",
        `Your verification code is ${code}.`,
        "",
      ].join("\r\n"),
    );

    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const result = await handler(sesEvent(messageId, [address, "someone@elsewhere.example"])).finally(() =>
      spy.mockRestore(),
    );
    expect(printed.join("")).toContain(job.id);
    expect(printed.join("")).not.toContain(code);

    expect(result).toEqual({ delivered: 1, ignored: 1 });
    const mail = await admin(() => Email.waitFor({ address, timeoutMs: 5_000 }));
    expect(mail).toMatchObject({ from: "noreply@relay-mail.example", subject: "Your Relay Mail code" });
    expect(Email.extractCode(mail)).toBe(code);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: bucket, Key: `inbound/${messageId}` },
    ]);
  });

  it("fails the invocation, so SES's asynchronous invoke retries, when the object cannot be read", async () => {
    await expect(handler(sesEvent("missing-object", ["x@inbox.fg.test"]))).rejects.toThrow("NoSuchKey");
  });
});

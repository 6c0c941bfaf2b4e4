import { randomBytes } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { Account } from "../account/index.ts";
import { Actor } from "../actor/index.ts";
import { Job } from "../job/index.ts";
import { Store } from "../store/index.ts";
import { isVisibleError } from "../util/error.ts";
import { Email } from "./index.ts";

export interface OutgoingTestMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html?: string;
}

export interface EmailIngress {
  /** Hands one mail to the ingress under test; true when it was accepted for storage. */
  deliver(mail: OutgoingTestMail): Promise<boolean>;
}

async function givenJob(): Promise<{ accountId: string; jobId: string }> {
  const account = await Account.create({ email: `owner-${randomBytes(6).toString("hex")}@example.com` });
  const job = await Actor.system("test", account.id, () =>
    Job.create({ vendor: "nimbus-db", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
  );
  return { accountId: account.id, jobId: job.id };
}

function asAccount<R>(accountId: string, cb: () => R): R {
  return Actor.provide(
    { type: "account", properties: { accountId, scopes: ["jobs:read", "jobs:write"] } },
    cb,
  );
}

/** The behaviour every email ingress (local SMTP, SES via S3) must show through the EmailResolver port. */
export function emailContract(name: string, make: () => Promise<EmailIngress>) {
  describe(`EmailResolver with ingress: ${name}`, () => {
    it("hands back a mail delivered to the job's inbox, with subject and both bodies", async () => {
      const ingress = await make();
      const { accountId, jobId } = await givenJob();
      const { address } = await asAccount(accountId, () => Email.use().createInbox(jobId));
      expect(address.endsWith(`@${Email.domain()}`)).toBe(true);
      const accepted = await ingress.deliver({
        to: address,
        from: "Nimbus DB <no-reply@nimbus-db.test>",
        subject: "Your Nimbus DB verification code",
        text: "Your verification code is 482913.",
        html: "<p>Your verification code is <b>482913</b>.</p>",
      });
      expect(accepted).toBe(true);
      const message = await asAccount(accountId, () => Email.use().waitFor(address, { timeoutMs: 10_000 }));
      expect(message).toMatchObject({
        from: "no-reply@nimbus-db.test",
        to: address,
        subject: "Your Nimbus DB verification code",
      });
      expect(message.text).toContain("482913");
      expect(message.html).toContain("<b>482913</b>");
      expect(Email.Message.parse(message)).toEqual(message);
      expect(Email.extractCode(message)).toBe("482913");
    });

    it("gives every inbox its own unguessable address", async () => {
      const { accountId, jobId } = await givenJob();
      const addresses = await asAccount(accountId, () =>
        Promise.all([1, 2, 3].map(() => Email.use().createInbox(jobId))),
      );
      const tokens = addresses.map((a) => Email.tokenOf(a.address));
      expect(new Set(tokens).size).toBe(3);
      for (const token of tokens) expect(token).toMatch(/^[a-z0-9]{20}$/);
    });

    it("filters by sender and subject and returns the newest match", async () => {
      const ingress = await make();
      const { accountId, jobId } = await givenJob();
      const { address } = await asAccount(accountId, () => Email.use().createInbox(jobId));
      const send = (from: string, subject: string, text: string) =>
        ingress.deliver({ to: address, from, subject, text });
      await send("news@other.test", "Your code is inside", "Code 111111");
      await send("no-reply@nimbus-db.test", "Welcome to Nimbus DB", "Hello");
      await send("no-reply@nimbus-db.test", "Your verification code", "Code 222222");
      await send("no-reply@nimbus-db.test", "Your verification code", "Code 333333");
      const message = await asAccount(accountId, () =>
        Email.use().waitFor(address, { timeoutMs: 10_000, from: "nimbus-db", subjectIncludes: "CODE" }),
      );
      expect(Email.extractCode(message)).toBe("333333");
    });

    it("waits for a mail that arrives after the wait began, ignoring older mail when asked", async () => {
      const ingress = await make();
      const { accountId, jobId } = await givenJob();
      const { address } = await asAccount(accountId, () => Email.use().createInbox(jobId));
      await ingress.deliver({ to: address, from: "a@vendor.test", subject: "old", text: "Code 121212" });
      const since = new Date(Date.now() + 1).toISOString();
      await new Promise((r) => setTimeout(r, 5));
      const waiting = asAccount(accountId, () => Email.use().waitFor(address, { timeoutMs: 15_000, since }));
      await new Promise((r) => setTimeout(r, 300));
      await ingress.deliver({ to: address, from: "a@vendor.test", subject: "new", text: "Code 343434" });
      expect((await waiting).subject).toBe("new");
    });

    it("fails with a visible timeout error that names no address", async () => {
      const { accountId, jobId } = await givenJob();
      const { address } = await asAccount(accountId, () => Email.use().createInbox(jobId));
      const error = await asAccount(accountId, () => Email.use().waitFor(address, { timeoutMs: 300 })).catch(
        (e: unknown) => e,
      );
      expect(isVisibleError(error)).toBe(true);
      expect((error as { code: string }).code).toBe("email.timeout");
      expect((error as Error).message).not.toContain(Email.tokenOf(address) ?? "?");
    });

    it("refuses to read another account's inbox", async () => {
      const ingress = await make();
      const owner = await givenJob();
      const stranger = await givenJob();
      const { address } = await asAccount(owner.accountId, () => Email.use().createInbox(owner.jobId));
      await ingress.deliver({ to: address, from: "a@vendor.test", subject: "hi", text: "Code 565656" });
      const error = await asAccount(stranger.accountId, () =>
        Email.use().waitFor(address, { timeoutMs: 300 }),
      ).catch((e: unknown) => e);
      expect((error as { code: string }).code).toBe("email.inbox_not_found");
    });

    it("refuses inboxes for jobs the caller does not own", async () => {
      const owner = await givenJob();
      const stranger = await givenJob();
      const error = await asAccount(stranger.accountId, () => Email.use().createInbox(owner.jobId)).catch(
        (e: unknown) => e,
      );
      expect((error as { code: string }).code).toBe("job.not_found");
    });

    it("does not accept mail for an inbox that was never created", async () => {
      const ingress = await make();
      const accepted = await ingress.deliver({
        to: `nosuchinbox${randomBytes(4).toString("hex")}@${Email.domain()}`,
        from: "a@vendor.test",
        subject: "hi",
        text: "hello",
      });
      expect(accepted).toBe(false);
    });

    it("keeps subjects, bodies and the address out of the table's plaintext", async () => {
      const ingress = await make();
      const { accountId, jobId } = await givenJob();
      const { address } = await asAccount(accountId, () => Email.use().createInbox(jobId));
      const code = String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000));
      const linkToken = randomBytes(16).toString("hex");
      await ingress.deliver({
        to: address,
        from: "no-reply@nimbus-db.test",
        subject: `Code ${code}`,
        text: `Your code is ${code}. Or open https://vendor.test/verify?t=${linkToken}`,
        html: `<a href="https://vendor.test/verify?t=${linkToken}">Verify</a>`,
      });
      await asAccount(accountId, () => Email.use().waitFor(address, { timeoutMs: 10_000 }));
      const scan = await Store.client().send(new ScanCommand({ TableName: Store.table() }));
      const dump = JSON.stringify(scan.Items);
      expect(dump).toContain("emailMessage");
      for (const secret of [code, linkToken, Email.tokenOf(address) ?? "?", `Code ${code}`]) {
        expect(dump).not.toContain(secret);
      }
    });
  });
}

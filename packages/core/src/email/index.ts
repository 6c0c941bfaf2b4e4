import { createHash, randomBytes } from "node:crypto";
import { encodeTime } from "ulid";
import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Config } from "../config.ts";
import { JobEntity } from "../job/job.entity.ts";
import { VisibleError } from "../util/error.ts";
import { fn } from "../util/fn.ts";
import { Id } from "../util/id.ts";
import { Vault } from "../vault/index.ts";
import { EmailMessageEntity } from "./email-message.entity.ts";
import { extractCode as findCode } from "./extract-code.ts";
import { extractLink as findLink } from "./extract-link.ts";
import { InboxEntity } from "./inbox.entity.ts";

const MESSAGE_RETENTION_DAYS = 7;
const POLL_MS = 250;
const MAX_WAIT_MS = 15 * 60_000;
// The vault's values are bounded (Secrets Manager takes 64 KiB); bodies past this are cut, HTML first.
const MAX_STORED_BYTES = 60_000;
const TOKEN_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

export namespace Email {
  export const Message = z.object({
    id: Id.schema("email"),
    from: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string().optional(),
    receivedAt: z.string(),
  });
  export type Message = z.infer<typeof Message>;

  export interface WaitOptions {
    timeoutMs: number;
    /** Case-insensitive substring of the sender's address, e.g. "nimbus" or "no-reply@nimbus-db.test". */
    from?: string;
    /** Case-insensitive substring of the subject. */
    subjectIncludes?: string;
    /** Only mail received at or after this instant (ISO 8601); by default any mail in the inbox. */
    since?: string;
  }

  /** The port: a unique address per job, and a blocking wait for the next matching mail. */
  export interface Resolver {
    createInbox(jobId: string): Promise<{ address: string }>;
    waitFor(address: string, options: WaitOptions): Promise<Message>;
  }

  export function domain(): string {
    return Config.get().FG_INBOX_DOMAIN.toLowerCase();
  }

  /** Creates a fresh inbox for one of the caller's jobs. The address is unguessable and stays valid. */
  export const createInbox = fn(
    z.object({ jobId: Id.schema("job") }).strict(),
    async ({ jobId }): Promise<{ address: string }> => {
      const accountId = Actor.accountId();
      const job = await JobEntity.get({ accountId, id: jobId }).go({ attributes: ["id"] });
      if (!job.data) throw new VisibleError("not_found", "job.not_found", `Job ${jobId} not found`);
      const token = newToken();
      await InboxEntity.create({ accountId, jobId, tokenHash: hashToken(token) }).go();
      return { address: `${token}@${domain()}` };
    },
  );

  const Address = z.string().trim().min(3).max(320);

  /** Which account and job an address belongs to. Runs before any actor exists (mail delivery). */
  export const findInbox = fn(
    z.object({ address: Address }).strict(),
    async ({ address }): Promise<{ accountId: string; jobId: string } | undefined> => {
      const token = tokenOf(address);
      if (!token) return undefined;
      const found = await InboxEntity.query.byToken({ tokenHash: hashToken(token) }).go({ limit: 1 });
      const inbox = found.data[0];
      return inbox ? { accountId: inbox.accountId, jobId: inbox.jobId } : undefined;
    },
  );

  /**
   * Stores one received mail for the inbox it was addressed to: subject and bodies into the vault (they
   * carry codes and link tokens), metadata into the table. Called by the SMTP inbox and the SES parser.
   */
  export const deliver = fn(
    z
      .object({
        to: Address,
        from: z.string().max(320).default(""),
        subject: z.string().max(2000).default(""),
        text: z.string().default(""),
        html: z.string().optional(),
        receivedAt: z.iso.datetime({ offset: true }).optional(),
      })
      .strict(),
    async (mail): Promise<{ id: string; accountId: string; jobId: string } | undefined> => {
      const inbox = await findInbox({ address: mail.to });
      if (!inbox) return undefined;
      const at = mail.receivedAt ? Date.parse(mail.receivedAt) : Date.now();
      const id = Id.create("email", at);
      const expiresAt = Math.floor(at / 1000) + MESSAGE_RETENTION_DAYS * 86_400;
      const content: Content = bounded({
        to: mail.to.toLowerCase(),
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
      });
      await Actor.system("email.deliver", inbox.accountId, async () => {
        const { ref } = await Vault.use().put({
          kind: "other",
          value: JSON.stringify(content),
          jobId: inbox.jobId,
          label: "email",
          expiresAt,
        });
        await EmailMessageEntity.create({
          accountId: inbox.accountId,
          tokenHash: hashToken(tokenOf(mail.to) ?? ""),
          id,
          jobId: inbox.jobId,
          from: mail.from.toLowerCase(),
          receivedAt: new Date(at).toISOString(),
          vaultRef: ref,
          expiresAt,
        }).go();
      });
      return { id, ...inbox };
    },
  );

  /**
   * Waits until a mail matching the filters is in the inbox and returns the newest such mail. Polls the
   * table, so the SMTP server may run in another process. Fails with a visible error on timeout.
   */
  export const waitFor = fn(
    z
      .object({
        address: Address,
        timeoutMs: z.number().int().min(1).max(MAX_WAIT_MS),
        from: z.string().min(1).max(320).optional(),
        subjectIncludes: z.string().min(1).max(500).optional(),
        since: z.iso.datetime({ offset: true }).optional(),
      })
      .strict(),
    async ({ address, timeoutMs, from, subjectIncludes, since }): Promise<Message> => {
      const accountId = Actor.accountId();
      const inbox = await findInbox({ address });
      if (!inbox || inbox.accountId !== accountId) {
        throw new VisibleError("not_found", "email.inbox_not_found", "No such inbox for this account");
      }
      const tokenHash = hashToken(tokenOf(address) ?? "");
      const deadline = Date.now() + timeoutMs;
      let after = `${Id.prefix("email")}_${encodeTime(since ? Date.parse(since) : 0, 10)}`;
      for (;;) {
        const fresh = await EmailMessageEntity.query
          .byInbox({ accountId, tokenHash })
          .gt({ id: after })
          .go({ pages: "all", consistent: true });
        let match: Message | undefined;
        for (const item of fresh.data) {
          after = item.id;
          if (from && !item.from.includes(from.toLowerCase())) continue;
          const content = JSON.parse(
            await Vault.use().get(item.vaultRef, { reason: "email.wait_for" }),
          ) as Content;
          if (subjectIncludes && !content.subject.toLowerCase().includes(subjectIncludes.toLowerCase())) {
            continue;
          }
          match = { id: item.id, from: item.from, receivedAt: item.receivedAt, ...content };
        }
        if (match) return match;
        const left = deadline - Date.now();
        if (left <= 0) {
          const filters = [from && `from "${from}"`, subjectIncludes && "with the expected subject"]
            .filter(Boolean)
            .join(" ");
          throw new VisibleError(
            "unprocessable",
            "email.timeout",
            `No email${filters ? ` ${filters}` : ""} arrived in the job's inbox within ${Math.round(timeoutMs / 1000)} s`,
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(POLL_MS, left)));
      }
    },
  );

  /** The verification code in a mail (numeric or alphanumeric), or undefined. Pure. */
  export function extractCode(
    message: Pick<Message, "subject" | "text"> & { html?: string },
  ): string | undefined {
    return findCode(message);
  }

  /** The verification link in a mail, preferring the vendor's host and confirm/verify/activate links. Pure. */
  export function extractLink(
    message: Pick<Message, "text"> & { html?: string },
    options: { vendorHost?: string } = {},
  ): string | undefined {
    return findLink(message, options);
  }

  /** The default resolver: inboxes and mail in the table and vault, filled by whichever ingress runs. */
  export const store: Resolver = {
    createInbox: (jobId) => createInbox({ jobId }),
    waitFor: (address, options) => waitFor({ address, ...options }),
  };

  let configured: Resolver = store;

  export function use(): Resolver {
    return configured;
  }

  export function configure(resolver: Resolver): void {
    configured = resolver;
  }

  /** The token of an address in the inbox domain, or undefined for any other address. */
  export function tokenOf(address: string): string | undefined {
    const match = /^([a-z0-9]{8,64})@(.+)$/.exec(address.trim().toLowerCase());
    if (!match || match[2] !== domain()) return undefined;
    return match[1];
  }
}

export type EmailResolver = Email.Resolver;

interface Content {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

function newToken(): string {
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join("");
}

function hashToken(token: string): string {
  return createHash("sha256").update(`fg-inbox:${token}`).digest("hex");
}

function bounded(content: Content): Content {
  const fits = (c: Content) => Buffer.byteLength(JSON.stringify(c), "utf8") <= MAX_STORED_BYTES;
  let result: Content = { ...content, subject: content.subject.slice(0, 2000) };
  while (!fits(result) && result.html) {
    const html = result.html.slice(0, Math.floor(result.html.length / 2));
    result = { to: result.to, subject: result.subject, text: result.text, ...(html ? { html } : {}) };
  }
  while (!fits(result))
    result = { ...result, text: result.text.slice(0, Math.floor(result.text.length * 0.75)) };
  return result;
}

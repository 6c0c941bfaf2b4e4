import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { Email } from "@fg/core/email/index";
import { parseMime } from "@fg/core/email/mime";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export interface SmtpInbox {
  port: number;
  stop(): Promise<void>;
}

export interface SmtpInboxOptions {
  /** Defaults to FG_SMTP_PORT, else 2525. 0 picks a free port. */
  port?: number;
  /** Called once per stored or failed message; never receives subjects or bodies. */
  onMessage?: (event: { id?: string; jobId?: string; error?: string }) => void;
}

/**
 * The local inbox: an SMTP server on 127.0.0.1 that accepts mail for `<token>@FG_INBOX_DOMAIN` only,
 * rejects unknown inboxes and other domains at RCPT TO, parses each message and stores it for its job.
 */
export async function startSmtpInbox(options: SmtpInboxOptions = {}): Promise<SmtpInbox> {
  const port = options.port ?? Number(process.env.FG_SMTP_PORT ?? 2525);
  const server = new SMTPServer({
    name: "fg-inbox",
    banner: "fg local inbox",
    logger: false,
    secure: false,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    onRcptTo(address, _session, callback) {
      accept(address.address)
        .then(() => callback())
        .catch((error: Error) => callback(error));
    },
    onData(stream, session, callback) {
      store(stream, session, options.onMessage)
        .then(() => callback())
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", () => undefined);
  const bound = (server.server.address() as AddressInfo).port;
  return {
    port: bound,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function accept(address: string): Promise<void> {
  if (!address.toLowerCase().endsWith(`@${Email.domain()}`)) {
    throw smtpError(550, `5.1.2 This server only accepts mail for @${Email.domain()}`);
  }
  let inbox: Awaited<ReturnType<typeof Email.findInbox>>;
  try {
    inbox = await Email.findInbox({ address });
  } catch {
    throw smtpError(451, "4.3.0 Inbox lookup failed, try again later");
  }
  if (!inbox) throw smtpError(550, "5.1.1 No such inbox");
}

async function store(
  stream: Readable,
  session: SMTPServerSession,
  onMessage: SmtpInboxOptions["onMessage"],
): Promise<void> {
  const mail = await parseMime(stream);
  if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
    throw smtpError(552, "5.3.4 Message too big");
  }
  const from = mail.from || (session.envelope.mailFrom ? session.envelope.mailFrom.address : "");
  try {
    for (const rcpt of session.envelope.rcptTo) {
      const stored = await Email.deliver({
        to: rcpt.address,
        from,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        receivedAt: new Date().toISOString(),
      });
      onMessage?.({ id: stored?.id, jobId: stored?.jobId });
    }
  } catch (error) {
    onMessage?.({ error: (error as Error).name });
    throw smtpError(451, "4.3.0 Could not store the message, try again later");
  }
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

import type { Readable } from "node:stream";
import { type AddressObject, simpleParser } from "mailparser";

export interface ParsedMime {
  from: string;
  /** Every address in To, Cc, Delivered-To and X-Original-To, lower-cased, without duplicates. */
  recipients: string[];
  subject: string;
  text: string;
  html?: string;
  date?: string;
}

/** Parses a raw RFC 5322 message (SMTP DATA or the object SES writes to S3). */
export async function parseMime(source: Buffer | string | Readable): Promise<ParsedMime> {
  const mail = await simpleParser(source, { skipImageLinks: true });
  const addresses = (field: AddressObject | AddressObject[] | undefined) =>
    (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) =>
      group.value.map((a) => a.address ?? ""),
    );
  const headerAddresses = ["delivered-to", "x-original-to"].flatMap((name) => {
    const value = mail.headers.get(name);
    const texts = Array.isArray(value) ? value : value ? [value] : [];
    return texts.flatMap((v) => (typeof v === "string" ? (v.match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []) : []));
  });
  const recipients = [
    ...new Set(
      [...addresses(mail.to), ...addresses(mail.cc), ...headerAddresses]
        .map((a) => a.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  return {
    from: (mail.from?.value[0]?.address ?? "").toLowerCase(),
    recipients,
    subject: mail.subject ?? "",
    text: mail.text ?? "",
    ...(typeof mail.html === "string" ? { html: mail.html } : {}),
    ...(mail.date && !Number.isNaN(mail.date.getTime()) ? { date: mail.date.toISOString() } : {}),
  };
}

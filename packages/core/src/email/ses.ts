import { DeleteObjectCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Email } from "./index.ts";
import { type ParsedMime, parseMime } from "./mime.ts";

export namespace SesInbound {
  export interface ObjectRef {
    bucket: string;
    key: string;
    /** The envelope recipients from the SES receipt; the message headers are used when absent. */
    recipients?: string[];
  }

  export interface Result {
    delivered: { id: string; jobId: string }[];
    /** Recipients in the inbox domain with no inbox, and recipients of other domains. */
    ignored: number;
  }

  let client: S3Client | undefined;

  /** Reads the raw message SES wrote to S3. */
  export async function readObject(ref: Pick<ObjectRef, "bucket" | "key">, s3?: S3Client): Promise<Buffer> {
    client ??= new S3Client({});
    const response = await (s3 ?? client).send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
    if (!response.Body) throw new Error(`S3 object ${ref.bucket}/${ref.key} has no body`);
    return Buffer.from(await response.Body.transformToByteArray());
  }

  /** Deletes the raw message once it is stored: it holds codes and links the vault now keeps. */
  export async function discardObject(ref: Pick<ObjectRef, "bucket" | "key">, s3?: S3Client): Promise<void> {
    client ??= new S3Client({});
    await (s3 ?? client).send(new DeleteObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
  }

  /** S3 object → parsed message. */
  export async function parseObject(
    ref: Pick<ObjectRef, "bucket" | "key">,
    s3?: S3Client,
  ): Promise<ParsedMime> {
    return parseMime(await readObject(ref, s3));
  }

  /** Reads, parses and stores one inbound message for every recipient that is a job inbox. */
  export async function ingest(ref: ObjectRef, s3?: S3Client): Promise<Result> {
    const mail = await parseObject(ref, s3);
    const recipients = [...new Set((ref.recipients ?? mail.recipients).map((r) => r.toLowerCase()))];
    const result: Result = { delivered: [], ignored: 0 };
    for (const to of recipients) {
      if (!Email.tokenOf(to)) {
        result.ignored++;
        continue;
      }
      const stored = await Email.deliver({
        to,
        from: mail.from,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        receivedAt: new Date().toISOString(),
      });
      if (stored) result.delivered.push({ id: stored.id, jobId: stored.jobId });
      else result.ignored++;
    }
    return result;
  }
}

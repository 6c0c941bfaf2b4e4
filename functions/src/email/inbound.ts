import { configureAdaptersFromEnv, log } from "@fg/core";
import { SesInbound } from "@fg/core/email/ses";
import { ArtifactPrefix } from "@fg/core/infra/names";
import type { SESEvent } from "aws-lambda";

/**
 * SES receipt rule → S3 action (raw message at `inbound/<SES message id>`) → this Lambda, invoked
 * asynchronously: a thrown error makes Lambda retry the event. The raw object is deleted once the message
 * is stored (the bucket's lifecycle rule removes whatever a failure leaves behind).
 */
export const handler = async (event: SESEvent) => {
  await configureAdaptersFromEnv();
  const bucket = process.env.FG_ARTIFACTS_BUCKET;
  if (!bucket) throw new Error("FG_ARTIFACTS_BUCKET is not set");
  let delivered = 0;
  let ignored = 0;
  for (const record of event.Records) {
    const { mail, receipt } = record.ses;
    const object = { bucket, key: `${ArtifactPrefix.inbound}${mail.messageId}` };
    const result = await SesInbound.ingest({ ...object, recipients: receipt.recipients });
    await SesInbound.discardObject(object);
    delivered += result.delivered.length;
    ignored += result.ignored;
    log.info("inbound mail", {
      messageId: mail.messageId,
      jobIds: result.delivered.map((d) => d.jobId),
      ignored: result.ignored,
    });
  }
  return { delivered, ignored };
};

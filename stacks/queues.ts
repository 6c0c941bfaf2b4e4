// Jobs and outbound webhook deliveries, each with a dead-letter queue. Consumers subscribe where their
// concern lives: the jobs consumer in workflow.ts, the webhooks consumer in api.ts.
import { Settings } from "@fg/core/infra/settings";

const deadLetters = {
  messageRetentionSeconds: Settings.deadLetterRetentionSeconds,
  sqsManagedSseEnabled: true,
};

export const jobsDlq = new sst.aws.Queue("JobsDlq", { transform: { queue: deadLetters } });

export const jobsQueue = new sst.aws.Queue("JobsQueue", {
  visibilityTimeout: `${Settings.jobsQueue.visibilityTimeoutSeconds} seconds`,
  dlq: { queue: jobsDlq.arn, retry: Settings.jobsQueue.maxReceives },
  transform: {
    queue: { messageRetentionSeconds: Settings.jobsQueue.retentionSeconds, sqsManagedSseEnabled: true },
  },
});

export const webhooksDlq = new sst.aws.Queue("WebhooksDlq", { transform: { queue: deadLetters } });

export const webhooksQueue = new sst.aws.Queue("WebhooksQueue", {
  visibilityTimeout: `${Settings.webhooksQueue.visibilityTimeoutSeconds} seconds`,
  dlq: { queue: webhooksDlq.arn, retry: Settings.webhooksQueue.maxReceives },
  transform: {
    queue: { messageRetentionSeconds: Settings.webhooksQueue.retentionSeconds, sqsManagedSseEnabled: true },
  },
});

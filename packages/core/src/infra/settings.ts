/**
 * The deployment's knobs in one place: sizes, timeouts, concurrency, retention. the README ("Deploy to AWS") and
 * docs/operations.md describe each; stacks/ only reads them.
 */
import type { FunctionKey } from "./names.ts";

export const Settings = {
  /**
   * At most this many browser tasks run at once. It is the jobs consumer's SQS maximum concurrency and its
   * FG_MAX_CONCURRENT_JOBS: the consumer leaves a job on the queue while this many executions are running.
   */
  maxConcurrentBrowserJobs: 5,

  /** Chromium wants a full core and ~2 GB; the agent, Node and screenshots share the rest. */
  browserTask: {
    cpu: "2 vCPU",
    memory: "4 GB",
    storage: "21 GB",
    architecture: "x86_64",
    heartbeatSeconds: 120,
    timeoutSeconds: 30 * 60,
  },

  /** A job above the approval threshold waits this long for POST /v1/jobs/:id/approve, then is canceled. */
  approvalTimeoutSeconds: 24 * 3600,

  api: {
    /** Steady-state requests per second across the stage, and the burst above it (API Gateway stage throttle). */
    throttleRatePerSecond: 50,
    throttleBurst: 100,
    /** Just under API Gateway's 30 s integration limit. */
    timeoutSeconds: 29,
    memoryMb: 1024,
  },

  jobsQueue: {
    visibilityTimeoutSeconds: 180,
    /**
     * High on purpose: while the browser pool is full the consumer hands jobs back to the queue, and every
     * hand-back is a receive. 20 receives × 180 s ≈ an hour of waiting before a job is dead-lettered.
     */
    maxReceives: 20,
    retentionSeconds: 4 * 86_400,
    batchSize: 10,
  },

  webhooksQueue: {
    visibilityTimeoutSeconds: 360,
    maxReceives: 6,
    retentionSeconds: 4 * 86_400,
    batchSize: 10,
  },

  deadLetterRetentionSeconds: 14 * 86_400,

  functionTimeoutSeconds: {
    api: 29,
    jobsConsumer: 30,
    webhooksConsumer: 60,
    emailInbound: 30,
    plan: 30,
    checkPolicy: 30,
    requestApproval: 30,
    charge: 60,
    issueCard: 60,
    settle: 60,
    notify: 30,
    compensate: 60,
    markFailed: 30,
  } satisfies Record<FunctionKey, number>,

  /** Every function except the API, which gets api.memoryMb. */
  functionMemoryMb: 512,

  /** The same period twice: SST components take the words, raw CloudWatch log groups the days. */
  logRetention: "1 month",
  logRetentionDays: 30,

  /** Artifact lifetimes in days. Raw inbound mail holds verification codes: it goes after one day. */
  artifactRetentionDays: { inbound: 1, screenshots: 30, traces: 14 },

  /** The default model on AWS: a cross-region inference profile (Claude Sonnet 4 has no on-demand id). */
  llm: { provider: "bedrock", model: "us.anthropic.claude-sonnet-4-20250514-v1:0" },

  alarms: {
    /** Job failure rate over an hour, in percent, once at least `minJobs` finished in that hour. */
    jobFailureRatePercent: 25,
    minJobs: 5,
    /** Card authorization declines in 5 minutes that count as a spike. */
    declineSpike: 10,
  },
} as const;

export type Settings = typeof Settings;

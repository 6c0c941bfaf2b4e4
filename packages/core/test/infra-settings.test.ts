import { describe, expect, it } from "vitest";
import { lifecycleRules } from "../src/infra/artifacts.ts";
import { ArtifactPrefix } from "../src/infra/names.ts";
import { Settings } from "../src/infra/settings.ts";

// Fargate's valid CPU/memory pairs (GB) for the sizes we would pick for Chromium.
const fargateMemory: Record<string, number[]> = {
  "1 vCPU": [2, 3, 4, 5, 6, 7, 8],
  "2 vCPU": [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
  "4 vCPU": [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
};
const cloudWatchRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

describe("deployment settings", () => {
  it("sizes the browser task with a valid Fargate CPU and memory pair", () => {
    const { cpu, memory, storage } = Settings.browserTask;
    expect(fargateMemory[cpu]).toContain(Number.parseInt(memory, 10));
    expect(Number.parseInt(storage, 10)).toBeGreaterThanOrEqual(21);
  });

  it("keeps each queue's visibility timeout at least six times its consumer's timeout", () => {
    expect(Settings.jobsQueue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * Settings.functionTimeoutSeconds.jobsConsumer,
    );
    expect(Settings.webhooksQueue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * Settings.functionTimeoutSeconds.webhooksConsumer,
    );
  });

  it("stays inside AWS limits", () => {
    expect(Settings.api.timeoutSeconds).toBeLessThan(30);
    expect(Settings.functionTimeoutSeconds.api).toBe(Settings.api.timeoutSeconds);
    expect(Settings.maxConcurrentBrowserJobs).toBeGreaterThanOrEqual(1);
    expect(Settings.browserTask.heartbeatSeconds).toBeLessThan(Settings.browserTask.timeoutSeconds);
    expect(Settings.deadLetterRetentionSeconds).toBeLessThanOrEqual(14 * 86_400);
    expect(cloudWatchRetentionDays).toContain(Settings.logRetentionDays);
    for (const batch of [Settings.jobsQueue.batchSize, Settings.webhooksQueue.batchSize]) {
      expect(batch).toBeLessThanOrEqual(10);
    }
  });

  it("expires every artifact prefix, raw mail within a day", () => {
    const rules = lifecycleRules();
    for (const [kind, prefix] of Object.entries(ArtifactPrefix)) {
      const rule = rules.find((r) => r.filter.prefix === prefix);
      expect(rule?.expiration?.days, kind).toBe(
        Settings.artifactRetentionDays[kind as keyof typeof ArtifactPrefix],
      );
    }
    expect(Settings.artifactRetentionDays.inbound).toBe(1);
    expect(rules.some((r) => r.abortIncompleteMultipartUpload)).toBe(true);
  });
});

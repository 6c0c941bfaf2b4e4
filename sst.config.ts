/// <reference path="./.sst/platform/config.d.ts" />

// Deploys fg to AWS (docs/deploy.md). Everything computed lives in packages/core/src/infra and is tested;
// the stacks only declare resources. Stacks are imported in dependency order.
export default $config({
  app(input) {
    const isProtected = ["production"].includes(input?.stage ?? "");
    return {
      name: "fg",
      home: "aws",
      removal: isProtected ? "retain" : "remove",
      protect: isProtected,
    };
  },
  async run() {
    await import("./stacks/context");
    await import("./stacks/table");
    await import("./stacks/vault");
    await import("./stacks/secrets");
    await import("./stacks/artifacts");
    await import("./stacks/queues");
    await import("./stacks/runtime");
    await import("./stacks/cluster");
    await import("./stacks/workflow");
    const { api, stripeWebhookUrl } = await import("./stacks/api");
    const { inbox } = await import("./stacks/email");
    await import("./stacks/alarms");

    return {
      api: api.url,
      stripeWebhookUrl,
      inboxDomain: inbox.domain,
      inboxVerificationRecord: inbox.verificationRecord,
      inboxMxRecord: inbox.mxRecord,
    };
  },
});

// Masked screenshots, Playwright traces and raw inbound mail, each under its prefix with its own expiry.
import { lifecycleRules } from "@fg/core/infra/artifacts";
import { sesInboundWriteStatement, withStatements } from "@fg/core/infra/iam";
import { Arn, receiptRuleName } from "@fg/core/infra/names";
import { scope, sesRuleSet } from "./context";

export const artifacts = new sst.aws.Bucket("Artifacts", {
  cors: false,
  transform: {
    policy: (args) => {
      args.policy = $resolve([args.policy, args.bucket, scope]).apply(([policy, bucketName, s]) =>
        withStatements(typeof policy === "string" ? policy : JSON.stringify(policy), [
          sesInboundWriteStatement({
            bucketName,
            partition: s.partition,
            accountId: s.accountId,
            receiptRuleArn: Arn.receiptRule(s, sesRuleSet.name, receiptRuleName($app.name, $app.stage)),
          }),
        ]),
      );
    },
  },
});

new aws.s3.BucketServerSideEncryptionConfigurationV2("ArtifactsEncryption", {
  bucket: artifacts.name,
  rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
});

new aws.s3.BucketLifecycleConfigurationV2("ArtifactsLifecycle", {
  bucket: artifacts.name,
  rules: lifecycleRules(),
});

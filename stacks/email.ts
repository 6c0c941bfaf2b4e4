// Job inboxes: SES receives mail for the inbox domain, writes it to the artifacts bucket under inbound/,
// then invokes the inbound Lambda with the envelope (object key = inbound/<SES message id>).
import { SesInvokesLambda } from "@fg/core/infra/iam";
import { Arn, ArtifactPrefix, ComponentNames, receiptRuleName } from "@fg/core/infra/names";
import { artifacts } from "./artifacts";
import { inboxDomain, scope, sesRuleSet } from "./context";
import { functionArgs } from "./runtime";

const ruleName = receiptRuleName($app.name, $app.stage);

export const inboxIdentity = new aws.ses.DomainIdentity("InboxDomain", { domain: inboxDomain });

const ruleSet = sesRuleSet.create
  ? new aws.ses.ReceiptRuleSet("InboxRuleSet", { ruleSetName: sesRuleSet.name })
  : undefined;

// Activating replaces any other active rule set in this region; set FG_SES_RULE_SET to share one instead.
const active = ruleSet
  ? new aws.ses.ActiveReceiptRuleSet("InboxActiveRuleSet", { ruleSetName: ruleSet.ruleSetName })
  : undefined;

export const emailInbound = new sst.aws.Function(ComponentNames.emailInbound, functionArgs("emailInbound"));

const sesInvokes = new aws.lambda.Permission("EmailInboundInvokedBySes", {
  ...SesInvokesLambda,
  function: emailInbound.name,
  sourceAccount: scope.accountId,
  sourceArn: scope.apply((s) => Arn.receiptRule(s, sesRuleSet.name, ruleName)),
});

new aws.ses.ReceiptRule(
  "InboxReceiptRule",
  {
    name: ruleName,
    ruleSetName: ruleSet?.ruleSetName ?? sesRuleSet.name,
    recipients: [inboxDomain],
    enabled: true,
    scanEnabled: true,
    tlsPolicy: "Require",
    s3Actions: [{ bucketName: artifacts.name, objectKeyPrefix: ArtifactPrefix.inbound, position: 1 }],
    lambdaActions: [{ functionArn: emailInbound.arn, invocationType: "Event", position: 2 }],
  },
  { dependsOn: [sesInvokes, ...(active ? [active] : [])] },
);

export const inbox = {
  domain: inboxDomain,
  verificationRecord: $interpolate`_amazonses.${inboxDomain} TXT "${inboxIdentity.verificationToken}"`,
  mxRecord: $interpolate`${inboxDomain} MX 10 inbound-smtp.${scope.region}.amazonaws.com`,
};

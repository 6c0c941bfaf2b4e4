// Deploy-time inputs every stack shares: where we deploy (account, region, partition) and the inbox domain.
import { inboxDomainFrom, receiptRuleSetName } from "@fg/core/infra/names";

export const scope = $resolve([
  aws.getPartitionOutput().partition,
  aws.getRegionOutput().name,
  aws.getCallerIdentityOutput().accountId,
]).apply(([partition, region, accountId]) => ({ partition, region, accountId }));

export const inboxDomain = inboxDomainFrom(process.env);

/** SES allows one active receipt rule set per region: reuse the account's if FG_SES_RULE_SET names it. */
export const sesRuleSet = {
  name: process.env.FG_SES_RULE_SET ?? receiptRuleSetName($app.name, $app.stage),
  create: !process.env.FG_SES_RULE_SET,
};

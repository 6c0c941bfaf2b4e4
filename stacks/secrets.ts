// Stripe keys live in a Secrets Manager secret outside the vault prefix, linked to the functions that
// need them. Not sst.Secret: that stores values in SST's own state, outside our KMS key and audit trail.
import { stripeLinkPermission } from "@fg/core/infra/iam";
import { stripeSecretName } from "@fg/core/infra/names";
import { vaultKey } from "./vault";

export const stripeSecret = new aws.secretsmanager.Secret("StripeSecret", {
  name: stripeSecretName($app.stage),
  description: 'Stripe keys for fg: {"secretKey":"sk_…","webhookSecret":"whsec_…"}',
  kmsKeyId: vaultKey.arn,
  recoveryWindowInDays: 7,
});

export const stripe = new sst.Linkable("Stripe", {
  properties: { secretArn: stripeSecret.arn },
  include: [sst.aws.permission(stripeLinkPermission(stripeSecret.arn))],
});

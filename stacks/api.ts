// The public HTTPS API: API Gateway (HTTP API) in front of the one Hono Lambda, throttled per stage.
// Outbound webhook delivery, an API feature, is consumed here too.
import { ComponentNames } from "@fg/core/infra/names";
import { Settings } from "@fg/core/infra/settings";
import { webhooksQueue } from "./queues";
import { functionArgs } from "./runtime";

export const apiHandler = new sst.aws.Function(ComponentNames.api, functionArgs("api"));

export const api = new sst.aws.ApiGatewayV2("Api", {
  accessLog: { retention: Settings.logRetention },
  transform: {
    stage: {
      defaultRouteSettings: {
        throttlingRateLimit: Settings.api.throttleRatePerSecond,
        throttlingBurstLimit: Settings.api.throttleBurst,
      },
    },
  },
});

api.route("$default", apiHandler.arn);

export const stripeWebhookUrl = $interpolate`${api.url}/v1/webhooks/stripe`;

export const webhooksConsumer = new sst.aws.Function(
  ComponentNames.webhooksConsumer,
  functionArgs("webhooksConsumer"),
);

webhooksQueue.subscribe(webhooksConsumer.arn, {
  batch: { size: Settings.webhooksQueue.batchSize, partialResponses: true },
});

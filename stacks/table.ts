import { stagePolicy } from "@fg/core/infra/names";
import { dynamoArgs } from "@fg/core/infra/table";

export const table = new sst.aws.Dynamo("Table", {
  ...dynamoArgs(),
  transform: {
    table: {
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: stagePolicy($app.stage).protect,
    },
  },
});

// The browser worker: one Fargate task per job, started by the state machine with a task token.
// Tasks run in public subnets with a public IP for egress (no NAT gateway) and accept no inbound traffic.
import { BrowserWorker } from "@fg/core/infra/names";
import { Settings } from "@fg/core/infra/settings";
import { access } from "./runtime";

export const vpc = new sst.aws.Vpc("Vpc", {
  az: 2,
  transform: { securityGroup: { ingress: [] } },
});

export const cluster = new sst.aws.Cluster("Cluster", { vpc });

const { environment, permissions, link } = access("browserTask");

export const browserTask = new sst.aws.Task(BrowserWorker.component, {
  cluster,
  architecture: Settings.browserTask.architecture,
  cpu: Settings.browserTask.cpu,
  memory: Settings.browserTask.memory,
  storage: Settings.browserTask.storage,
  publicIp: true,
  containers: [
    {
      name: BrowserWorker.containerName,
      image: { context: BrowserWorker.context, dockerfile: BrowserWorker.dockerfile },
      environment,
      logging: { retention: Settings.logRetention },
    },
  ],
  permissions,
  link,
  dev: false,
});

import { randomBytes } from "node:crypto";
import {
  ExecutionAlreadyExists,
  type ExecutionListItem,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { Account, Actor, Job } from "@fg/core";
import { JobEntity } from "@fg/core/job/job.entity";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handler } from "../src/queue/jobs.ts";
import { lambdaContext, sqsEvent } from "./sqs-event.ts";

const stateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:fg-test-jobs";
const executionArn = (jobId: string) =>
  `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${jobId}`;

const sfn = mockClient(SFNClient);
let running: ExecutionListItem[] = [];

beforeAll(() => {
  process.env.AWS_REGION = "us-east-1";
  process.env.FG_STATE_MACHINE_ARN = stateMachineArn;
  process.env.FG_MAX_CONCURRENT_JOBS = "3";
});

afterAll(() => {
  delete process.env.FG_STATE_MACHINE_ARN;
  delete process.env.FG_MAX_CONCURRENT_JOBS;
  sfn.restore();
});

beforeEach(() => {
  sfn.reset();
  running = [];
  const started = new Set<string>();
  sfn.on(StartExecutionCommand).callsFake((input) => {
    if (started.has(input.name)) throw new ExecutionAlreadyExists({ message: "exists", $metadata: {} });
    started.add(input.name);
    return { executionArn: executionArn(input.name), startDate: new Date() };
  });
  sfn.on(ListExecutionsCommand).callsFake((input) => ({
    executions: running.slice(0, input.maxResults ?? 100),
  }));
});

async function queuedJob() {
  const { account } = await Account.signup({ email: `q-${randomBytes(6).toString("hex")}@example.com` });
  const job = await Actor.system("test", account.id, () =>
    Job.create({ vendor: "nimbus-db", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } }),
  );
  return { accountId: account.id, jobId: job.id };
}

const jobOf = (ref: { accountId: string; jobId: string }) =>
  Actor.system("test", ref.accountId, () => Job.get({ id: ref.jobId }));

const starts = () =>
  sfn.commandCalls(StartExecutionCommand).map(({ args: [{ input }] }) => ({
    ...input,
    input: JSON.parse(input.input ?? "null"),
  }));

function runningExecutions(n: number): ExecutionListItem[] {
  return Array.from({ length: n }, (_, i) => ({
    executionArn: executionArn(`job_running_${i}`),
    stateMachineArn,
    name: `job_running_${i}`,
    status: "RUNNING",
    startDate: new Date(),
  }));
}

describe("jobs queue consumer", () => {
  it("starts one execution per job, named by the job id, and reports only the bad record", async () => {
    const a = await queuedJob();
    const b = await queuedJob();
    const { event, ids } = sqsEvent([a, "{not json", b]);

    const result = await handler(event, lambdaContext);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: ids[1] }] });
    expect(starts()).toEqual([
      { stateMachineArn, name: a.jobId, input: a },
      { stateMachineArn, name: b.jobId, input: b },
    ]);
    expect(await jobOf(a)).toMatchObject({ status: "queued" });
  });

  it("records the execution on the job", async () => {
    const ref = await queuedJob();
    await handler(sqsEvent([ref]).event, lambdaContext);
    const item = await JobEntity.get({ accountId: ref.accountId, id: ref.jobId }).go();
    expect(item.data?.executionArn).toBe(executionArn(ref.jobId));
  });

  it("acknowledges a redelivered message without starting a second execution", async () => {
    const ref = await queuedJob();
    const first = await handler(sqsEvent([ref]).event, lambdaContext);
    const again = await handler(sqsEvent([ref]).event, lambdaContext);
    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(starts()).toHaveLength(1);
  });

  it("treats an execution that already exists as started when the record was never written", async () => {
    const ref = await queuedJob();
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: "exists", $metadata: {} }));
    expect(await handler(sqsEvent([ref]).event, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(starts()).toHaveLength(1);
  });

  it("leaves jobs on the queue while the concurrency cap is reached", async () => {
    running = runningExecutions(3);
    const a = await queuedJob();
    const b = await queuedJob();
    const { event, ids } = sqsEvent([a, b]);

    const result = await handler(event, lambdaContext);

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([...ids].sort());
    expect(starts()).toEqual([]);
    expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toMatchObject({
      stateMachineArn,
      statusFilter: "RUNNING",
    });
  });

  it("starts jobs up to the cap and holds the rest", async () => {
    running = runningExecutions(2);
    sfn.on(StartExecutionCommand).callsFake((input) => {
      running.push({ ...runningExecutions(1)[0]!, name: input.name, executionArn: executionArn(input.name) });
      return { executionArn: executionArn(input.name), startDate: new Date() };
    });
    const a = await queuedJob();
    const b = await queuedJob();
    const { event, ids } = sqsEvent([a, b]);

    const result = await handler(event, lambdaContext);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: ids[1] }] });
    expect(starts().map((s) => s.name)).toEqual([a.jobId]);
  });

  it("drops the message of a job canceled while it was queued", async () => {
    const ref = await queuedJob();
    await Actor.system("test", ref.accountId, () => Job.cancel({ id: ref.jobId }));
    expect(await handler(sqsEvent([ref]).event, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(starts()).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { Id } from "../src/index.ts";
import { StepRecord } from "../src/workflow/steps.ts";
import { as, newAccount } from "./helpers.ts";

describe("StepRecord.once", () => {
  it("returns the recorded result on replay instead of running the step again", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      const jobId = Id.create("job");
      let runs = 0;
      const step = async () => ({ chargeId: `ch_${++runs}` });
      expect(await StepRecord.once(jobId, "Charge", step)).toEqual({ chargeId: "ch_1" });
      expect(await StepRecord.once(jobId, "Charge", step)).toEqual({ chargeId: "ch_1" });
      expect(runs).toBe(1);
      expect((await StepRecord.list(jobId)).map((r) => r.step)).toEqual(["Charge"]);
    });
  });

  it("does not record a step that threw, so the replay runs it again", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      const jobId = Id.create("job");
      await expect(StepRecord.once(jobId, "Settle", () => Promise.reject(new Error("boom")))).rejects.toThrow(
        "boom",
      );
      expect(await StepRecord.once(jobId, "Settle", async () => "settled")).toBe("settled");
    });
  });

  it("keeps records per account", async () => {
    const alice = await newAccount();
    const bob = await newAccount();
    const jobId = Id.create("job");
    await as(alice.accountId, () => StepRecord.once(jobId, "Plan", async () => "alice"));
    expect(await as(bob.accountId, () => StepRecord.once(jobId, "Plan", async () => "bob"))).toBe("bob");
  });
});

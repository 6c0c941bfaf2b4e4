import { describe, expect, it } from "vitest";
import { Id, Ledger, Store } from "../src/index.ts";
import { as, newAccount } from "./helpers.ts";

const entry = (amount: number): Ledger.AppendInput => ({
  kind: "charge",
  jobId: Id.create("job"),
  amount,
  currency: "usd",
});

describe("Ledger chain", () => {
  it("lets exactly one of two appends chained on the same head win; the loser retries on the new head", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      await Ledger.append(entry(100));
      const head = await Ledger.head();
      const results = await Promise.allSettled([
        Ledger.appendAt(head, entry(1)),
        Ledger.appendAt(head, entry(2)),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({
        reason: { code: "ledger.head_moved" },
      });
      const retried = await Ledger.append(entry(3));
      expect(retried.seq).toBe(3);
      expect(retried.prevHash).toBe((await Ledger.entries())[1]?.hash);
      expect(await Ledger.verify()).toEqual({ valid: true, entries: 3, brokenAt: null });
    });
  });

  it("stays a valid chain under many concurrent appends", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => Ledger.append(entry(i + 1))));
      const all = await Ledger.entries();
      expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await Ledger.verify()).valid).toBe(true);
    });
  });

  it("detects an entry altered in the table", async () => {
    const { accountId } = await newAccount();
    await as(accountId, async () => {
      await Ledger.append(entry(100));
      await Ledger.append(entry(200));
      // A raw write around ElectroDB's readOnly guard, as an attacker with table access would do.
      const params = Store.fg.entities.ledgerEntry.get({ accountId, seq: 1 }).params();
      await Store.client().send(
        new (await import("@aws-sdk/lib-dynamodb")).UpdateCommand({
          TableName: params.TableName,
          Key: params.Key,
          UpdateExpression: "SET amount = :a",
          ExpressionAttributeValues: { ":a": 1 },
        }),
      );
      expect(await Ledger.verify()).toEqual({ valid: false, entries: 2, brokenAt: 1 });
    });
  });
});

import { describe, expect, it } from "vitest";
import { Id } from "../src/util/id.ts";

describe("Id", () => {
  it("creates prefixed ULIDs that stay unique and in creation order across many random pools", () => {
    const ids = Array.from({ length: 20_000 }, () => Id.create("request"));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 100)) expect(Id.schema("request").safeParse(id).success).toBe(true);
  });

  it("spreads the random part over the whole alphabet", () => {
    const seen = new Set<string>();
    for (let at = 0; at < 2_000; at++) {
      for (const char of Id.create("job", 1_700_000_000_000 + at * 1000).slice(-16)) seen.add(char);
    }
    expect(seen.size).toBe(32);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { log, Secrets, serializeError, VisibleError } from "../../src/index.ts";

const PASSWORD = 'pw-"quoted"\\slash-0001';
const API_KEY = "rm_live_9f8e7d6c5b4a";
const CARD = "4242424242424242";

let output: string[] = [];
const restore: (() => void)[] = [];

beforeEach(() => {
  Secrets.register("PASSWORD", PASSWORD);
  Secrets.register("API_KEY", API_KEY);
  Secrets.register("CARD_NUMBER", CARD);
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    const spy = vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      output.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    });
    restore.push(() => spy.mockRestore());
  }
});

afterEach(() => {
  for (const undo of restore.splice(0)) undo();
});

function printed(): string {
  return output.join("");
}

function expectNoSecret(text: string) {
  for (const value of [
    PASSWORD,
    API_KEY,
    CARD,
    "4242 4242 4242 4242",
    JSON.stringify(PASSWORD).slice(1, -1),
  ]) {
    expect(text).not.toContain(value);
  }
}

describe("log", () => {
  it("writes structured JSON lines and redacts the message and attributes", () => {
    log.info(`signing in with ${PASSWORD}`, { vendor: "relay-mail", nested: { key: API_KEY, list: [CARD] } });
    const text = printed();
    expectNoSecret(text);
    const line = JSON.parse(text.trim().split("\n").at(-1)!);
    expect(line).toMatchObject({
      level: "INFO",
      service: "fg",
      message: "signing in with {{PASSWORD}}",
      vendor: "relay-mail",
      nested: { key: "{{API_KEY}}", list: ["{{CARD_NUMBER}}"] },
    });
  });

  it("never prints a secret inside an Error's message, stack or cause", () => {
    const cause = new Error(`vendor rejected card 4242 4242 4242 4242 and key ${API_KEY}`);
    const error = new Error(`login failed for ${PASSWORD}`, { cause });
    Object.assign(error, { response: { body: `{"key":"${API_KEY}"}` } });
    log.error("provisioning failed", error);
    log.error("again", { error, reason: `cause was ${String(cause)}` });
    log.warn("a string cause", new Error("outer", { cause: `inner ${API_KEY}` }));
    const text = printed();
    expectNoSecret(text);
    expect(text).toContain("{{PASSWORD}}");
    expect(text).toContain("{{CARD_NUMBER}}");
    expect(text).toContain("{{API_KEY}}");
    const first = JSON.parse(text.trim().split("\n")[0]!);
    expect(first.error.message).toBe("login failed for {{PASSWORD}}");
    expect(String(first.error.stack)).toContain("login failed for {{PASSWORD}}");
    expect(first.error.cause.message).toContain("{{CARD_NUMBER}}");
  });

  it("redacts values of job registries too", () => {
    Secrets.forJob("job_logger").register("VERIFICATION_CODE", "918273");
    log.info("code is 918273");
    expect(printed()).not.toContain("918273");
    Secrets.release("job_logger");
  });
});

describe("serializeError", () => {
  it("keeps kind, code and the cause chain, redacted", () => {
    const error = new VisibleError("payment", "card.declined", `Card ${CARD} was declined`, {
      cause: new Error(`upstream said ${API_KEY}`),
    });
    const serialized = serializeError(error);
    expect(serialized).toMatchObject({
      name: "VisibleError",
      kind: "payment",
      code: "card.declined",
      message: "Card {{CARD_NUMBER}} was declined",
      cause: { name: "Error", message: "upstream said {{API_KEY}}" },
    });
    expectNoSecret(JSON.stringify(serialized));
    expect(serialized.stack).toContain("{{CARD_NUMBER}}");
    expect(serializeError(error, { stack: false }).stack).toBeUndefined();
  });

  it("handles thrown non-errors and cyclic causes", () => {
    expect(serializeError(`plain ${PASSWORD}`)).toEqual({ name: "NonError", message: "plain {{PASSWORD}}" });
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(() => JSON.stringify(serializeError(a))).not.toThrow();
  });
});

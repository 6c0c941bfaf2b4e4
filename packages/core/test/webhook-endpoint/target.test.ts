import { afterEach, describe, expect, it } from "vitest";
import { guardedLookup, isForbiddenAddress, urlProblem } from "../../src/webhook-endpoint/target.ts";

afterEach(() => {
  delete process.env.FG_ALLOW_LOOPBACK_WEBHOOKS;
});

function lookup(host: string): Promise<string> {
  return new Promise((resolve) =>
    guardedLookup(host, { all: true }, (error) => resolve(error ? (error.code ?? "error") : "ok")),
  );
}

describe("webhook targets", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.20.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "fd00:ec2::254",
    "fe80::1",
    "::ffff:169.254.169.254",
  ])("forbids %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it("allows public addresses", () => {
    expect(isForbiddenAddress("93.184.216.34")).toBe(false);
    expect(isForbiddenAddress("2606:2800:220:1::")).toBe(false);
  });

  it("refuses a name that resolves to loopback after DNS, unless the local runtime allows loopback", async () => {
    expect(await lookup("localhost")).toBe("EFORBIDDEN");
    process.env.FG_ALLOW_LOOPBACK_WEBHOOKS = "1";
    expect(await lookup("localhost")).toBe("ok");
    expect(isForbiddenAddress("169.254.169.254")).toBe(true);
  });

  it("accepts only https URLs without credentials", () => {
    expect(urlProblem("https://hooks.example.com/x")).toBeUndefined();
    expect(urlProblem("http://hooks.example.com/x")).toBeDefined();
    expect(urlProblem("https://a:b@hooks.example.com/x")).toBeDefined();
    expect(urlProblem("not a url")).toBeDefined();
  });
});

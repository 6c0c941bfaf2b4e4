import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SecretName, SecretRegistry, Secrets, VisibleError } from "../../src/index.ts";

const PLACEHOLDER = /\{\{[A-Z_]+\}\}/;

/** Text outside the {{NAME}} placeholders the redactor wrote. */
const segments = (text: string) => text.split(PLACEHOLDER);

function encodings(value: string): string[] {
  const forms = [
    value,
    JSON.stringify(value).slice(1, -1),
    JSON.stringify(JSON.stringify(value)).slice(1, -1),
  ];
  try {
    const url = encodeURIComponent(value);
    forms.push(
      url,
      url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    );
    forms.push(new URLSearchParams({ v: value }).toString().slice(2));
  } catch {
    // a lone surrogate has no URL-encoded form
  }
  return forms;
}

const secretArb = fc.string({ minLength: 4, maxLength: 40, unit: "binary" });
const textArb = fc.string({ maxLength: 60, unit: "binary" });
const nameArb = fc.constantFrom(...SecretName.options);

describe("redaction (property)", () => {
  it("random secrets embedded raw, URL-encoded or JSON-escaped in random text never survive", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nameArb, secretArb), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(textArb, fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }),
        (secrets, pieces) => {
          const registry = new SecretRegistry();
          for (const [name, value] of secrets) registry.register(name, value);
          const text = pieces
            .map(([filler, which, form]) => {
              const value = secrets[which % secrets.length]![1];
              const forms = encodings(value);
              return filler + forms[form % forms.length];
            })
            .join("");
          const out = registry.redact(text);
          for (const [, value] of secrets) {
            for (const form of encodings(value)) {
              for (const segment of segments(out)) expect(segment.includes(form)).toBe(false);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("card numbers never survive, however they are grouped", () => {
    const separators = fc.constantFrom("", " ", "-", "  ", "%20", "+");
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{16}$/),
        fc.array(separators, { minLength: 15, maxLength: 15 }),
        fc.string({ unit: fc.constantFrom(...'abcdef XYZ:=,"{}'), maxLength: 30 }),
        fc.string({ unit: fc.constantFrom(...'abcdef XYZ:=,"{}'), maxLength: 30 }),
        fc.boolean(),
        (digits, seps, before, after, registerGrouped) => {
          const registry = new SecretRegistry();
          const registered = registerGrouped ? digits.replace(/(\d{4})(?=\d)/g, "$1 ") : digits;
          registry.register("CARD_NUMBER", registered);
          const grouped = digits
            .split("")
            .map((d, i) => d + (seps[i] ?? ""))
            .join("");
          const out = registry.redact(`${before}${grouped}${after}`);
          expect(out).toContain("{{CARD_NUMBER}}");
          for (const segment of segments(out)) {
            expect(segment.replace(/[\s-]|%20|\+/g, "")).not.toContain(digits.slice(0, 12));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("SecretRegistry", () => {
  it("replaces a registered value by its {{NAME}}", () => {
    const registry = new SecretRegistry();
    registry.register("PASSWORD", "hunter2-correct-horse");
    expect(registry.redact("login with hunter2-correct-horse now")).toBe("login with {{PASSWORD}} now");
    expect(registry.redact('{"password":"hunter2-correct-horse"}')).toBe('{"password":"{{PASSWORD}}"}');
  });

  it("prefers the longer secret when one contains another", () => {
    const registry = new SecretRegistry();
    registry.register("SECRET", "abcd");
    registry.register("API_KEY", "abcd-efgh-ijkl");
    expect(registry.redact("x abcd-efgh-ijkl y abcd")).toBe("x {{API_KEY}} y {{SECRET}}");
  });

  it("matches URL escapes in either case", () => {
    const registry = new SecretRegistry();
    registry.register("VERIFICATION_LINK", "https://v.example/t?x=1&y=2");
    expect(registry.redact("u=https%3a%2f%2fv.example%2ft%3fx%3d1%26y%3d2")).toBe("u={{VERIFICATION_LINK}}");
    expect(registry.redact("u=https%3A%2F%2Fv.example%2Ft%3Fx%3D1%26y%3D2")).toBe("u={{VERIFICATION_LINK}}");
  });

  it("does not redact values shorter than 4 characters, but still resolves them", () => {
    const registry = new SecretRegistry();
    registry.register("CARD_CVC", "123");
    expect(registry.redact("amount 1234 at 12:30")).toBe("amount 1234 at 12:30");
    expect(registry.resolve("cvc={{CARD_CVC}}")).toBe("cvc=123");
    expect(registry.value("CARD_CVC")).toBe("123");
    expect(registry.size).toBe(0);
  });

  it("resolves references and refuses unknown ones without revealing anything", () => {
    const registry = new SecretRegistry();
    registry.register("EMAIL", "job-1@inbox.fg.test");
    registry.register("PASSWORD", "s3cret-pass-word");
    expect(registry.resolve("{{EMAIL}} / {{PASSWORD}}")).toBe("job-1@inbox.fg.test / s3cret-pass-word");
    expect(() => registry.resolve("{{CARD_NUMBER}}")).toThrow(VisibleError);
    expect(() => registry.resolve("{{NOT_A_NAME}}")).toThrow(/Unknown secret reference \{\{NOT_A_NAME\}\}/);
    try {
      registry.resolve("{{PASSWORD}} {{TOTP_SEED}}");
    } catch (error) {
      expect(String(error)).not.toContain("s3cret-pass-word");
    }
  });

  it("redacts deeply: nested values, object keys and errors", () => {
    const registry = new SecretRegistry();
    registry.register("API_KEY", "rm_live_abcdefgh");
    const cyclic: Record<string, unknown> = { token: "rm_live_abcdefgh" };
    cyclic.self = cyclic;
    const out = registry.redactDeep({
      list: ["key rm_live_abcdefgh"],
      rm_live_abcdefgh: 1,
      error: new Error("bad rm_live_abcdefgh", { cause: new Error("deeper rm_live_abcdefgh") }),
      cyclic,
      n: 5,
    });
    expect(JSON.stringify(out)).not.toContain("rm_live_abcdefgh");
    expect(out.list).toEqual(["key {{API_KEY}}"]);
    expect(out.n).toBe(5);
  });
});

describe("Secrets (process-wide)", () => {
  it("keeps one registry per job until released, and redacts across all live registries", () => {
    const a = Secrets.forJob("job_a");
    expect(Secrets.forJob("job_a")).toBe(a);
    a.register("PASSWORD", "pw-of-job-a-123");
    Secrets.forJob("job_b").register("EXTRACTED_KEY", "key-of-job-b-456");
    Secrets.register("API_KEY", "fg_sk_process_wide");
    expect(Secrets.redact("pw-of-job-a-123 key-of-job-b-456 fg_sk_process_wide")).toBe(
      "{{PASSWORD}} {{EXTRACTED_KEY}} {{API_KEY}}",
    );
    Secrets.release("job_a");
    expect(Secrets.redact("pw-of-job-a-123")).toBe("pw-of-job-a-123");
    expect(Secrets.forJob("job_a")).not.toBe(a);
    expect(Secrets.redactDeep({ k: ["key-of-job-b-456"] })).toEqual({ k: ["{{EXTRACTED_KEY}}"] });
    Secrets.release("job_b");
  });
});

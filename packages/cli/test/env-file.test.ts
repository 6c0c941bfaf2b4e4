import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultVariableName, quoteEnvValue, writeEnvVariable } from "../src/env-file.ts";
import { parseAmount } from "../src/money.ts";

function envFile(content?: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "fg-env-")), ".env");
  if (content !== undefined) writeFileSync(file, content);
  return file;
}

describe("writing a variable into an env file", () => {
  it("replaces an exported definition in place and drops later duplicates", () => {
    const file = envFile("A=1\nexport KEY=old\nB=2\nKEY=older\n");
    writeEnvVariable(file, "KEY", "new");
    expect(readFileSync(file, "utf8")).toBe("A=1\nexport KEY=new\nB=2\n");
  });

  it("replaces a multi-line quoted value whole", () => {
    const file = envFile('A=1\nKEY="line one\nline two"\nB=2\n');
    writeEnvVariable(file, "KEY", "v");
    expect(readFileSync(file, "utf8")).toBe("A=1\nKEY=v\nB=2\n");
  });

  it("appends to a file without a trailing newline and keeps CRLF line endings", () => {
    const plain = envFile("A=1");
    writeEnvVariable(plain, "KEY", "v");
    expect(readFileSync(plain, "utf8")).toBe("A=1\nKEY=v\n");
    const crlf = envFile("A=1\r\nB=2\r\n");
    writeEnvVariable(crlf, "KEY", "v");
    expect(readFileSync(crlf, "utf8")).toBe("A=1\r\nB=2\r\nKEY=v\r\n");
  });

  it("does not touch variables whose names merely start with the same letters", () => {
    const file = envFile("KEY_2=keep\n");
    writeEnvVariable(file, "KEY", "v");
    expect(readFileSync(file, "utf8")).toBe("KEY_2=keep\nKEY=v\n");
  });

  it("quotes values so shells and dotenv read them back unchanged", () => {
    expect(quoteEnvValue("rm_live_ABC123")).toBe("rm_live_ABC123");
    expect(quoteEnvValue("postgres://u:p@host/db?sslmode=require")).toBe(
      "'postgres://u:p@host/db?sslmode=require'",
    );
    expect(quoteEnvValue("has space")).toBe("'has space'");
    expect(quoteEnvValue("it's $HOME")).toBe('"it\'s \\$HOME"');
    expect(quoteEnvValue("a\nb")).toBe('"a\\nb"');
  });

  it("refuses a name that is not a variable name", () => {
    expect(() => writeEnvVariable(envFile(), "1BAD", "v")).toThrow(/not a valid variable name/);
    expect(() => writeEnvVariable(envFile(), "A=B", "v")).toThrow(/not a valid variable name/);
  });

  it("derives a default name from the vendor and kind", () => {
    expect(defaultVariableName({ vendor: "nimbus-db", kind: "api_key" })).toBe("NIMBUS_DB_API_KEY");
    expect(defaultVariableName({ vendor: "https://www.acme.io/signup", kind: "password" })).toBe(
      "ACME_PASSWORD",
    );
  });
});

describe("amounts on the command line", () => {
  it("reads major units into cents and refuses anything ambiguous", () => {
    expect(parseAmount("20")).toBe(2000);
    expect(parseAmount("19.99")).toBe(1999);
    expect(parseAmount("$0.5")).toBe(50);
    expect(parseAmount("0")).toBe(0);
    for (const bad of ["-5", "1e3", "12.345", "twenty", ""])
      expect(() => parseAmount(bad)).toThrow(/--|amount/);
  });
});

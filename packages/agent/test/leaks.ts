import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { Config, Store } from "@fg/core";

/** Every place a secret must never reach, gathered as text. */
export async function leakSurfaces(extra: { events: unknown[]; prompts: unknown[]; logs: string[] }) {
  const artifactsRoot = path.join(path.resolve(Config.get().FG_HOME), "artifacts");
  const artifactTexts: { file: string; text: string }[] = [];
  const screenshots: string[] = [];
  const walk = (dir: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith(".png")) screenshots.push(file);
      else artifactTexts.push({ file, text: readFileSync(file, "utf8") });
    }
  };
  walk(artifactsRoot);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await Store.client().send(
      new ScanCommand({ TableName: Store.table(), ...(start ? { ExclusiveStartKey: start as never } : {}) }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  // The vault's own rows hold ciphertext; everything else must be free of values.
  const storeText = items
    .filter((item) => !JSON.stringify(item).includes('"vaultSecret"'))
    .map((item) => JSON.stringify(item))
    .join("\n");
  return {
    events: JSON.stringify(extra.events),
    prompts: JSON.stringify(extra.prompts),
    logs: extra.logs.join("\n"),
    artifacts: artifactTexts.map((a) => a.text).join("\n"),
    store: storeText,
    screenshots,
  };
}

/** Captures everything this process writes to stdout and stderr (the logger's output). */
export function captureOutput() {
  const lines: string[] = [];
  const originals = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  const tap =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]) => {
      lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(originals.out) as typeof process.stdout.write;
  process.stderr.write = tap(originals.err) as typeof process.stderr.write;
  return {
    lines,
    restore() {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

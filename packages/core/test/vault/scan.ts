import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { Store } from "../../src/index.ts";

/** Every item of the test's table, read raw (no ElectroDB), consistently. */
export async function scanTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await Store.client().send(
      new ScanCommand({ TableName: Store.table(), ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/** The ways a value could sit in a store by accident: raw, escaped, encoded. */
export function storedForms(value: string): string[] {
  return [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    Buffer.from(value).toString("base64"),
    Buffer.from(value).toString("hex"),
  ];
}

/** Where any form of any value occurs: DynamoDB item keys (pk/sk) or file paths. Empty when clean. */
export async function findLeaks(values: string[], homes: string[]): Promise<string[]> {
  const leaks: string[] = [];
  const items = await scanTable();
  const files = homes.flatMap((home) => filesUnder(home));
  const contents = files.map((file) => ({ file, text: readFileSync(file).toString("utf8") }));
  for (const value of values) {
    for (const form of storedForms(value)) {
      for (const item of items) {
        if (JSON.stringify(item).includes(form)) leaks.push(`item ${String(item.pk)} ${String(item.sk)}`);
      }
      for (const { file, text } of contents) if (text.includes(form)) leaks.push(`file ${file}`);
    }
  }
  return leaks;
}

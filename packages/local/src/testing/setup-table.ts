import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Store } from "@fg/core";
import { inject } from "vitest";
import { ensureTable } from "../table.ts";

// Runs before each test file: a table of its own on the shared emulator, and a private FG_HOME.
const endpoint = inject("dynamoEndpoint");
const table = `fg-test-${randomBytes(6).toString("hex")}`;
process.env.FG_DYNAMODB_ENDPOINT = endpoint;
process.env.FG_TABLE = table;
process.env.FG_HOME ??= mkdtempSync(path.join(tmpdir(), "fg-home-"));
await ensureTable(endpoint, table);
Store.configure({ table, endpoint, region: "us-east-1" });

import { randomUUID } from "node:crypto";
import { createApp } from "../src/api/app.ts";

export const app = createApp();

export interface Call {
  key?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export async function call(method: string, path: string, options: Call = {}) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await app.request(path, { method, headers, body });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export async function signup(email = `u-${randomUUID()}@example.com`) {
  const res = await call("POST", "/v1/signup", { body: { email } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return { accountId: res.json.account.id as string, key: res.json.apiKey.secret as string, email };
}

export const freeJob = { vendor: "nimbus-db", goal: "api_key", maxSpend: { amount: 0, currency: "usd" } };

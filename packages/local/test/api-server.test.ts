import { expect, it } from "vitest";
import { startApi } from "../src/api-server.ts";
import { freePort } from "../src/ports.ts";

it("serves the API on loopback and stops", async () => {
  const api = await startApi({ port: await freePort() });
  try {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${api.url}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
    const signup = await fetch(`${api.url}/v1/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "local-server@example.com" }),
    });
    expect(signup.status).toBe(201);
  } finally {
    await api.stop();
  }
  await expect(fetch(`${api.url}/health`)).rejects.toThrow();
});

import { readdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

const workspaces = [
  ...readdirSync("packages").map((name) => `packages/${name}`),
  "functions",
  ...readdirSync("containers").map((name) => `containers/${name}`),
  "scripts",
];

export default defineConfig({
  test: {
    globalSetup: [path.resolve("packages/local/src/testing/global-setup.ts")],
    projects: workspaces.map((root) => ({
      extends: true,
      test: {
        name: root.split("/").pop(),
        root,
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        setupFiles: [path.resolve("packages/local/src/testing/setup-table.ts")],
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
    passWithNoTests: false,
  },
});

// No build step: the TypeScript entry loads through tsx's ESM loader. `tsconfig: false` keeps the
// caller's own tsconfig.json (fg runs in any project directory) out of the transform.
import { register } from "tsx/esm/api";

process.argv = process.argv.map((arg) =>
  arg === "--fg-env-file" ? "--env-file" : arg.replace(/^--fg-env-file=/, "--env-file="),
);
register({ tsconfig: false });
await import("../src/main.ts");

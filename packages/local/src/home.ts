import { mkdirSync } from "node:fs";
import path from "node:path";
import { Config } from "@fg/core";

/** Every file the local runtime writes lives under FG_HOME (default: .fg/ at the repo root, git-ignored). */
export function fgHome(): string {
  const home = path.resolve(Config.get().FG_HOME);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}

import { execFileSync } from "node:child_process";
import { emulatorDir } from "@fg/local";

// Run after the test suite: any DynamoDB Local started from this checkout must be gone by now.
const jar = emulatorDir();
let pids: string[] = [];
try {
  pids = execFileSync("pgrep", ["-f", `^java .*${jar}`], { encoding: "utf8" })
    .trim()
    .split("\n")
    .filter(Boolean);
} catch {
  pids = [];
}
if (pids.length > 0) {
  process.stderr.write(`orphaned DynamoDB Local process(es) left by the test run: ${pids.join(", ")}\n`);
  process.exit(1);
}
process.stdout.write("no orphaned DynamoDB Local processes\n");

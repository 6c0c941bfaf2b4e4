// The browser worker: one process per job. On AWS an ECS Fargate task started by the state machine with a
// task token; locally a child process of the runtime. The environment contract is the same (docs/worker.md).
import { ExitCode, readWorkerEnv } from "./env.ts";

const read = readWorkerEnv(process.env);
if (!read.ok) {
  process.stderr.write(`${read.error}\n`);
  process.exit(ExitCode.badEnvironment);
}

const stop = new AbortController();
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => stop.abort(signal));

// Loaded only once the environment is known to be usable, so a bad one fails in one line, not a stack trace.
const { runWorker } = await import("./worker.ts");
process.exit(await runWorker(read.env, stop.signal));

import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

/**
 * Runs the command under a tiny shell that SIGTERMs it when its stdin closes. Our end of that pipe closes
 * whenever this process ends, however it ends (even SIGKILL), so a child never outlives the runtime.
 * SIGTERM to the returned process is passed on to the command; the exit code is the command's.
 */
// fd 3 keeps our stdin pipe: background jobs get /dev/null as stdin, so the watcher reads fd 3 instead.
// The shell itself waits on the command, so it exits with the command's code as soon as the command ends.
const WATCHDOG = [
  "exec 3<&0",
  '"$@" & child=$!',
  "(read _ <&3; kill -TERM $child 2>/dev/null) & watcher=$!",
  "trap 'kill -TERM $child 2>/dev/null' TERM INT HUP",
  "wait $child; code=$?",
  "while kill -0 $child 2>/dev/null; do wait $child; code=$?; done",
  "kill $watcher 2>/dev/null",
  "exit $code",
].join("\n");

export function spawnTied(
  command: string,
  args: string[],
  options: Omit<SpawnOptions, "stdio"> & {
    stdout?: "pipe" | "inherit" | "ignore";
    stderr?: "pipe" | "inherit" | "ignore";
  },
): ChildProcess {
  return spawn("sh", ["-c", WATCHDOG, "fg-tied", command, ...args], {
    ...options,
    stdio: ["pipe", options.stdout ?? "inherit", options.stderr ?? "inherit"],
  });
}

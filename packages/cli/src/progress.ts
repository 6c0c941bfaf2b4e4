import { describeEvent, type Io, STATUS_LABELS } from "./output.ts";
import type { JobEventInfo, JobStatus } from "./types.ts";

export interface Progress {
  event(event: JobEventInfo): void;
  reconnecting(info: { lastSeq: number }): void;
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FAILED: readonly string[] = ["failed", "canceled", "needs_human"];

/**
 * Live progress on stderr (stdout stays for the result): a spinner on the current status with the
 * finished ones ticked off above it on a terminal, one plain line per event otherwise, nothing in --json.
 */
export function createProgress(io: Io, options: { json: boolean; jobId: string }): Progress {
  if (options.json) return { event() {}, reconnecting() {}, stop() {} };
  const tty = Boolean(io.stderr.isTTY) && io.env.TERM !== "dumb" && !io.env.CI;
  return tty ? ttyProgress(io, options.jobId) : plainProgress(io);
}

function plainProgress(io: Io): Progress {
  return {
    event(event) {
      const time = event.at.slice(11, 19);
      io.stderr.write(`${time}  ${describeEvent(event)}\n`);
    },
    reconnecting({ lastSeq }) {
      io.stderr.write(`(event stream interrupted; resuming after event ${lastSeq})\n`);
    },
    stop() {},
  };
}

function ttyProgress(io: Io, jobId: string): Progress {
  const color = !io.env.NO_COLOR;
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  let frame = 0;
  let current: string | undefined;
  let note = "";
  let stopped = false;
  const clear = () => io.stderr.write("\r\x1b[2K");
  const render = () => {
    clear();
    if (current)
      io.stderr.write(
        `${paint("36", FRAMES[frame % FRAMES.length] ?? "")} ${current}${note ? paint("2", `  ${note}`) : ""}`,
      );
  };
  const permanent = (line: string) => {
    clear();
    io.stderr.write(`${line}\n`);
    render();
  };
  io.stderr.write("\x1b[?25l");
  const timer = setInterval(() => {
    frame++;
    render();
  }, 80);
  timer.unref();
  return {
    event(event) {
      if (event.type !== "job.status") {
        permanent(paint("2", `    ${describeEvent(event)}`));
        return;
      }
      const status = String(event.data.status) as JobStatus;
      const failed = FAILED.includes(status);
      const previous = current;
      current = undefined;
      note = "";
      if (previous) permanent(`${failed ? paint("31", "✗") : paint("32", "✓")} ${previous}`);
      if (status === "succeeded") permanent(`${paint("32", "✓")} ${STATUS_LABELS.succeeded}`);
      else if (failed) permanent(`${paint("31", "✗")} ${describeEvent(event)}`);
      else {
        current = STATUS_LABELS[status] ?? status;
        if (status === "awaiting_approval") note = `approve with: fg jobs approve ${jobId}`;
        render();
      }
    },
    reconnecting() {
      note = "reconnecting…";
      render();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      clear();
      io.stderr.write("\x1b[?25h");
    },
  };
}

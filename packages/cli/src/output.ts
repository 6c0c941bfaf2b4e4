import { formatMoney } from "./money.ts";
import type { JobEventInfo, JobInfo, JobStatus } from "./types.ts";

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function println(io: Io, text = ""): void {
  io.stdout.write(`${text}\n`);
}

/** Plain columns, padded to the widest cell; empty cells show as "-". */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [
    headers,
    ...rows.map((row) =>
      row.map((cell) => (cell === null || cell === undefined || cell === "" ? "-" : String(cell))),
    ),
  ];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export const STATUS_LABELS: Record<JobStatus, string> = {
  queued: "Queued",
  planning: "Planning",
  awaiting_approval: "Waiting for approval",
  charging: "Charging the card on file",
  issuing_card: "Issuing a virtual card",
  provisioning: "Provisioning at the vendor",
  settling: "Settling",
  succeeded: "Succeeded",
  failed: "Failed",
  canceled: "Canceled",
  needs_human: "Needs a human",
};

function money(data: Record<string, unknown>, field = "amount"): string {
  const amount = data[field];
  return typeof amount === "number"
    ? formatMoney(amount, typeof data.currency === "string" ? data.currency : "usd")
    : "";
}

function text(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : "";
}

/** One line saying what an event means; event data is already redacted by the server. */
export function describeEvent(event: JobEventInfo): string {
  const d = event.data;
  switch (event.type) {
    case "job.status": {
      const status = text(d.status) as JobStatus;
      const failure = d.failure as { message?: string } | undefined;
      return `${STATUS_LABELS[status] ?? status}${failure?.message ? `: ${failure.message}` : ""}`;
    }
    case "step.started":
      return `step ${text(d.name)} started`;
    case "step.succeeded":
    case "step.finished":
    case "step.completed":
      return `step ${text(d.name)} done`;
    case "step.failed":
      return `step ${text(d.name)} failed${d.message ? `: ${text(d.message)}` : ""}`;
    case "agent.action": {
      const target = (d.target ?? {}) as { role?: unknown; name?: unknown; ref?: unknown };
      const what = [text(target.role), target.name ? `"${text(target.name)}"` : text(target.ref)].filter(
        Boolean,
      );
      const summary = text(d.summary) || [text(d.tool) || text(d.action), ...what].filter(Boolean).join(" ");
      return `agent: ${summary}${d.input ? ` ← ${text(d.input)}` : ""}`;
    }
    case "payment.captured":
      return `charged ${money(d)} to the card on file${d.recurring ? " (renewal)" : ""}`;
    case "payment.failed":
      return `payment failed${d.message ? `: ${text(d.message)}` : d.code ? ` (${text(d.code)})` : ""}`;
    case "card.issued":
      return `virtual card •••• ${text(d.last4)} issued, limit ${money(d, "limit")}`;
    case "card.authorization":
      return `card authorization ${d.approved === false ? "declined" : "approved"} ${money(d)}`.trim();
    case "card.transaction":
      return `card ${text(d.type) || "transaction"} ${money(d)}`.trim();
    case "refund.issued":
      return `refunded ${money(d)}`;
    case "credential.stored":
      return `credential stored${d.label ? `: ${text(d.label)}` : ""}${d.credentialId || d.id ? ` (${text(d.credentialId ?? d.id)})` : ""}`;
    case "email.received":
      return `email received${d.from ? ` from ${text(d.from)}` : ""}`;
    default: {
      const fields = Object.entries(d)
        .filter(([, value]) => text(value) !== "")
        .map(([key, value]) => `${key}=${text(value)}`)
        .join(" ");
      const line = fields ? `${event.type} ${fields}` : event.type;
      return line.length > 160 ? `${line.slice(0, 159)}…` : line;
    }
  }
}

export function jobSummary(job: JobInfo): string {
  const lines = [
    `Job        ${job.id}`,
    `Vendor     ${job.vendor}${job.plan ? ` (plan ${job.plan})` : ""}`,
    `Goal       ${job.goal}`,
    `Status     ${job.status}`,
    `Max spend  ${formatMoney(job.maxSpend.amount, job.maxSpend.currency)}`,
    `Spend      captured ${formatMoney(job.spend.captured, job.spend.currency)}, spent ${formatMoney(job.spend.spent, job.spend.currency)}, refunded ${formatMoney(job.spend.refunded, job.spend.currency)}`,
    `Created    ${job.createdAt}`,
    `Updated    ${job.updatedAt}`,
  ];
  if (job.failure) lines.push(`Failure    ${job.failure.message} (${job.failure.code})`);
  if (job.steps.length > 0) {
    lines.push("Steps");
    for (const step of job.steps) lines.push(`  ${step.status.padEnd(9)}  ${step.name}`);
  }
  return lines.join("\n");
}

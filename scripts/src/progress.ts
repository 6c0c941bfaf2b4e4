/** Progress lines for long-running scripts: readable on a TTY, plain in logs, silent under --json. */
export function createProgress(options: { quiet: boolean }) {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
  return {
    step(message: string) {
      if (!options.quiet) process.stderr.write(`${elapsed()}  ${message}\n`);
    },
    detail(message: string) {
      if (!options.quiet) process.stderr.write(`        ${message}\n`);
    },
  };
}

export function table(rows: Record<string, string | number | boolean | null>[]): string {
  if (rows.length === 0) return "";
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((row) => headers.map((h) => String(row[h] ?? "—")));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

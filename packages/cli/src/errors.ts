/** A failure the CLI explains to the user: a title, a detail and the process exit code. */
export class CliError extends Error {
  constructor(
    readonly title: string,
    readonly detail: string,
    readonly exitCode = 1,
  ) {
    super(`${title}: ${detail}`);
    this.name = "CliError";
  }

  toJSON(): Record<string, unknown> {
    return { title: this.title, detail: this.detail };
  }
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}

/** An RFC 9457 problem returned by the API. */
export class ApiError extends CliError {
  constructor(readonly problem: Problem) {
    const fields = problem.errors?.length
      ? `\n${problem.errors.map((e) => `  ${e.path}: ${e.message}`).join("\n")}`
      : "";
    super(problem.title, `${problem.detail}${fields}`);
    this.name = "ApiError";
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  override toJSON(): Record<string, unknown> {
    return { ...this.problem };
  }
}

/** Usage mistakes caught before any request is made; exit code 2 like commander's own. */
export function usage(detail: string): CliError {
  return new CliError("Invalid usage", detail, 2);
}

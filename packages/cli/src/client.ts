import { randomUUID } from "node:crypto";
import { ApiError, CliError, type Problem } from "./errors.ts";
import type {
  ApiKeyInfo,
  CredentialInfo,
  JobEventInfo,
  JobGoal,
  JobInfo,
  JobStatus,
  LedgerEntry,
  LedgerVerification,
  Page,
  PaymentMethod,
  PaymentMethodSetup,
  PolicyInfo,
  RevealedCredential,
  SignupResult,
  VendorInfo,
} from "./types.ts";

export interface ClientOptions {
  apiUrl: string;
  apiKey?: string;
  /** Attempts for requests that are safe to repeat (GETs, POSTs with an Idempotency-Key). */
  attempts?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  /** Send without the API key (sign-up). */
  anonymous?: boolean;
}

export interface CreateJobInput {
  vendor: string;
  goal: JobGoal;
  plan?: string;
  maxSpend: { amount: number; currency: "usd" | "eur" | "gbp" };
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** The public API (/v1) over HTTP; every failure is a CliError, API errors keep their problem+json. */
export class FgClient {
  readonly apiUrl: string;
  private readonly apiKey: string | undefined;
  private readonly attempts: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.attempts = options.attempts ?? 3;
    this.fetchImpl = options.fetch ?? fetch;
  }

  get hasKey(): boolean {
    return this.apiKey !== undefined;
  }

  url(path: string, query?: RequestOptions["query"]): string {
    const url = new URL(`${this.apiUrl}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  headers(options: { anonymous?: boolean; extra?: Record<string, string> } = {}): Record<string, string> {
    const headers: Record<string, string> = { accept: "application/json", ...(options.extra ?? {}) };
    if (!options.anonymous) {
      if (!this.apiKey) {
        throw new CliError(
          "Not signed in",
          "No API key configured: run `fg auth signup --email you@example.com` or `fg auth login`, or set FG_API_KEY",
        );
      }
      headers.authorization = `Bearer ${this.apiKey}`;
    }
    return headers;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers = this.headers({ anonymous: options.anonymous, extra: options.headers });
    if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    // Also on body-less writes: the local server sees a (empty) body stream on DELETE and wants a JSON type.
    if (method !== "GET") headers["content-type"] = "application/json";
    const repeatable = method === "GET" || options.idempotencyKey !== undefined;
    const attempts = repeatable ? this.attempts : 1;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchImpl(this.url(path, options.query), { method, headers, body });
      } catch (error) {
        if (attempt < attempts) {
          await sleep(backoffMs(attempt));
          continue;
        }
        throw unreachable(this.apiUrl, error);
      }
      if (RETRYABLE_STATUS.has(res.status) && attempt < attempts) {
        await res.body?.cancel();
        await sleep(retryAfterMs(res.headers.get("retry-after")) ?? backoffMs(attempt));
        continue;
      }
      if (!res.ok) throw await toApiError(res);
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      try {
        return (text ? JSON.parse(text) : undefined) as T;
      } catch {
        // JSON.parse quotes the text in its message, and this text may hold a revealed secret
        throw new CliError(
          "Unexpected response",
          `${method} ${path} did not return JSON (HTTP ${res.status})`,
        );
      }
    }
  }

  signup(email: string): Promise<SignupResult> {
    return this.request("POST", "/v1/signup", { body: { email }, anonymous: true });
  }

  listApiKeys(): Promise<Page<ApiKeyInfo>> {
    return this.request("GET", "/v1/api-keys");
  }

  createJob(input: CreateJobInput, idempotencyKey: string = randomUUID()): Promise<JobInfo> {
    return this.request("POST", "/v1/jobs", { body: input, idempotencyKey });
  }

  getJob(id: string): Promise<JobInfo> {
    return this.request("GET", `/v1/jobs/${encodeURIComponent(id)}`);
  }

  listJobs(
    query: { status?: JobStatus; vendor?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<JobInfo>> {
    return this.request("GET", "/v1/jobs", { query });
  }

  jobEvents(id: string, after = 0): Promise<Page<JobEventInfo>> {
    return this.request("GET", `/v1/jobs/${encodeURIComponent(id)}/events`, { query: { after } });
  }

  cancelJob(id: string): Promise<JobInfo> {
    return this.request("POST", `/v1/jobs/${encodeURIComponent(id)}/cancel`);
  }

  approveJob(id: string): Promise<JobInfo> {
    return this.request("POST", `/v1/jobs/${encodeURIComponent(id)}/approve`);
  }

  listCredentials(
    query: { vendor?: string; jobId?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<CredentialInfo>> {
    return this.request("GET", "/v1/credentials", { query });
  }

  getCredential(id: string): Promise<CredentialInfo> {
    return this.request("GET", `/v1/credentials/${encodeURIComponent(id)}`);
  }

  /** The secret value: callers must never print or log it unless the user asked (`--reveal`). */
  revealCredential(id: string, reason: string): Promise<RevealedCredential> {
    return this.request("POST", `/v1/credentials/${encodeURIComponent(id)}/reveal`, { body: { reason } });
  }

  deleteCredential(id: string): Promise<void> {
    return this.request("DELETE", `/v1/credentials/${encodeURIComponent(id)}`);
  }

  getPolicy(): Promise<PolicyInfo> {
    return this.request("GET", "/v1/policy");
  }

  putPolicy(input: Partial<PolicyInfo>): Promise<PolicyInfo> {
    return this.request("PUT", "/v1/policy", { body: input });
  }

  addCard(paymentMethod?: string): Promise<PaymentMethodSetup> {
    return this.request("POST", "/v1/payment-methods", {
      body: paymentMethod ? { paymentMethod } : {},
      idempotencyKey: randomUUID(),
    });
  }

  listCards(): Promise<Page<PaymentMethod>> {
    return this.request("GET", "/v1/payment-methods");
  }

  listVendors(): Promise<Page<VendorInfo>> {
    return this.request("GET", "/v1/vendors");
  }

  ledger(jobId?: string): Promise<Page<LedgerEntry>> {
    return this.request("GET", "/v1/ledger", { query: { jobId } });
  }

  verifyLedger(): Promise<LedgerVerification> {
    return this.request("GET", "/v1/ledger/verify");
  }
}

export async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  let parsed: Partial<Problem> = {};
  try {
    parsed = JSON.parse(text) as Partial<Problem>;
  } catch {
    // not problem+json (a proxy's error page): fall back to the status line
  }
  return new ApiError({
    ...parsed,
    title: typeof parsed.title === "string" ? parsed.title : res.statusText || `HTTP ${res.status}`,
    status: typeof parsed.status === "number" ? parsed.status : res.status,
    detail: typeof parsed.detail === "string" ? parsed.detail : `The API answered ${res.status}`,
  });
}

export function unreachable(apiUrl: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
  return new CliError(
    "Cannot reach the fg API",
    `${apiUrl} did not answer (${cause}). Is the local runtime running (npm run dev), or is FG_API_URL right?`,
  );
}

export function backoffMs(attempt: number): number {
  return Math.min(250 * 2 ** (attempt - 1), 5_000);
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 30_000) : undefined;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

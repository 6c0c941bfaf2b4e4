import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
  type Tag,
} from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import { Actor } from "../actor/index.ts";
import { Config } from "../config.ts";
import { VisibleError } from "../util/error.ts";
import { Id } from "../util/id.ts";
import {
  audit,
  isExpired,
  Kind,
  ListFilter,
  type Meta,
  matches,
  normalizePut,
  notFound,
  type Port,
  type PutInput,
  parse,
  Ref,
  remember,
} from "./port.ts";

export interface SecretsManagerVaultOptions {
  /** The customer-managed KMS key every secret is encrypted with (id, ARN or alias). */
  kmsKeyId: string;
  client?: SecretsManagerClient;
  stage?: string;
  /** Recovery window for non-card secrets, 7–30 days. */
  recoveryWindowInDays?: number;
}

const MAX_DESCRIPTION = 2048;

/** Metadata that is not a tag (free text, or too long for a tag value) rides in the Description. */
const Description = z.object({
  vendor: z.string().optional(),
  jobId: z.string().optional(),
  label: z.string().optional(),
  expiresAt: z.number().optional(),
});

/** Tag values allow letters, digits, spaces and _.:/=+-@ up to 256 characters. */
function tagValue(text: string): string {
  let value = text;
  if (/^https?:\/\//.test(text)) {
    try {
      value = new URL(text).hostname;
    } catch {
      value = text;
    }
  }
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_").slice(0, 256);
}

function isNotFound(error: unknown): boolean {
  return (error as { name?: string }).name === "ResourceNotFoundException";
}

/**
 * AWS adapter: one Secrets Manager secret per value, named fg/<stage>/<account>/<secretId>,
 * encrypted with a customer-managed KMS key and tagged account/vendor/kind so IAM policies can be
 * scoped by name prefix and tag.
 */
export class SecretsManagerVault implements Port {
  readonly #client: SecretsManagerClient;
  readonly #kmsKeyId: string;
  readonly #stage: string;
  readonly #recoveryWindowInDays: number;

  constructor(options: SecretsManagerVaultOptions) {
    const windowDays = options.recoveryWindowInDays ?? 30;
    if (!Number.isInteger(windowDays) || windowDays < 7 || windowDays > 30) {
      throw new Error("recoveryWindowInDays must be an integer from 7 to 30");
    }
    this.#client = options.client ?? new SecretsManagerClient({ region: Config.get().AWS_REGION });
    this.#kmsKeyId = options.kmsKeyId;
    this.#stage = options.stage ?? Config.get().FG_STAGE;
    this.#recoveryWindowInDays = windowDays;
  }

  #prefix(accountId: string): string {
    return `fg/${this.#stage}/${accountId}/`;
  }

  async put(input: PutInput): Promise<{ ref: string }> {
    const parsed = normalizePut(input);
    const accountId = Actor.accountId();
    const id = Id.create("secret");
    const tags: Tag[] = [
      { Key: "account", Value: accountId },
      { Key: "kind", Value: parsed.kind },
      ...(parsed.vendor ? [{ Key: "vendor", Value: tagValue(parsed.vendor) }] : []),
      ...(parsed.jobId ? [{ Key: "job", Value: parsed.jobId }] : []),
    ];
    const description = Description.parse({
      vendor: parsed.vendor,
      jobId: parsed.jobId,
      label: parsed.label,
      expiresAt: parsed.expiresAt,
    });
    const descriptionText = JSON.stringify(description);
    if (descriptionText.length > MAX_DESCRIPTION) {
      throw new VisibleError("input", "vault.metadata_too_long", "Vendor and label are too long to store");
    }
    await this.#client.send(
      new CreateSecretCommand({
        Name: this.#prefix(accountId) + id,
        SecretString: parsed.value,
        KmsKeyId: this.#kmsKeyId,
        Description: descriptionText,
        Tags: tags,
      }),
    );
    remember(parsed.kind, parsed.jobId, parsed.value);
    return { ref: id };
  }

  /** Undefined when the secret is missing, deleted, expired, or (defence in depth) tagged for another account. */
  async #describe(accountId: string, id: string): Promise<Meta | undefined> {
    let described: DescribeSecretCommandOutput;
    try {
      described = await this.#client.send(
        new DescribeSecretCommand({ SecretId: this.#prefix(accountId) + id }),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (described.DeletedDate) return undefined;
    const meta = this.#toMeta(
      accountId,
      described.Name,
      described.Tags,
      described.Description,
      described.CreatedDate,
    );
    return meta && !isExpired(meta.expiresAt) ? meta : undefined;
  }

  #toMeta(
    accountId: string,
    name: string | undefined,
    tags: Tag[] | undefined,
    description: string | undefined,
    created: Date | undefined,
  ): Meta | undefined {
    const prefix = this.#prefix(accountId);
    const tag = (key: string) => tags?.find((t) => t.Key === key)?.Value;
    const ref = Ref.safeParse(name?.startsWith(prefix) ? name.slice(prefix.length) : undefined);
    const kind = Kind.safeParse(tag("kind"));
    if (!ref.success || !kind.success || tag("account") !== accountId) return undefined;
    let meta: z.infer<typeof Description> = {};
    try {
      meta = Description.parse(JSON.parse(description ?? "{}"));
    } catch {
      meta = {};
    }
    return {
      ref: ref.data,
      kind: kind.data,
      vendor: meta.vendor ?? null,
      jobId: meta.jobId ?? null,
      label: meta.label ?? null,
      createdAt: (created ?? new Date(0)).toISOString(),
      expiresAt: meta.expiresAt ?? null,
    };
  }

  async get(ref: string, access: { reason: string }): Promise<string> {
    const { ref: id } = await audit("vault.get", ref, access);
    const accountId = Actor.accountId();
    const meta = await this.#describe(accountId, id);
    if (!meta) throw notFound(id);
    let value: string | undefined;
    try {
      const result = await this.#client.send(
        new GetSecretValueCommand({ SecretId: this.#prefix(accountId) + id }),
      );
      value = result.SecretString;
    } catch (error) {
      if (isNotFound(error)) throw notFound(id);
      throw error;
    }
    if (value === undefined) throw notFound(id);
    remember(meta.kind, meta.jobId, value);
    return value;
  }

  async delete(ref: string, access: { reason: string }): Promise<void> {
    const { ref: id } = await audit("vault.delete", ref, access);
    const accountId = Actor.accountId();
    const meta = await this.#describe(accountId, id);
    if (!meta) return;
    try {
      await this.#client.send(
        new DeleteSecretCommand(
          // Card details must not outlive the job, not even in a recovery window.
          meta.kind === "card"
            ? { SecretId: this.#prefix(accountId) + id, ForceDeleteWithoutRecovery: true }
            : { SecretId: this.#prefix(accountId) + id, RecoveryWindowInDays: this.#recoveryWindowInDays },
        ),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async list(filter?: ListFilter): Promise<Meta[]> {
    const parsed = parse(ListFilter, filter);
    const accountId = Actor.accountId();
    const metas: Meta[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#client.send(
        new ListSecretsCommand({
          Filters: [
            { Key: "name", Values: [this.#prefix(accountId)] },
            { Key: "tag-value", Values: [accountId] },
          ],
          IncludePlannedDeletion: false,
          MaxResults: 100,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      for (const entry of page.SecretList ?? []) {
        if (entry.DeletedDate) continue;
        const meta = this.#toMeta(accountId, entry.Name, entry.Tags, entry.Description, entry.CreatedDate);
        if (meta && !isExpired(meta.expiresAt) && matches(meta, parsed)) metas.push(meta);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return metas.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  }
}

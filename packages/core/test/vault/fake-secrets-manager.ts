import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  ListSecretsCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  type Tag,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";

interface Stored {
  name: string;
  value: string;
  kmsKeyId?: string;
  description?: string;
  tags: Tag[];
  created: Date;
  deleted?: Date;
}

const metadata = { $metadata: {} };

/**
 * An in-memory stand-in for the Secrets Manager API surface the vault uses, behind
 * aws-sdk-client-mock: the service itself cannot run here. It models name uniqueness, the
 * recovery window (a deleted secret is described with DeletedDate and cannot be read) and the
 * ListSecrets name-prefix and tag-value filters.
 */
export function fakeSecretsManager() {
  const client = new SecretsManagerClient({
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const mock = mockClient(client);
  const secrets = new Map<string, Stored>();
  const notFound = () =>
    new ResourceNotFoundException({
      message: "Secrets Manager can't find the specified secret.",
      ...metadata,
    });
  const find = (id: string | undefined) => {
    const found = id ? secrets.get(id) : undefined;
    if (!found) throw notFound();
    return found;
  };

  mock.on(CreateSecretCommand).callsFake((input) => {
    if (secrets.has(input.Name)) {
      throw new ResourceExistsException({ message: "already exists", ...metadata });
    }
    secrets.set(input.Name, {
      name: input.Name,
      value: input.SecretString,
      kmsKeyId: input.KmsKeyId,
      description: input.Description,
      tags: input.Tags ?? [],
      created: new Date(),
    });
    return { ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${input.Name}`, Name: input.Name };
  });
  mock.on(DescribeSecretCommand).callsFake((input) => {
    const s = find(input.SecretId);
    return {
      Name: s.name,
      Description: s.description,
      KmsKeyId: s.kmsKeyId,
      Tags: s.tags,
      CreatedDate: s.created,
      ...(s.deleted ? { DeletedDate: s.deleted } : {}),
    };
  });
  mock.on(GetSecretValueCommand).callsFake((input) => {
    const s = find(input.SecretId);
    if (s.deleted) throw new InvalidRequestException({ message: "marked for deletion", ...metadata });
    return { Name: s.name, SecretString: s.value };
  });
  mock.on(DeleteSecretCommand).callsFake((input) => {
    const s = find(input.SecretId);
    if (input.ForceDeleteWithoutRecovery) secrets.delete(s.name);
    else s.deleted = new Date();
    return { Name: s.name, DeletionDate: new Date() };
  });
  mock.on(ListSecretsCommand).callsFake((input) => {
    const filters = input.Filters ?? [];
    const list = [...secrets.values()].filter(
      (s) =>
        (input.IncludePlannedDeletion || !s.deleted) &&
        filters.every((f: { Key: string; Values: string[] }) =>
          f.Key === "name"
            ? f.Values.some((v) => s.name.startsWith(v))
            : f.Key === "tag-value"
              ? f.Values.some((v) => s.tags.some((t) => t.Value === v))
              : true,
        ),
    );
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const size = input.MaxResults ?? 100;
    const page = list.slice(start, start + size);
    return {
      SecretList: page.map((s) => ({
        Name: s.name,
        Description: s.description,
        Tags: s.tags,
        CreatedDate: s.created,
      })),
      ...(start + size < list.length ? { NextToken: String(start + size) } : {}),
    };
  });
  return { client, mock, secrets };
}

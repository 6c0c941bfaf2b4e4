/** The artifacts bucket's lifecycle, one rule per prefix, from Settings.artifactRetentionDays. */
import { type ArtifactKind, ArtifactPrefix } from "./names.ts";
import { Settings } from "./settings.ts";

export interface LifecycleRule {
  id: string;
  status: string;
  filter: { prefix?: string };
  expiration?: { days: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

/** aws.s3.BucketLifecycleConfigurationV2 `rules`. */
export function lifecycleRules(): LifecycleRule[] {
  return [
    ...(Object.keys(ArtifactPrefix) as ArtifactKind[]).map((kind) => ({
      id: `expire-${kind}`,
      status: "Enabled",
      filter: { prefix: ArtifactPrefix[kind] },
      expiration: { days: Settings.artifactRetentionDays[kind] },
    })),
    {
      id: "abort-incomplete-uploads",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
    },
  ];
}

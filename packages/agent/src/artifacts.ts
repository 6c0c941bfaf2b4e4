import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Config } from "@fg/core";

/** Where failure evidence goes: S3 on AWS, a folder locally. Callers pass only redacted or masked content. */
export interface ArtifactStore {
  put(jobId: string, name: string, body: Buffer | string, contentType: string): Promise<string>;
}

/** $FG_HOME/artifacts/<jobId>/<name>. */
export function localArtifacts(
  root = path.join(path.resolve(Config.get().FG_HOME), "artifacts"),
): ArtifactStore {
  return {
    async put(jobId, name, body) {
      const dir = path.join(root, jobId.replace(/[^A-Za-z0-9_-]/g, "_"));
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, name.replace(/[^A-Za-z0-9_.-]/g, "_"));
      await writeFile(file, body, { mode: 0o600 });
      return file;
    },
  };
}

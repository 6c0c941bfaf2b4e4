import { JobEvent } from "../job-event/index.ts";
import {
  compileRedactor,
  generation,
  type Redactor,
  redactValue,
  SecretName,
  SecretRegistry,
} from "./registry.ts";

export { SecretName, SecretRegistry };

export namespace Secrets {
  const processWide = new SecretRegistry();
  const jobs = new Map<string, SecretRegistry>();
  let combined: { generation: number; redactor: Redactor } | undefined;

  /** The registry of one job; the same instance until `release(jobId)`. */
  export function forJob(jobId: string): SecretRegistry {
    let registry = jobs.get(jobId);
    if (!registry) {
      registry = new SecretRegistry();
      jobs.set(jobId, registry);
      generation.value++;
    }
    return registry;
  }

  /** Forgets a finished job's values (call once its last log line and event are written). */
  export function release(jobId: string): void {
    if (jobs.delete(jobId)) generation.value++;
  }

  /** A value every line this process writes must hide, whatever job it belongs to. */
  export function register(name: SecretName, value: string): void {
    processWide.register(name, value);
  }

  /** Redacts the values of every live registry. */
  export function redact(text: string): string {
    if (combined?.generation !== generation.value) {
      const registries = [processWide, ...jobs.values()];
      combined = {
        generation: generation.value,
        redactor: compileRedactor(registries.flatMap((r) => [...r.entries()])),
      };
    }
    return combined.redactor.redact(text);
  }

  export function redactDeep<T>(value: T): T {
    return redactValue(value, redact);
  }
}

// Every job event is stored redacted, whoever writes it.
JobEvent.addTransform((data) => Secrets.redactDeep(data));

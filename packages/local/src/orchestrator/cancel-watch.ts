import { Actor, Job } from "@fg/core";

/** An AbortSignal that fires when the job is canceled (polled), or when `parent` aborts. */
export function watchCancel(jobId: string, accountId: string, parent?: AbortSignal, everyMs = 1000) {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  parent?.addEventListener("abort", onParent, { once: true });
  const timer = setInterval(() => {
    Actor.system("cancel watch", accountId, () => Job.get({ id: jobId }))
      .then((job) => {
        if (job.status === "canceled") controller.abort(new Error("canceled"));
      })
      .catch(() => undefined);
  }, everyMs);
  return {
    signal: controller.signal,
    canceled: () => controller.signal.aborted && !parent?.aborted,
    dispose: () => {
      clearInterval(timer);
      parent?.removeEventListener("abort", onParent);
    },
  };
}

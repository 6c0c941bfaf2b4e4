// aws-local-stepfunctions uses Promise.withResolvers (Node 22+); fg runs on Node 20.
type WithResolvers = <T>() => {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason?: unknown) => void;
};
const PromiseWith = Promise as unknown as { withResolvers?: WithResolvers };
PromiseWith.withResolvers ??= <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

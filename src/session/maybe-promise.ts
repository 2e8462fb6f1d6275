/**
 * The few helpers that keep a command synchronous when its handler answers
 * synchronously: a promise appears only where a handler returns one.
 */

/** A value, or a promise of it when a handler returned one. */
export type MaybePromise<T> = T | Promise<T>;

/** Whether a handler's answer is a promise (a thenable) rather than the value itself. */
export function isPromise<T>(x: MaybePromise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}

/** `f(x)`, after `x` settles when it is a promise: a synchronous value stays synchronous. */
export function then<T, U>(x: MaybePromise<T>, f: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(x) ? x.then(f) : f(x);
}

/** Runs `step(0)` to `step(n - 1)` one after another: synchronously while the steps are, waiting for those that return a promise. */
export function inOrder(n: number, step: (i: number) => void | Promise<void>, from = 0): void | Promise<void> {
  for (let i = from; i < n; i++) {
    const r = step(i);
    if (isPromise(r)) return r.then(() => inOrder(n, step, i + 1));
  }
}

/**
 * What a built-in handler answers with, and the few helpers that keep a
 * command synchronous when the device answers synchronously: a promise
 * appears only where a device handler returns one.
 */
import type { CommandByCmd, ReplyByCmd } from '../../../generated/ts/messages.js';
import type { KnownCmd } from '../../build.js';
import type { Outcome, ReceivedFds } from '../endpoint.js';
import type { Served } from './served.js';

/** A value, or a promise of it when a device handler returned one. */
export type MaybePromise<T> = T | Promise<T>;

/** The reply body of command `C`. */
export type ReplyBody<C extends KnownCmd> = ReplyByCmd[C]['body'];

/** A reply body with the fds to send beside it (and what to do once they are sent). */
export class WithFds<B = unknown> implements Outcome {
  readonly body: B;
  readonly fds: readonly number[];
  readonly sent?: (error: Error | null) => void;

  constructor(body: B, fds: readonly number[], sent?: (error: Error | null) => void) {
    this.body = body;
    this.fds = fds;
    if (sent !== undefined) this.sent = sent;
  }
}

/** What a built-in handler of command `C` answers with: the reply body, or the body with fds. */
export type Answer<C extends KnownCmd> = ReplyBody<C> | WithFds<ReplyBody<C>>;

/** The built-in handler of command `C`: its reply body (with fds, for the commands that pass some), or a throw for an error reply. */
export type Handler<C extends KnownCmd> = (s: Served, m: CommandByCmd[C], fds: ReceivedFds) => MaybePromise<Answer<C>>;

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

/** A built-in handler's result as the endpoint takes it. */
export function asOutcome(body: unknown): Outcome {
  return body instanceof WithFds ? body : { body };
}

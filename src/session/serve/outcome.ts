/** What a built-in handler answers with. */
import type { CommandByCmd, ReplyByCmd } from '../../../generated/ts/messages.js';
import type { KnownCmd } from '../../build.js';
import type { Outcome, ReceivedFds } from '../endpoint.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { Served } from './served.js';

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

/** A built-in handler's result as the endpoint takes it. */
export function asOutcome(body: unknown): Outcome {
  return body instanceof WithFds ? body : { body };
}

/**
 * The session limits: what a peer can make a client or server hold
 * (connections, fds, DMA windows, IOAS objects, queued commands and output,
 * dirty-bitmap memory, migration data) and how long it may take (handshake,
 * idle, request timeouts). Defaults and documentation are in spec/limits.ts
 * (`sessionLimits`), beside the codec's limits.
 */
import { errno as errnoTable } from '../../spec/errno.js';
import { sessionLimits as specs } from '../../spec/limits.js';
import { VfioUserSessionError } from './errors.js';

/** Every session limit; see spec/limits.ts `sessionLimits` for each default. */
export interface SessionLimits {
  /** Connections a Server serves at once. Default 64. */
  readonly maxConnections: number;
  /** Fds one connection makes the server hold. Default 1024. */
  readonly maxFdsPerConnection: number;
  /** DMA windows of one connection. Default 1024. */
  readonly maxDmaWindows: number;
  /** IOAS objects of one connection. Default 64. */
  readonly maxIoas: number;
  /** Commands received and not yet answered before reading pauses. Default 64. */
  readonly maxQueuedCommands: number;
  /** Bytes written and not yet taken by the peer before reading pauses. Default 8 MiB. */
  readonly maxOutputBytes: number;
  /** Time a connection paused on its output may go without the peer taking any of it. Default 30000; 0 never. */
  readonly outputTimeoutMs: number;
  /** Dirty-logging memory of one connection. Default 8 MiB. */
  readonly maxDirtyBitmapBytes: number;
  /** Migration data written in one RESUMING state. Default 256 MiB. */
  readonly maxMigrationBytes: number;
  /** Time to complete VERSION. Default 10000; 0 none. */
  readonly handshakeTimeoutMs: number;
  /** Silence after which a negotiated connection closes. Default 0: never. */
  readonly idleTimeoutMs: number;
  /** Default client request timeout. Default 30000; 0 for ever. */
  readonly requestTimeoutMs: number;
}

/** The name of a session limit. */
export type SessionLimitName = keyof SessionLimits;

/** The default session limits. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = Object.freeze(Object.fromEntries(specs.map((l) => [l.name, l.default])) as unknown as SessionLimits);

const ERRNO_OF = new Map(specs.map((l) => [l.name, l.errno === undefined ? undefined : errnoTable[l.errno]]));

/**
 * The defaults with `overrides` applied.
 * @throws TypeError for an unknown limit or a value that is not a non-negative number.
 */
export function resolveSessionLimits(overrides: Partial<SessionLimits> | undefined): SessionLimits {
  if (overrides === undefined) return DEFAULT_SESSION_LIMITS;
  for (const [k, x] of Object.entries(overrides)) {
    if (!(k in DEFAULT_SESSION_LIMITS)) throw new TypeError(`unknown session limit ${k}`);
    if (typeof x !== 'number' || !(x >= 0)) throw new TypeError(`session limit ${k} must be a non-negative number`);
  }
  return Object.freeze({ ...DEFAULT_SESSION_LIMITS, ...overrides });
}

/**
 * The error of a request refused by session limit `name`: ERR_SESSION_LIMIT
 * with the limit's errno, which the server answers the command with.
 */
export function overSessionLimit(name: SessionLimitName, limit: number, what: string, cmd?: number): VfioUserSessionError {
  return new VfioUserSessionError('ERR_SESSION_LIMIT', `${what}: the ${name} limit is ${limit}`, {
    limitName: name,
    limit,
    ...(ERRNO_OF.get(name) === undefined ? {} : { errno: ERRNO_OF.get(name)! }),
    ...(cmd === undefined ? {} : { cmd }),
  });
}

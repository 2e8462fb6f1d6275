/**
 * The one options object of the codec: dialect and limits, with defaults
 * from spec/limits.ts.
 */
import { limits as limitSpecs, dialects, DEFAULT_DIALECT } from './spec.js';

export type { DialectName, Limits } from '../generated/ts/types.js';
import type { DialectName, Limits } from '../generated/ts/types.js';

/** Options of decode, encode and the FrameDecoder. */
export interface CodecOptions {
  /** Dialect of the side that sent (decode) or sends (encode) the message. Default `default`. */
  readonly dialect?: DialectName;
  /** Overrides of the default limits. */
  readonly limits?: Partial<Limits>;
  /**
   * Accept command numbers this package does not know, as raw messages
   * (kind `raw`) instead of throwing `ERR_UNKNOWN_COMMAND`. Default false.
   */
  readonly allowUnknownCommands?: boolean;
  /**
   * Know this package's draft iommufd extension: commands 27-29 and the
   * FIXED_IOVA map flag. Without it they are unknown, as to every peer
   * today. Default false.
   */
  readonly drafts?: boolean;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  readonly dialect: DialectName;
  readonly limits: Limits;
  readonly allowUnknownCommands: boolean;
  readonly drafts: boolean;
}

/** The default limits. */
export const DEFAULT_LIMITS: Limits = Object.freeze(
  Object.fromEntries(limitSpecs.map((l) => [l.name, l.default])) as unknown as Limits,
);

const DIALECT_NAMES = new Set(dialects.map((d) => d.name));

/** Marks an options object resolveOptions made: checking it is one property load, where a WeakSet lookup costs ~10 ns. */
const RESOLVED: unique symbol = Symbol('resolved');

/**
 * Brands a resolved options object. The brand is not enumerable, so a spread
 * copy (`{ ...resolved, limits }`) is not taken for resolved and gets merged.
 */
function brand(o: Omit<ResolvedOptions, never>): ResolvedOptions {
  Object.defineProperty(o, RESOLVED, { value: true, enumerable: false });
  return Object.freeze(o);
}

const DEFAULTS: ResolvedOptions = brand({
  dialect: DEFAULT_DIALECT as DialectName,
  limits: DEFAULT_LIMITS,
  allowUnknownCommands: false,
  drafts: false,
});

/**
 * Fills in defaults. Returns the shared default object when `options` is
 * absent, and `options` itself when it is already resolved, so hot paths can
 * resolve once and pass the result on.
 */
export function resolveOptions(options?: CodecOptions | ResolvedOptions): ResolvedOptions {
  if (options === undefined) return DEFAULTS;
  if ((options as { [RESOLVED]?: true })[RESOLVED] === true) return options as ResolvedOptions;
  return resolveNew(options);
}

function resolveNew(options: CodecOptions): ResolvedOptions {
  const dialect = options.dialect ?? DEFAULTS.dialect;
  if (!DIALECT_NAMES.has(dialect)) throw new TypeError(`unknown dialect ${String(dialect)}`);
  if (options.limits !== undefined) {
    for (const [k, x] of Object.entries(options.limits)) {
      if (!(k in DEFAULT_LIMITS)) throw new TypeError(`unknown limit ${k}`);
      if (typeof x !== 'number' || !(x >= 0)) throw new TypeError(`limit ${k} must be a non-negative number`);
    }
  }
  return brand({
    dialect,
    limits: options.limits === undefined ? DEFAULT_LIMITS : Object.freeze({ ...DEFAULT_LIMITS, ...options.limits }),
    allowUnknownCommands: options.allowUnknownCommands ?? false,
    drafts: options.drafts ?? false,
  });
}

/**
 * The one options object of the codec: dialect and limits, with defaults
 * from spec/limits.ts.
 */
import { limits as limitSpecs } from '../spec/limits.js';
import { dialects, DEFAULT_DIALECT } from '../spec/dialects.js';

/** Every limit on a length taken from the wire; see spec/limits.ts for each default. */
export interface Limits {
  /** Largest msg_size, header included. Default 1048608. */
  readonly maxMessageSize: number;
  /** Largest data count of REGION/DMA/MIG_DATA transfers. Default 1048576. */
  readonly maxDataXferSize: number;
  /** File descriptors accepted on one message. Default 1. */
  readonly maxMsgFds: number;
  /** Largest error_no accepted in an error reply. Default 4096. */
  readonly maxErrorNo: number;
  /** Largest capabilities JSON, NUL included. Default 65536. */
  readonly maxJsonBytes: number;
  /** Deepest JSON nesting. Default 32. */
  readonly maxJsonDepth: number;
  /** Most capabilities in a region-info chain. Default 64. */
  readonly maxRegionCaps: number;
  /** Most areas of a sparse-mmap capability. Default 4096. */
  readonly maxSparseAreas: number;
  /** Most IO_FDS entries. Default 4096. */
  readonly maxSubRegions: number;
  /** Largest SET_IRQS count. Default 2048. */
  readonly maxIrqVectors: number;
  /** Largest dirty bitmap in bytes. Default 1048576. */
  readonly maxBitmapBytes: number;
  /** Most DMA logging ranges. Default 4096. */
  readonly maxLoggingRanges: number;
  /** Most REGION_WRITE_MULTI entries. Default 200. */
  readonly maxWriteMultiEntries: number;
  /** Most ranges of an IOMMUFD_IOAS_IOVA_RANGES reply (draft). Default 4096. */
  readonly maxIovaRanges: number;
}

/** The dialect names of spec/dialects.ts. */
export type DialectName = 'default' | 'libvfio-user' | 'qemu' | 'rust-vmm' | 'spdk';

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

/**
 * The shape of the vfio-user specification data.
 *
 * Everything in spec/ is plain typed data of these types: no logic, no I/O.
 * The generator (generator/) derives the TypeScript codecs, the C header,
 * the protocol document, the capabilities JSON schema and the fuzz corpus
 * from it.
 */

/** Wire scalar types. All are little-endian; `s32` is two's complement. */
export type ScalarType = 'u8' | 'u16' | 'u32' | 'u64' | 's32';

/** Which side fills a field: the requester (`in`), the responder (`out`) or both. */
export type Direction = 'in' | 'out' | 'inout';

/** Where a definition comes from. */
export type Origin =
  /** libvfio-user's include/vfio-user.h (the protocol's C header) */
  | 'vfio-user'
  /** the kernel's <linux/vfio.h>, reused unchanged on the wire */
  | 'linux/vfio.h'
  /** removed from the protocol; kept for recognising old traffic */
  | 'legacy'
  /** libvfio-user pull request #833, the iommufd extension */
  | 'iommufd'
  /** QEMU's hw/vfio-user/protocol.h, where it differs from vfio-user.h */
  | 'qemu'
  /** this package's draft extension, off by default */
  | 'draft';

/** One field of a struct. */
export interface FieldSpec {
  /** The C field name. */
  readonly name: string;
  /** A scalar, a fixed byte array (`bytes`, with `length`) or a nested struct (`struct`, with `struct`). */
  readonly type: ScalarType | 'bytes' | 'struct';
  /** Length in bytes of a `bytes` field. */
  readonly length?: number;
  /** Name of the nested struct of a `struct` field. */
  readonly struct?: string;
  /** What the field means, in one or two sentences. */
  readonly doc: string;
  /** Who fills it; absent means `in`. */
  readonly dir?: Direction;
  /** Name of the flag set ({@link ConstSetSpec} of kind `flags`) the field holds. */
  readonly flags?: string;
  /** Name of the enumeration ({@link ConstSetSpec} of kind `enum`) the field holds. */
  readonly enum?: string;
  /** In a dialect's struct: the name of the protocol struct's field it stands for (QEMU's `offset` is `addr`). */
  readonly means?: string;
}

/** A C flexible array member at the end of a struct (for the C header and the layout). */
export interface FlexSpec {
  readonly name: string;
  /** Element type: a scalar or a struct name. */
  readonly element: ScalarType | { readonly struct: string } | { readonly union: string };
  readonly doc: string;
}

/**
 * A C struct. Offsets are sequential: no struct in the protocol has padding
 * between fields; only QEMU's VFIOUserDMARW has tail padding (sizeof 16, fields end at 12).
 */
export interface StructSpec {
  /** The C struct name, without `struct`. */
  readonly name: string;
  readonly origin: Origin;
  /** Whether the C definition is `__attribute__((packed))`. */
  readonly packed: boolean;
  readonly doc: string;
  readonly fields: readonly FieldSpec[];
  /** The flexible array member, if the C struct has one. */
  readonly flex?: FlexSpec;
  /**
   * Where a reader can check this definition: a section of the QEMU document,
   * of libvfio-user's behaviour, or of the kernel uAPI.
   */
  readonly ref: string;
}

/** A C union (only `sub_region`, the IO_FDS entry). */
export interface UnionSpec {
  readonly name: string;
  readonly origin: Origin;
  readonly doc: string;
  readonly members: readonly { readonly name: string; readonly struct: string }[];
}

/** One named constant of a flag set or enumeration. */
export interface ConstSpec {
  /** The C name. */
  readonly name: string;
  readonly value: number;
  readonly doc: string;
  /** Present when the constant exists only in some implementations or versions. */
  readonly origin?: Origin;
  /** A capability path both sides must advertise before the bit may be used (`iommufd.fixed_iova`). */
  readonly negotiated?: string;
  /**
   * For a multi-bit mask of a flag set: the enumeration whose value the
   * bits under the mask hold (the DEVICE_FEATURE index in its flags).
   */
  readonly holds?: string;
}

/** A flag set (bits that combine) or an enumeration (values that exclude each other). */
export interface ConstSetSpec {
  /** A short identifier used by fields (`dma_map_flags`). */
  readonly name: string;
  readonly kind: 'flags' | 'enum';
  readonly doc: string;
  readonly origin: Origin;
  readonly values: readonly ConstSpec[];
}

/**
 * How many bytes (or, for an array, how many elements) a variable tail
 * holds, in the spec's own words:
 * - `{ field }`: the value of that field of the struct the tail follows;
 * - `'rest'`: whatever follows, up to the end of the message;
 * - `{ fixed }`: that many;
 * - `{ bitmap }`: a dirty bitmap's size, ceil(ceil(length / pageSize) / 64) * 8
 *   bytes, from two fields of the struct (pageSize must be a power of two).
 */
export type TailLength =
  | { readonly field: string }
  | 'rest'
  | { readonly fixed: number }
  | { readonly bitmap: { readonly length: string; readonly pageSize: string } };

/** A flag test: the named constant's bit is set in `field` of the struct the tail follows. */
export interface WhenSpec {
  readonly field: string;
  /** The C name of a constant of the field's flag set. */
  readonly flag: string;
}

/**
 * A tail that follows the struct of a payload case or an optional struct; its
 * members join that struct's object (`vfio_user_bitmap` and its `data`).
 */
export type InnerTailSpec = Extract<TailSpec, { readonly kind: 'bytes' | 'array' }>;

/**
 * One payload of a {@link TailSpec} of kind `select`: chosen when every test
 * of `when` holds (the field's bits under `mask` equal one of `is`).
 */
export interface PayloadCaseSpec {
  /** The payload's tag in the decoded object (`kind: 'mig_state'`). */
  readonly kind: string;
  /** Tests on fields of the struct the tail follows; constants by C name, a mask as the OR of its constants. */
  readonly when: readonly { readonly field: string; readonly mask: readonly string[]; readonly is: readonly string[] }[];
  /** The payload's struct; absent: the payload is empty. */
  readonly struct?: string;
  /** What follows the struct. */
  readonly then?: InnerTailSpec;
  /**
   * A bitmap the reply to this request will carry (sized from these fields):
   * one larger than the limit could not be received, so the request is
   * refused already. Checked only when the page size is a power of two.
   */
  readonly replyBitmap?: { readonly length: string; readonly pageSize: string; readonly limit: string };
  readonly doc: string;
}

/**
 * One capability of a chain: chosen by the id in its header. Its struct
 * starts with the header.
 */
export interface CapabilityCaseSpec {
  /** The capability's tag in the decoded object. */
  readonly kind: string;
  /** The TS type name of the capability. */
  readonly type: string;
  /** The C name of the id constant. */
  readonly id: string;
  /** The capability's struct (its first field is the header); absent: the header alone. */
  readonly struct?: string;
  readonly then?: InnerTailSpec;
  readonly doc: string;
}

/**
 * What follows the fixed struct of a message body. Each kind is a layout
 * the generator turns into types, decoders, encoders and docs; only the
 * VERSION JSON and the walk of a capability chain are code in src/.
 */
export type TailSpec =
  /**
   * Bytes, returned as a view. With `atLeast`, the tail may be longer than
   * the length says (padding). With `when`, the tail is empty unless the flag is set.
   */
  | {
      readonly kind: 'bytes';
      readonly name: string;
      readonly length: TailLength;
      readonly atLeast?: boolean;
      readonly when?: WhenSpec;
      /** The `Limits` key that bounds the length. */
      readonly limit?: string;
      readonly doc: string;
    }
  /**
   * An array of fixed-size structs, or of a union whose member is told by the
   * stride (the bytes present over the count; encoding: by a field only that
   * member has).
   */
  | {
      readonly kind: 'array';
      readonly name: string;
      /** A struct or a union name. */
      readonly of: string;
      readonly length: { readonly field: string };
      /** The `Limits` key that bounds the element count. */
      readonly limit?: string;
      /** Largest value of one field of every element (REGION_WRITE_MULTI count <= 8). */
      readonly elementMax?: { readonly field: string; readonly max: number };
      /** The array may be left out although the length field is not 0 (it did not fit in argsz). */
      readonly omittable?: boolean;
      readonly doc: string;
    }
  /**
   * A struct present when a flag is set (else the tail is empty and the
   * member null), with the rules on its fields and what follows it.
   */
  | {
      readonly kind: 'optional';
      readonly name: string;
      readonly struct: string;
      readonly when: WhenSpec;
      /** Rules on the struct's fields (a dotted path reaches into a nested struct). */
      readonly checks?: readonly CheckSpec[];
      readonly then?: InnerTailSpec;
      /** The TS type name of the struct with its `then` member. */
      readonly type?: string;
      /**
       * In a request: `argsz` must leave room for the struct and the bytes the
       * named field counts, which the reply will carry.
       */
      readonly argszRoom?: string;
      readonly doc: string;
    }
  /**
   * A payload chosen by the values of fields of the struct it follows;
   * anything no case takes is kept as raw bytes (`kind: 'raw'`, `bytes`).
   */
  | { readonly kind: 'select'; readonly name: string; readonly type: string; readonly cases: readonly PayloadCaseSpec[]; readonly doc: string }
  /**
   * A chain of capabilities, present when `when` holds: the first at the
   * offset in `offsetField` from the start of the struct, each header naming
   * the next by `next` (0 ends it); they must tile the bytes after the struct.
   * Unknown ids are kept raw (`kind: 'raw'`, `data`).
   */
  | {
      readonly kind: 'chain';
      readonly name: string;
      readonly type: string;
      /** The struct every capability starts with, and its TS type name. */
      readonly header: string;
      readonly headerType: string;
      readonly offsetField: string;
      readonly when: WhenSpec;
      /** The `Limits` key that bounds the number of capabilities. */
      readonly limit: string;
      readonly cases: readonly CapabilityCaseSpec[];
      readonly doc: string;
    }
  /** A UTF-8 JSON text ending in one NUL byte, or nothing at all. */
  | { readonly kind: 'json'; readonly name: string; readonly doc: string };

/**
 * A rule on the fields of a decoded struct. Every rule a decoder enforces is
 * written here, so the docs can list it and the codec can generate it.
 */
export type CheckSpec =
  /** Only bits of the named flag set may be set. */
  | { readonly kind: 'known-bits'; readonly field: string; readonly set: string }
  /** Exactly one bit of each mask is set, and no bit outside them. */
  | { readonly kind: 'one-of'; readonly field: string; readonly masks: readonly number[] }
  /** At least one bit of the mask is set. */
  | { readonly kind: 'some-of'; readonly field: string; readonly mask: number }
  /** The field holds one of these values. */
  | { readonly kind: 'allowed'; readonly field: string; readonly values: readonly number[] }
  /** The field is 0. */
  | { readonly kind: 'zero'; readonly field: string }
  /** Not all of these bits at once. */
  | { readonly kind: 'not-all'; readonly field: string; readonly bits: number }
  /** `argsz` covers the body: argsz >= the body's length. */
  | { readonly kind: 'argsz-covers' }
  /** The field is at most the named `Limits` value. */
  | { readonly kind: 'limit'; readonly field: string; readonly limit: string }
  /** The field is a power of two (a page size). */
  | { readonly kind: 'power-of-two'; readonly field: string }
  /**
   * The field equals the dirty-bitmap size of `length` (a field of the
   * enclosing message struct) at page size `pageSize`.
   */
  | { readonly kind: 'bitmap-size'; readonly field: string; readonly length: string; readonly pageSize: string };

/** The body of one message kind. */
export type BodySpec =
  /** No body: `msg_size` is 16. */
  | { readonly kind: 'empty'; readonly doc?: string }
  /**
   * A fixed struct, optionally followed by a tail. With `emptyAllowed`, a header-only
   * message is also valid (REGION_READ/WRITE with count 0 get an empty reply).
   */
  | {
      readonly kind: 'struct';
      readonly struct: string;
      readonly tail?: TailSpec;
      readonly emptyAllowed?: boolean;
      /**
       * The writer sizes the message the C way, `sizeof(struct) + tail`: the
       * struct's tail padding (sizeof minus the end of its fields) follows the
       * tail as zero bytes. Only QEMU's VFIOUserDMARW (data at 12, sizeof 16).
       */
      readonly padded?: boolean;
      /** Rules on the struct's fields, checked on decode. */
      readonly checks?: readonly CheckSpec[];
      readonly doc?: string;
    };

/** How many file descriptors travel with a message (SCM_RIGHTS). */
export type FdRule =
  | { readonly kind: 'none' }
  | { readonly kind: 'exactly'; readonly count: number }
  | { readonly kind: 'optional'; readonly doc: string }
  /** SET_IRQS with DATA_EVENTFD: `count` fds (or none to disable). */
  | { readonly kind: 'per_vector'; readonly doc: string }
  /** Fds in a reply, referenced by index from its body. */
  | { readonly kind: 'indexed'; readonly doc: string };

/** Which implementations a command belongs to. */
export type CommandStatus = 'base' | 'legacy' | 'iommufd' | 'draft';

/** One command number and everything said about its messages. */
export interface CommandSpec {
  readonly cmd: number;
  /** The C enumerator, e.g. `VFIO_USER_DMA_MAP`. */
  readonly name: string;
  /** Who sends the command (the other side replies). */
  readonly sender: 'client' | 'server';
  readonly status: CommandStatus;
  readonly doc: string;
  readonly request: BodySpec;
  readonly reply: BodySpec;
  readonly fds: { readonly request: FdRule; readonly reply: FdRule };
  /** The errno values a server answers with, and when. */
  readonly errors: readonly { readonly errno: string; readonly when: string }[];
  /**
   * A capability path that must be advertised before the command may be
   * sent: by both sides for the iommufd keys (`iommufd.supported`), by the
   * server for `write_multiple`.
   */
  readonly negotiated?: string;
  readonly ref: string;
}

/** A numeric limit with its default. */
export interface LimitSpec {
  /** The option name in `Limits`. */
  readonly name: string;
  readonly default: number;
  readonly doc: string;
  readonly ref: string;
}

/**
 * A limit on what a peer can make a session hold (connections, fds, memory,
 * time): an option of the same name in the session's `SessionLimits`.
 */
export interface SessionLimitSpec {
  /** The option name in `SessionLimits`. */
  readonly name: string;
  readonly default: number;
  /** What the number counts. */
  readonly unit: 'connections' | 'fds' | 'windows' | 'objects' | 'commands' | 'bytes' | 'ms';
  /** Which end applies it. */
  readonly side: 'server' | 'client' | 'both';
  /** errno name of the error reply to a command refused by it; absent when it refuses no command (it pauses, closes or times out). */
  readonly errno?: 'EINVAL' | 'ENOSPC' | 'EMFILE';
  readonly doc: string;
  readonly ref: string;
}

/** One place where a dialect lays a message out differently from the default. */
export interface DialectOverride {
  readonly cmd: number;
  readonly message: 'request' | 'reply';
  readonly body: BodySpec;
  readonly doc: string;
}

/** An errno name a reader answers with. */
export type ErrnoName = 'EINVAL' | 'E2BIG' | 'EFAULT' | 'ENODEV' | 'EPERM' | 'ENOSYS' | 'ENOENT' | 'EEXIST' | 'EBUSY' | 'ENOTSUP' | 'EPROTO';

/**
 * Where a reader takes one field from a message body. `means` is the field's
 * name in the protocol's own struct (`addr`, `count`, `data`), so fields of
 * two dialects that mean the same thing can be compared.
 */
export interface ReadFieldSpec {
  /** The reader's own name for the field (its C name). */
  readonly name: string;
  /** The field of the command's default body it stands for. */
  readonly means: string;
  /** Offset in the body (message offset minus 16). */
  readonly at: number;
  /** A scalar, or `data`: bytes whose length is the value of the field named by `length`. */
  readonly type: 'u32' | 'u64' | 'data';
  /** For `data`: the `means` of the field holding its length. */
  readonly length?: string;
}

/** One acceptance check of a reader, in the order it makes them; the first that fails is its answer. */
export type ReadCheckSpec =
  /** msg_size (header included) is at least `size`. */
  | { readonly kind: 'msg-size-min'; readonly size: number; readonly errno: ErrnoName; readonly why: string }
  /** A field read (by its `means`) is at most a bound: the reader's max_data_xfer_size, or msg_size minus `minus`. */
  | { readonly kind: 'at-most'; readonly field: string; readonly bound: 'max_data_xfer_size' | 'msg_size'; readonly minus?: number; readonly errno: ErrnoName; readonly why: string }
  /** A reply's fields (by `means`) equal the request's; a field the reply is too short to hold fails. */
  | { readonly kind: 'echo'; readonly fields: readonly string[]; readonly errno: ErrnoName; readonly why: string };

/**
 * How an implementation reads one message where it does not decode as
 * strictly as this package: its checks and where it takes each field. A
 * message without a read rule is read by the dialect's own layout, exactly.
 */
export interface ReadRuleSpec {
  readonly cmd: number;
  readonly message: 'request' | 'reply';
  readonly checks: readonly ReadCheckSpec[];
  readonly fields: readonly ReadFieldSpec[];
  readonly doc: string;
  /** Source file and commit. */
  readonly evidence: string;
}

/** A flag bit a dialect numbers differently, and the protocol constant it stands for. */
export interface DialectFlagSpec {
  readonly name: string;
  readonly value: number;
  /** The protocol constant (`VFIO_DMA_UNMAP_FLAG_ALL`). */
  readonly means: string;
}

/** What the checks of an implementation acting as the client demand of the server's VERSION reply. */
export interface VersionReplyRuleSpec {
  /** The reply must carry the capabilities JSON. */
  readonly jsonRequired: boolean;
  /** Largest minor version accepted. */
  readonly maxMinor: number;
  /** Capability paths with their largest accepted value. */
  readonly maxima: readonly { readonly path: string; readonly max: number }[];
  /** Capability paths whose value must be a multiple of `of`. */
  readonly multiples: readonly { readonly path: string; readonly of: number }[];
  readonly evidence: string;
}

/** A command an implementation refuses as a server although the protocol lets it through. */
export type ServerRefusalSpec = (
  /** In these migration device states only these commands are served. */
  | { readonly kind: 'only-in-states'; readonly states: readonly number[]; readonly commands: readonly number[] }
  /** `argsz` below `plus` + the value of `field`. */
  | { readonly kind: 'argsz-below'; readonly cmd: number; readonly field: string; readonly plus: number }
  /** All the bits of `all` set in `field` and none of `without`. */
  | { readonly kind: 'bits-without'; readonly cmd: number; readonly field: string; readonly all: number; readonly without: number }
  /** The command is served only in these migration device states. */
  | { readonly kind: 'command-in-states'; readonly cmd: number; readonly states: readonly number[] }
  /** A DMA_MAP whose window overlaps a mapped one without being exactly it (an exact duplicate is served). */
  | { readonly kind: 'map-overlap'; readonly cmd: number }
) & { readonly errno: ErrnoName; readonly why: string; readonly evidence: string };

/** A behaviour of an implementation that the wire shows and other implementations do differently. */
export interface BehaviourSpec {
  /** Short kebab-case key, the same across dialects (`reset-migration-state`). */
  readonly key: string;
  readonly doc: string;
  readonly evidence: string;
}

/**
 * A sample message for the Interoperability chapter: field values by the
 * name of the protocol struct's field (numbers, data as hex, flags as the
 * protocol constants' names). A reply's sample names the request it answers.
 */
export interface InteropSampleSpec {
  readonly cmd: number;
  readonly message: 'request' | 'reply';
  /** Short label, unique per message. */
  readonly name: string;
  readonly values: Readonly<Record<string, number | string | readonly string[]>>;
  /** For a reply: the request it answers. */
  readonly request?: Readonly<Record<string, number | string | readonly string[]>>;
}

/** An implementation's way of writing and reading messages where peers disagree. */
export interface DialectSpec {
  readonly name: string;
  readonly doc: string;
  /** The sides the implementation plays; the Interoperability chapter pairs a sender with a receiver of the other side. Absent for the package's own `default`. */
  readonly roles?: readonly ('client' | 'server')[];
  /** Commands it does not implement at all (neither sends nor serves), with the evidence. */
  readonly lacks?: { readonly commands: readonly number[]; readonly evidence: string };
  /** How it writes (and, absent a read rule, reads) messages the default lays out differently. */
  readonly overrides: readonly DialectOverride[];
  /** Where it reads less strictly than its own layout: what it checks, where it takes each field. */
  readonly reads?: readonly ReadRuleSpec[];
  /** Flag fields whose bits it numbers differently: per command, the field and its bits. */
  readonly flags?: readonly { readonly cmd: number; readonly field: string; readonly values: readonly DialectFlagSpec[] }[];
  /**
   * As the receiver of the other side's commands: the commands it serves
   * (others are answered with `unknownErrno`), and the errno for a command
   * that carries fds it does not take.
   */
  readonly serves?: { readonly commands: readonly number[]; readonly unknownErrno: ErrnoName; readonly fdsErrno: ErrnoName; readonly evidence: string };
  /** Its checks, as a client, of the server's VERSION reply. */
  readonly versionReply?: VersionReplyRuleSpec;
  /** Largest values it accepts in a reply: [cmd, field, max, errno]. */
  readonly replyMaxima?: readonly { readonly cmd: number; readonly field: string; readonly max: number; readonly errno: ErrnoName; readonly evidence: string }[];
  /** Its errno answers to DMA_READ/DMA_WRITE faults. */
  readonly dmaErrors?: readonly { readonly errno: ErrnoName; readonly when: string }[];
  /**
   * Its error replies were typed as commands (type bits 0 with ERROR set)
   * until `until`: the dialect decodes such a header as an error reply and
   * encodes it back as it was.
   */
  readonly errorTypedAsCommand?: { readonly until: string; readonly evidence: string };
  /** It sends error replies to commands sent with NO_REPLY (only its success path honours the flag). */
  readonly errorRepliesToNoReply?: boolean;
  /**
   * The version it proposes as a client and answers as a server; `clientKeys`
   * is the set of capability paths its client sends, by which a capture shows it.
   */
  readonly version?: { readonly client?: readonly [number, number]; readonly server?: readonly [number, number]; readonly clientKeys?: readonly string[] };
  /** Commands it refuses as a server although the protocol lets them through, checked in this order. */
  readonly serverRefuses?: readonly ServerRefusalSpec[];
  /**
   * The errnos it answers, as a server, to iommufd commands the connection's
   * state forbids: a second BIND, and DESTROY_IOAS of the IOAS the device is
   * attached to. Absent: the `default` dialect's.
   */
  readonly iommufdErrnos?: { readonly bindAgain: ErrnoName; readonly destroyAttached: ErrnoName; readonly evidence: string };
  /** DEVICE_RESET's effect on the migration state: back to RUNNING, or unchanged. */
  readonly resetMigrationState?: 'running' | 'unchanged';
  /** Other behaviours the wire shows. */
  readonly behaviours?: readonly BehaviourSpec[];
  /** `max_msg_fds` assumed for a peer that does not advertise it. */
  readonly defaultPeerMaxMsgFds: number;
  /** The evidence for each difference. */
  readonly evidence: readonly string[];
}

/** A JSON value type in the capabilities schema. */
export type CapabilityType = 'integer' | 'boolean' | 'object';

/** One key of the VERSION capabilities JSON. */
export interface CapabilitySpec {
  readonly name: string;
  readonly type: CapabilityType;
  readonly doc: string;
  readonly default?: number | boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly keys?: readonly CapabilitySpec[];
  /** Which implementations send or read it. */
  readonly origin?: Origin;
}

/**
 * One entry of the fixture catalogue: a message as exact bytes, commented by
 * field group, and the fields a decoder must produce from them.
 */
export interface FixtureSpec {
  /** Unique, kebab-case. */
  readonly name: string;
  readonly doc: string;
  /** Dialect of the sender; absent means the default dialect. */
  readonly dialect?: string;
  /** A message of the draft extension: decoded with the `drafts` option. */
  readonly drafts?: boolean;
  /** Number of file descriptors that travel with the message. */
  readonly fds: number;
  /** The bytes, one commented group per line: `[comment, hex]`. */
  readonly bytes: readonly (readonly [string, string])[];
  /**
   * The decoded message: `kind`, `cmd`, `msg_id`, `flags`, `error_no`, `body`.
   * u64 fields are bigint; byte tails are written as hex strings prefixed `hex:`.
   */
  readonly message: { readonly [key: string]: unknown };
  /** Where the bytes come from (real traffic, a reference table). */
  readonly source?: string;
}

/** A message a decoder must refuse: its bytes and the error it must raise. */
export interface InvalidFixtureSpec {
  /** Unique, kebab-case. */
  readonly name: string;
  readonly doc: string;
  /** Dialect of the sender; absent means the default dialect. */
  readonly dialect?: string;
  readonly fds: number;
  /** The bytes, one commented group per line: `[comment, hex]`. */
  readonly bytes: readonly (readonly [string, string])[];
  /** The error code, and the offset within the message it names. */
  readonly error: { readonly code: string; readonly offset: number };
}

/**
 * An edge case of the fuzz corpus: a message at a boundary (largest size,
 * zero counts, every flag combination, every errno) or deliberately broken,
 * as exact bytes. Unlike a fixture it names no decoded fields; `valid` says
 * whether a strict decoder takes it.
 */
export interface EdgeCaseSpec {
  /** The case part of its seed's name: `NN-<command>-<kind>-<name>.bin`; `invalid` in it when not valid. */
  readonly name: string;
  /** The command number and kind its seed is filed under. */
  readonly cmd: number;
  readonly kind: 'request' | 'reply' | 'error';
  readonly valid: boolean;
  /** File descriptors that travel with it; absent means none. */
  readonly fds?: number;
  readonly doc: string;
  /** The bytes, one commented group per line: `[comment, hex]`. */
  readonly bytes: readonly (readonly [string, string])[];
  /** Zero bytes that follow `bytes` (a large payload written out only by its length). */
  readonly zeros?: number;
}

/** One message of a conversation, in the order it was sent. */
export interface ConversationStepSpec {
  /** Who sent it: the client (`c2s`) or the server (`s2c`). */
  readonly dir: 'c2s' | 's2c';
  /** File descriptors that travelled with it; absent means none. */
  readonly nfds?: number;
  /** The connection it belongs to, when the capture holds several. */
  readonly conn?: number;
  /** The socket it travelled on, when the conversation uses a twin socket. */
  readonly socket?: 'main' | 'twin';
  /** What it is, for the reader. */
  readonly note: string;
  /** The message as exact bytes, in hex; it need not be a valid message. */
  readonly hex: string;
}

/**
 * A conversation: messages in order, with direction, fds and socket, and
 * the verdict of the conversation checker (`vfio-user check`) on it.
 */
export interface ConversationSpec {
  /** Unique, kebab-case; the name of the capture file written from it. */
  readonly name: string;
  readonly doc: string;
  /** The dialects the checker judges the two sides by; absent means the default dialect. */
  readonly dialects?: { readonly client?: string; readonly server?: string };
  readonly steps: readonly ConversationStepSpec[];
  /** Every violation the checker reports, as [message number from 1, error code]; empty for legal traffic. */
  readonly violations: readonly (readonly [number, string])[];
}

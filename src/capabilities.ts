/**
 * The VERSION capabilities JSON: parsing, emitting, defaults and negotiation.
 *
 * The VERSION body (vfio-user specification, "Version" command; QEMU
 * docs/devel/vfio-user.rst) is `major u16, minor u16`, optionally followed by
 * a UTF-8 JSON text ending in one NUL byte:
 * `{"capabilities": {"max_msg_fds": 8, "migration": {"pgsize": 4096}, ...}}`.
 * Every key is optional and describes what the sender can receive. The keys
 * and their types come from spec/capabilities.ts; keys not listed there are
 * kept, in order, in an `extra` object at their level.
 */
import { capabilities as capabilitySpec } from './spec.js';
import type { CapabilitySpec } from './spec.js';
import { encodeError, invalid, overLimit, VfioUserProtocolError } from './errors.js';
import { JsonKeyTable, parseJsonLocated, readJsonFast, type FastJsonReader, stringifyJson, type JsonObject, type JsonValue, type LocatedJson } from './json.js';
import type { Limits } from './options.js';
import { readVersionFast } from './version-json.js';

export type { Capabilities, IommufdCapability, MigrationCapability, TwinSocketCapability } from '../generated/ts/types.js';
import type { Capabilities } from '../generated/ts/types.js';

/** The whole VERSION JSON object. */
export interface VersionJson {
  /** Absent means every capability takes its default. */
  capabilities?: Capabilities;
  /** Top-level keys other than `capabilities`, in order. */
  extra?: JsonObject;
}

/** The VERSION JSON's root: one known key, `capabilities`. */
const ROOT: CapabilitySpec = { name: '', type: 'object', doc: 'The VERSION JSON object.', keys: [capabilitySpec] };

const EXTRA = 'extra';

/** Every key name of the capability tree, returned by the fast JSON path without decoding. */
const CAPABILITY_KEYS = new JsonKeyTable(
  (function* names(node: CapabilitySpec): Generator<string> {
    if (node.name !== '') yield node.name;
    for (const child of node.keys ?? []) yield* names(child);
  })(ROOT),
);

/**
 * The fast path of parseVersionJson: reads the text straight into the
 * result decodeObject() would build from parseJson's value, or bails out
 * (on anything the fast reader does not take, a duplicate key, or a value
 * that does not fit the spec) so that the full parser reports the error.
 * Key order matches: known keys never look like array indices, and `extra`
 * is a null-prototype object either way.
 */
function readObject(r: FastJsonReader, node: CapabilitySpec, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (r.open(depth)) return result;
  const children = childrenOf(node);
  let extra: JsonObject | undefined;
  do {
    const key = r.key();
    const child = children.get(key);
    if (child === undefined) {
      extra ??= Object.create(null) as JsonObject;
      if (extra[key] !== undefined) r.bail();
      extra[key] = r.value(depth);
    } else {
      if (result[key] !== undefined) r.bail();
      if (child.type === 'object') {
        result[key] = readObject(r, child, depth + 1);
      } else {
        const value = r.value(depth);
        if (!fits(child, value)) r.bail();
        result[key] = value;
      }
    }
  } while (!r.end());
  if (extra !== undefined) result[EXTRA] = extra;
  return result;
}

const childMaps = new WeakMap<CapabilitySpec, ReadonlyMap<string, CapabilitySpec>>();

function childrenOf(node: CapabilitySpec): ReadonlyMap<string, CapabilitySpec> {
  let map = childMaps.get(node);
  if (map === undefined) {
    const built = new Map<string, CapabilitySpec>();
    for (const child of node.keys ?? []) {
      if (child.name === EXTRA) throw new Error(`capability key name "${EXTRA}" is reserved`);
      built.set(child.name, child);
    }
    map = built;
    childMaps.set(node, map);
  }
  return map;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(node: CapabilitySpec): string {
  if (node.type === 'object') return 'an object';
  if (node.type === 'boolean') return 'a boolean';
  const min = node.minimum ?? Number.MIN_SAFE_INTEGER;
  const max = node.maximum ?? Number.MAX_SAFE_INTEGER;
  return `an integer in [${min}, ${max}]`;
}

/** Whether `value` has the JSON type and range `node` calls for (objects: only the type). */
function fits(node: CapabilitySpec, value: unknown): boolean {
  switch (node.type) {
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isSafeInteger(value) &&
        value >= (node.minimum ?? Number.MIN_SAFE_INTEGER) &&
        value <= (node.maximum ?? Number.MAX_SAFE_INTEGER)
      );
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isJsonObject(value);
  }
}

function reportedValue(value: unknown): { value?: number | bigint | string } {
  return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' ? { value } : {};
}

/**
 * Parses the JSON part of a VERSION body.
 *
 * @param bytes The body after `major` and `minor`: the JSON text and its
 *   terminating NUL.
 * @param baseOffset Offset of `bytes` within the message (20 for a VERSION
 *   message: 16 header bytes, then major and minor); added to error offsets.
 * @param limits `maxJsonBytes` (default 65536) bounds `bytes.length`, NUL
 *   included; `maxJsonDepth` (default 32) bounds the nesting.
 * @returns The typed capabilities; unknown keys at every level are kept in
 *   `extra` (only present when there is at least one).
 * @throws VfioUserLimitError `ERR_LIMIT` (`maxJsonBytes`, `maxJsonDepth`).
 * @throws VfioUserInvalidError `ERR_JSON_NUL` when the last byte is not NUL
 *   (offset of the last byte) or a NUL comes earlier (offset of that NUL);
 *   `ERR_JSON_UTF8`, `ERR_JSON_SYNTAX`, `ERR_JSON_DUPLICATE_KEY` from
 *   {@link parseJsonLocated}; `ERR_CAPS_TYPE` when the root is not an object
 *   (offset of the root, no `field`) or a known key has the wrong type or
 *   range (offset of the value, `details.field` its dotted path such as
 *   `capabilities.iommufd.supported`).
 */
export function parseVersionJson(
  bytes: Uint8Array,
  baseOffset: number,
  limits: Pick<Limits, 'maxJsonDepth' | 'maxJsonBytes'>,
): VersionJson {
  return parseVersion(bytes, baseOffset, limits, true);
}

/**
 * {@link parseVersionJson} without its fast path: every text goes through
 * the full parser ({@link parseJsonLocated}). Same results and errors,
 * slower; the reference the fast path is tested against.
 */
export function parseVersionJsonFull(
  bytes: Uint8Array,
  baseOffset: number,
  limits: Pick<Limits, 'maxJsonDepth' | 'maxJsonBytes'>,
): VersionJson {
  return parseVersion(bytes, baseOffset, limits, false);
}

function parseVersion(bytes: Uint8Array, baseOffset: number, limits: Pick<Limits, 'maxJsonDepth' | 'maxJsonBytes'>, fastPath: boolean): VersionJson {
  if (bytes.length > limits.maxJsonBytes) overLimit('maxJsonBytes', limits.maxJsonBytes, bytes.length, baseOffset);
  // The strict path reads text ending in its NUL without scanning for it first: a NUL inside makes it give up.
  if (fastPath && bytes[bytes.length - 1] === 0) {
    const strict = readVersionFast(bytes, bytes.length - 1, limits.maxJsonDepth);
    if (strict !== undefined) return strict;
  }
  const nul = bytes.indexOf(0);
  if (nul === -1) {
    invalid('ERR_JSON_NUL', 'VERSION JSON does not end in a NUL byte', baseOffset + Math.max(bytes.length - 1, 0));
  }
  if (nul !== bytes.length - 1) invalid('ERR_JSON_NUL', 'VERSION JSON has a NUL byte before its end', baseOffset + nul);
  const text = bytes.subarray(0, nul);
  // The fast path reads plain ASCII text straight into the result; text it does not take, or a value that does not
  // fit the spec, is read again by the full parser, which reports any error with its exact offset.
  if (fastPath) {
    const fast = readJsonFast(text, limits, CAPABILITY_KEYS, (r) => readObject(r, ROOT, 1));
    if (fast !== undefined) return fast as VersionJson;
  }
  const located = parseJsonLocated(text, baseOffset, limits);
  if (!isJsonObject(located.value)) invalid('ERR_CAPS_TYPE', 'VERSION JSON must be an object', located.offset);
  return decodeObject(ROOT, located.value, '', located) as VersionJson;
}

function notFitting(child: CapabilitySpec, value: JsonValue, field: string, offset: number): never {
  return invalid('ERR_CAPS_TYPE', `${field} must be ${describe(child)}`, offset, { field, ...reportedValue(value) });
}

function decodeObject(node: CapabilitySpec, object: JsonObject, path: string, located: LocatedJson): Record<string, unknown> {
  const children = childrenOf(node);
  const result: Record<string, unknown> = {};
  let extra: JsonObject | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key] as JsonValue;
    const child = children.get(key);
    if (child === undefined) {
      extra ??= Object.create(null) as JsonObject;
      extra[key] = value;
      continue;
    }
    if (!fits(child, value)) notFitting(child, value, join(path, key), located.offsetOf(object, key) ?? located.offset);
    result[key] = child.type === 'object' ? decodeObject(child, value as JsonObject, join(path, key), located) : value;
  }
  if (extra !== undefined) result[EXTRA] = extra;
  return result;
}

/**
 * Writes a VERSION JSON object as compact JSON text, without the NUL the
 * VERSION body ends in. Known keys come first in spec/capabilities.ts order,
 * then each level's `extra` keys in their order. `undefined` known keys are
 * left out; an empty `extra` writes nothing.
 *
 * `parseVersionJson(utf8(emitVersionJson(x)) + NUL)` deep-equals `x` when no
 * `extra` is empty and `extra` values are values `parseJson` returns.
 *
 * @throws VfioUserEncodeError `ERR_ENCODE_FIELD` when a known key has the
 *   wrong type or range (`details.field` its dotted path), an object has a
 *   key that is neither known nor `extra`, an `extra` repeats a known key, or
 *   an `extra` value is not JSON.
 */
export function emitVersionJson(json: VersionJson): string {
  if (!isJsonObject(json)) encodeError('ERR_ENCODE_FIELD', 'VERSION JSON must be an object');
  return stringifyJson(encodeObject(ROOT, json as Record<string, unknown>, ''));
}

function encodeObject(node: CapabilitySpec, typed: Record<string, unknown>, path: string): JsonObject {
  const children = childrenOf(node);
  for (const key of Object.keys(typed)) {
    if (key !== EXTRA && !children.has(key)) {
      encodeError('ERR_ENCODE_FIELD', `${join(path, key)} is not a known capability; put it in extra`, { field: join(path, key) });
    }
  }
  const out = Object.create(null) as JsonObject;
  for (const child of children.values()) {
    const value = typed[child.name];
    if (value === undefined) continue;
    const field = join(path, child.name);
    if (!fits(child, value)) {
      encodeError('ERR_ENCODE_FIELD', `${field} must be ${describe(child)}`, { field, ...reportedValue(value) });
    }
    out[child.name] = child.type === 'object' ? encodeObject(child, value as Record<string, unknown>, field) : (value as JsonValue);
  }
  const extra = typed[EXTRA];
  if (extra !== undefined) {
    const field = join(path, EXTRA);
    if (!isJsonObject(extra)) encodeError('ERR_ENCODE_FIELD', `${field} must be an object`, { field });
    for (const key of Object.keys(extra)) {
      if (children.has(key)) encodeError('ERR_ENCODE_FIELD', `${field} repeats the known key ${key}`, { field: join(path, key) });
      out[key] = extra[key] as JsonValue;
    }
  }
  return out;
}

function specNode(...names: string[]): CapabilitySpec {
  let node = capabilitySpec;
  for (const name of names) {
    const child = childrenOf(node).get(name);
    if (child === undefined) throw new Error(`spec/capabilities.ts has no key ${names.join('.')}`);
    node = child;
  }
  return node;
}

function integerDefault(...names: string[]): number {
  const value = specNode(...names).default;
  if (typeof value !== 'number') throw new Error(`spec/capabilities.ts gives ${names.join('.')} no integer default`);
  return value;
}

function booleanDefault(...names: string[]): boolean {
  const value = specNode(...names).default;
  if (typeof value !== 'boolean') throw new Error(`spec/capabilities.ts gives ${names.join('.')} no boolean default`);
  return value;
}

const DEFAULT_MAX_MSG_FDS = integerDefault('max_msg_fds');
const DEFAULT_MAX_DATA_XFER_SIZE = integerDefault('max_data_xfer_size');
const DEFAULT_MAX_DMA_MAPS = integerDefault('max_dma_maps');
const DEFAULT_PGSIZES = integerDefault('pgsizes');
const DEFAULT_TWIN_SOCKET = booleanDefault('twin_socket', 'supported');
const DEFAULT_WRITE_MULTIPLE = booleanDefault('write_multiple');
const DEFAULT_IOMMUFD = booleanDefault('iommufd', 'supported');
// Checked at load so that a renamed spec key fails loudly.
specNode('migration', 'pgsize');
specNode('twin_socket', 'fd_index');

/** Every capability of one side with its default filled in; see {@link effectiveCapabilities}. */
export interface EffectiveCapabilities {
  /** Default 1. */
  max_msg_fds: number;
  /** Default 1048576. */
  max_data_xfer_size: number;
  /** Default 65535. */
  max_dma_maps: number;
  /** Default 4096. */
  pgsizes: number;
  /** `migration.pgsize`; null when absent (it has no default). */
  migration_pgsize: number | null;
  /** `twin_socket.supported`; default false. */
  twin_socket: boolean;
  /** Default false. */
  write_multiple: boolean;
  /** `iommufd.supported`; default false. */
  iommufd: boolean;
}

/**
 * One side's capabilities with the defaults of spec/capabilities.ts (the
 * vfio-user specification, "Version" command) filled in: max_msg_fds 1,
 * max_data_xfer_size 1048576, max_dma_maps 65535, pgsizes 4096,
 * twin_socket/write_multiple/iommufd false, migration_pgsize null.
 *
 * @param c The `capabilities` object, or `undefined` when none was sent.
 */
export function effectiveCapabilities(c: Capabilities | undefined): EffectiveCapabilities {
  return {
    max_msg_fds: c?.max_msg_fds ?? DEFAULT_MAX_MSG_FDS,
    max_data_xfer_size: c?.max_data_xfer_size ?? DEFAULT_MAX_DATA_XFER_SIZE,
    max_dma_maps: c?.max_dma_maps ?? DEFAULT_MAX_DMA_MAPS,
    pgsizes: c?.pgsizes ?? DEFAULT_PGSIZES,
    migration_pgsize: c?.migration?.pgsize ?? null,
    twin_socket: c?.twin_socket?.supported ?? DEFAULT_TWIN_SOCKET,
    write_multiple: c?.write_multiple ?? DEFAULT_WRITE_MULTIPLE,
    iommufd: c?.iommufd?.supported ?? DEFAULT_IOMMUFD,
  };
}

/** Options of {@link negotiate}. */
export interface NegotiateOptions {
  /**
   * max_msg_fds assumed for a client that does not advertise it. Default 1
   * (the specification's default); the QEMU client assumes 8.
   */
  readonly clientDefaultMaxMsgFds?: number;
  /** max_msg_fds assumed for a server that does not advertise it. Default 1. */
  readonly serverDefaultMaxMsgFds?: number;
  /**
   * Number of file descriptors that came with the server's VERSION reply.
   * When given, a twin_socket fd_index must be below it.
   */
  readonly serverFds?: number;
}

/** The limits on the messages one side may send. */
export interface DirectionLimits {
  /** Most file descriptors on one message. */
  readonly maxMsgFds: number;
  /** Largest data count of one transfer. */
  readonly maxDataXferSize: number;
}

/** What a session may do once VERSION is done; see {@link negotiate}. */
export interface Negotiated {
  /** Limits on what the client sends: the server's advertised values, or defaults. */
  readonly toServer: DirectionLimits;
  /** Limits on what the server sends: the client's advertised values, or defaults. */
  readonly toClient: DirectionLimits;
  /** The granted twin socket, or null when there is none. */
  readonly twinSocket: { readonly fdIndex: number } | null;
  /** The dirty-bitmap page size: the server's migration.pgsize, else the client's, else null. */
  readonly migrationPgsize: number | null;
  /** The iommufd extension is in use: both sides sent iommufd.supported true. */
  readonly iommufd: boolean;
  /**
   * The draft features in use: each only when iommufd is on and both sides
   * sent the feature's key true.
   */
  readonly iommufdDrafts: { readonly fixed_iova: boolean; readonly iova_ranges: boolean; readonly dirty_tracking: boolean };
  /** The client may send REGION_WRITE_MULTI: the server sent write_multiple true. */
  readonly writeMultiple: boolean;
  /** Most DMA windows the client may map: the server's max_dma_maps or 65535. */
  readonly maxDmaMaps: number;
  /** Page sizes allowed for DMA maps: the server's pgsizes or 4096. */
  readonly pgsizes: number;
}

/**
 * The numeric capabilities a side may not set to 0: a transfer size of 0
 * makes every transfer an endless loop of empty ones, 0 page sizes or
 * windows leave nothing usable, and a 0 page size divides by zero.
 * max_msg_fds 0 is allowed: it means the side accepts no fds.
 */
const NONZERO: readonly (readonly [string, (c: Capabilities) => number | undefined])[] = [
  ['max_data_xfer_size', (c) => c.max_data_xfer_size],
  ['max_dma_maps', (c) => c.max_dma_maps],
  ['pgsizes', (c) => c.pgsizes],
  ['migration.pgsize', (c) => c.migration?.pgsize],
  ['migration.max_bitmap_size', (c) => c.migration?.max_bitmap_size],
];

function refuseZeros(c: Capabilities | undefined, side: 'client' | 'server'): void {
  if (c === undefined) return;
  for (const [field, get] of NONZERO) {
    if (get(c) === 0) invalid('ERR_CAPS_TYPE', `the ${side}'s ${field} is 0, which leaves the session unusable`, 0, { field, value: 0 });
  }
}

/**
 * Works out what a session may do from the client's VERSION proposal and the
 * server's reply (vfio-user specification, "Version" command). Each side's
 * values limit what the other side sends it.
 *
 * - Twin socket: granted only when the client sent `twin_socket.supported:
 *   true` and the server replied `supported: true` with an `fd_index`.
 * - iommufd: only when both sent `iommufd.supported: true`; a reply without it
 *   means the legacy (DMA_MAP) mode.
 *
 * @param client The client's VERSION JSON; null when it sent none.
 * @param server The server's VERSION JSON; null when it sent none.
 * @throws VfioUserInvalidError `ERR_CAPS_TYPE` when either side sets
 *   max_data_xfer_size, max_dma_maps, pgsizes, migration.pgsize or
 *   migration.max_bitmap_size to 0.
 * @throws VfioUserProtocolError `ERR_TWIN_SOCKET` (offset 0) when the server
 *   grants a twin socket the client did not ask for, grants one without
 *   fd_index, or names an fd_index not below `options.serverFds`.
 */
export function negotiate(client: VersionJson | null, server: VersionJson | null, options: NegotiateOptions = {}): Negotiated {
  const c = client?.capabilities;
  const s = server?.capabilities;
  refuseZeros(c, 'client');
  refuseZeros(s, 'server');
  const clientCaps = effectiveCapabilities(c);
  const serverCaps = effectiveCapabilities(s);
  const iommufd = c?.iommufd?.supported === true && s?.iommufd?.supported === true;
  return {
    toServer: {
      maxMsgFds: s?.max_msg_fds ?? options.serverDefaultMaxMsgFds ?? DEFAULT_MAX_MSG_FDS,
      maxDataXferSize: serverCaps.max_data_xfer_size,
    },
    toClient: {
      maxMsgFds: c?.max_msg_fds ?? options.clientDefaultMaxMsgFds ?? DEFAULT_MAX_MSG_FDS,
      maxDataXferSize: clientCaps.max_data_xfer_size,
    },
    twinSocket: negotiateTwinSocket(c, s, options.serverFds),
    migrationPgsize: serverCaps.migration_pgsize ?? clientCaps.migration_pgsize,
    iommufd,
    iommufdDrafts: {
      fixed_iova: iommufd && c?.iommufd?.fixed_iova === true && s?.iommufd?.fixed_iova === true,
      iova_ranges: iommufd && c?.iommufd?.iova_ranges === true && s?.iommufd?.iova_ranges === true,
      dirty_tracking: iommufd && c?.iommufd?.dirty_tracking === true && s?.iommufd?.dirty_tracking === true,
    },
    writeMultiple: s?.write_multiple === true,
    maxDmaMaps: serverCaps.max_dma_maps,
    pgsizes: serverCaps.pgsizes,
  };
}

function negotiateTwinSocket(c: Capabilities | undefined, s: Capabilities | undefined, serverFds: number | undefined): { fdIndex: number } | null {
  if (s?.twin_socket?.supported !== true) return null;
  const field = 'capabilities.twin_socket.fd_index';
  if (c?.twin_socket?.supported !== true) {
    throw new VfioUserProtocolError('ERR_TWIN_SOCKET', 'server granted a twin socket the client did not ask for', 0, {
      field: 'capabilities.twin_socket.supported',
    });
  }
  const fdIndex = s.twin_socket.fd_index;
  if (fdIndex === undefined) {
    throw new VfioUserProtocolError('ERR_TWIN_SOCKET', 'server granted a twin socket without fd_index', 0, { field });
  }
  if (serverFds !== undefined && fdIndex >= serverFds) {
    throw new VfioUserProtocolError('ERR_TWIN_SOCKET', `twin socket fd_index ${fdIndex} names no received fd`, 0, {
      field,
      value: fdIndex,
      available: serverFds,
    });
  }
  return { fdIndex };
}

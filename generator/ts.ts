/**
 * Generates generated/ts/: the TS types of every struct and message, the
 * DataView readers and writers of every struct, one body decoder per message
 * kind and dialect, and per kind a switch on the command number that sizes
 * and encodes every body, from spec/.
 */
import { capabilities } from '../spec/capabilities.js';
import { commands } from '../spec/commands.js';
import { constSets } from '../spec/constants.js';
import { dialects } from '../spec/dialects.js';
import { structs } from '../spec/structs.js';
import { readFileSync } from 'node:fs';
import type { BodySpec, CapabilitySpec, CheckSpec, CommandSpec, FieldSpec } from '../spec/types.js';
import { banner } from './banner.js';
import { structLayout, type FieldLayout, type StructLayout } from './layout.js';
import { limitCheck, tailDecode, tailEncode, tailHelpers, tailMembers, tailSize, tailSizeStmts, tailTypes } from './tails.js';

const GEN = 'generator/ts.ts';

/** Generated files, by path relative to the package root. */
export function generateTs(): Map<string, string> {
  return new Map([
    ['generated/ts/constants.ts', constantsFile()],
    ['generated/ts/structs.ts', structsFile()],
    ['generated/ts/messages.ts', messagesFile()],
    ['generated/ts/capabilities.ts', capabilitiesFile()],
  ]);
}

// ---------------------------------------------------------------------------
// capabilities.ts

/**
 * The named stores of the VERSION JSON's strict reader (src/version-json.ts):
 * one function that stores a value under the name of a key of the
 * capability tree, the key given by its number (its place in
 * CAPABILITY_KEYS). A store by a name written in the code is a monomorphic
 * store; `o[name] = x` with the name in a variable is a megamorphic one,
 * which cost a fifth of the read. One function for every node keeps the
 * reader's call site monomorphic, so that V8 inlines it.
 */
function capabilitiesFile(): string {
  const paths: string[] = [];
  const visit = (path: string, keys: readonly CapabilitySpec[]): void => {
    for (const k of keys) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k.name)) throw new Error(`spec: capability key ${k.name} is not a plain name`);
      const full = path === '' ? k.name : `${path}.${k.name}`;
      paths.push(full);
      if (k.type === 'object') visit(full, k.keys ?? []);
    }
  };
  visit('', [capabilities]);
  const out: string[] = [banner(GEN, '//'), ''];
  out.push('/** Every key of the VERSION JSON by its path from the root (`capabilities.migration.pgsize`), numbered by its place here. */');
  out.push('export const CAPABILITY_KEYS: readonly string[] = [', ...paths.map((p) => `  '${p}',`), '];', '');
  out.push('/** Stores `x` in `o` under the name of key number `id` of CAPABILITY_KEYS. */');
  out.push('export function setCapability(o: Record<string, unknown>, id: number, x: unknown): void {', '  switch (id) {');
  paths.forEach((p, i) => out.push(`    case ${i}:`, `      o.${p.slice(p.lastIndexOf('.') + 1)} = x;`, '      return;'));
  out.push('  }', '}', '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------
// constants.ts

function constantsFile(): string {
  const out: string[] = [banner(GEN, '//'), ''];
  for (const set of constSets) {
    out.push(`// ${set.name} (${set.kind}): ${set.doc}`);
    for (const c of set.values) {
      out.push(`/** ${c.doc} */`);
      out.push(`export const ${c.name} = ${hex(c.value, set.kind)};`);
    }
    out.push('');
  }
  out.push('/** Every flag set and enumeration: name, kind and `[C name, value]` pairs. */');
  out.push('export const CONST_SETS: Readonly<Record<string, { readonly kind: \'flags\' | \'enum\'; readonly values: readonly (readonly [string, number])[] }>> = {');
  for (const set of constSets) {
    out.push(`  ${set.name}: { kind: '${set.kind}', values: [${set.values.map((c) => `['${c.name}', ${hex(c.value, set.kind)}]`).join(', ')}] },`);
  }
  out.push('};');
  out.push('');
  out.push('/** Command names by number. */');
  out.push('export const COMMAND_NAMES: Readonly<Record<number, string>> = {');
  for (const c of commands) out.push(`  ${c.cmd}: '${c.name}',`);
  out.push('};');
  out.push('');
  out.push('/** Command numbers of this package\'s draft extension: unknown unless the `drafts` option is set. */');
  out.push(`export const DRAFT_COMMANDS: ReadonlySet<number> = new Set([${draftCommands().join(', ')}]);`);
  out.push('');
  out.push('/** The command numbers this package knows. */');
  out.push(`export type CommandNumber = ${commands.map((c) => c.cmd).join(' | ')};`);
  out.push('');
  out.push(...factsLines());
  return out.join('\n');
}

/** The header layout, capability defaults, per-dialect defaults and the command table. */
function factsLines(): string[] {
  const header = structLayout('vfio_user_header');
  const out: string[] = [];
  out.push('/** Byte offsets of the vfio_user_header fields. */');
  out.push(`export const VFIO_USER_HEADER_OFFSET = { ${header.fields.map((f) => `${f.name}: ${f.offset}`).join(', ')} } as const;`);
  out.push('/** Bytes of vfio_user_header, in front of every message. */');
  out.push(`export const VFIO_USER_HEADER_SIZE = ${header.size};`);
  out.push('');
  const scalars = (capabilities.keys ?? []).filter((k) => k.default !== undefined);
  out.push('/** The value of each top-level VERSION capability a side does not advertise. */');
  out.push(`export const CAPABILITY_DEFAULTS = { ${scalars.map((k) => `${k.name}: ${String(k.default)}`).join(', ')} } as const;`);
  out.push('');
  out.push('/** The max_msg_fds each dialect assumes for a peer that does not advertise it. */');
  out.push(`export const DEFAULT_PEER_MAX_MSG_FDS = { ${dialects.map((d) => `${propName(d.name)}: ${d.defaultPeerMaxMsgFds}`).join(', ')} } as const;`);
  out.push('');
  out.push('/** How many fds travel with a message (the doc-free form of spec/types.ts FdRule). */');
  out.push("export type FdRuleKind = { readonly kind: 'none' } | { readonly kind: 'exactly'; readonly count: number } | { readonly kind: 'optional' } | { readonly kind: 'per_vector' } | { readonly kind: 'indexed' };");
  out.push('');
  out.push('/** What the runtime needs to know of a command before its body: who sends it, its fd rules, and the capability that gates it. */');
  out.push('export interface CommandInfo {');
  out.push('  readonly name: string;');
  out.push("  readonly sender: 'client' | 'server';");
  out.push("  readonly status: 'base' | 'legacy' | 'iommufd' | 'draft';");
  out.push('  /** The capability path both sides must advertise first (`iommufd.supported`), or null. */');
  out.push('  readonly negotiated: string | null;');
  out.push('  readonly fds: { readonly request: FdRuleKind; readonly reply: FdRuleKind };');
  out.push('  /** Request flag bits that need a capability path both sides advertised (`VFIO_USER_IOMMUFD_MAP_FIXED_IOVA`: `iommufd.fixed_iova`). */');
  out.push('  readonly negotiatedBits: readonly { readonly name: string; readonly bit: number; readonly path: string }[];');
  out.push('}');
  out.push('');
  out.push('/** Every command\'s {@link CommandInfo}, by number. */');
  out.push('export const COMMANDS: { readonly [C in CommandNumber]: CommandInfo } = {');
  for (const c of commands) {
    const neg = c.negotiated === undefined ? 'null' : `'${c.negotiated}'`;
    out.push(`  ${c.cmd}: {`);
    out.push(`    name: '${c.name}', sender: '${c.sender}', status: '${c.status}', negotiated: ${neg},`);
    out.push(`    fds: { request: ${fdRule(c.fds.request)}, reply: ${fdRule(c.fds.reply)} },`);
    out.push(`    negotiatedBits: [${negotiatedBits(c).join(', ')}],`);
    out.push('  },');
  }
  out.push('};');
  out.push('');
  return out;
}

/** The request's flag bits that a capability gates, from the flag sets its known-bits checks name. */
function negotiatedBits(c: CommandSpec): string[] {
  if (c.request.kind !== 'struct') return [];
  return (c.request.checks ?? []).flatMap((check) => {
    if (check.kind !== 'known-bits') return [];
    const set = constSets.find((x) => x.name === check.set);
    return (set?.values ?? []).flatMap((v) => (v.negotiated === undefined ? [] : [`{ name: '${v.name}', bit: ${hex(v.value, 'flags')}, path: '${v.negotiated}' }`]));
  });
}

function propName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name}'`;
}

function fdRule(r: CommandSpec['fds']['request']): string {
  return r.kind === 'exactly' ? `{ kind: 'exactly', count: ${r.count} }` : `{ kind: '${r.kind}' }`;
}

function hex(value: number, kind: 'flags' | 'enum'): string {
  return kind === 'flags' ? `0x${value.toString(16)}` : String(value);
}

// ---------------------------------------------------------------------------
// structs.ts

function tsType(f: FieldSpec): string {
  switch (f.type) {
    case 'u64':
      return 'bigint';
    case 'bytes':
      return 'Uint8Array';
    case 'struct':
      return f.struct ?? 'never';
    default:
      return 'number';
  }
}

function off(base: string, k: number): string {
  return k === 0 ? base : `${base} + ${k}`;
}

export function readExpr(f: FieldLayout, base: string): string {
  const o = off(base, f.offset);
  switch (f.spec.type) {
    case 'u8':
      return `v.getUint8(${o})`;
    case 'u16':
      return `v.getUint16(${o}, true)`;
    case 'u32':
      return `v.getUint32(${o}, true)`;
    case 's32':
      return `v.getInt32(${o}, true)`;
    case 'u64':
      return `v.getBigUint64(${o}, true)`;
    case 'bytes':
      return `view(v, ${o}, ${f.size})`;
    case 'struct':
      return readStructExpr(f.spec.struct!, o);
  }
}

/**
 * The object a struct read at `base` gives, its fields read in place (the call of `read_<struct>` from a rarely
 * taken case or a chain's decoder is not always inlined); a bytes field is a view, a nested struct read in place.
 */
export function readStructExpr(struct: string, base: string): string {
  const l = structLayout(struct);
  return `{ ${l.fields.map((f) => `${f.name}: ${readExpr(f, base)}`).join(', ')} }`;
}

/** Statements that check and write one field whose value is the expression `x`. */
export function writeStmts(struct: string, f: FieldLayout, x: string, base: string, indent: string): string[] {
  const o = off(base, f.offset);
  const name = `'${struct}.${f.name}'`;
  switch (f.spec.type) {
    case 'u8':
      return [`${indent}if ((${x} & 0xff) !== ${x}) badField(${name}, ${x});`, `${indent}v.setUint8(${o}, ${x});`];
    case 'u16':
      return [`${indent}if ((${x} & 0xffff) !== ${x}) badField(${name}, ${x});`, `${indent}v.setUint16(${o}, ${x}, true);`];
    case 'u32':
      return [`${indent}if (${x} >>> 0 !== ${x}) badField(${name}, ${x});`, `${indent}v.setUint32(${o}, ${x}, true);`];
    case 's32':
      return [`${indent}if ((${x} | 0) !== ${x}) badField(${name}, ${x});`, `${indent}v.setInt32(${o}, ${x}, true);`];
    case 'u64':
      // Written out like the narrower checks, not as a call to wire.ts's isU64: V8 does not inline calls
      // from the rarely taken cases of the encoder switches, and a call per u64 field is measurable.
      return [`${indent}if (typeof ${x} !== 'bigint' || ${x} < 0n || ${x} > 0xffffffffffffffffn) badField(${name}, ${x});`, `${indent}v.setBigUint64(${o}, ${x}, true);`];
    case 'bytes':
      return [
        `${indent}if (!(${x} instanceof Uint8Array)) notBytes(${name});`,
        `${indent}if (${x}.length !== ${f.size}) badField(${name}, ${x});`,
        `${indent}b.set(${x}, ${o});`,
      ];
    case 'struct':
      return [`${indent}write_${f.spec.struct}(v, b, ${o}, ${x});`];
  }
}

/**
 * Statements that check and write the struct `x` at `base` in place, as its
 * write_ function does (an object, then each field in order; a nested struct
 * likewise), for the encoder switches: V8 does not inline calls from their
 * rarely taken cases. Locals are named from `prefix`. A struct with padding
 * after its fields is written by its function.
 */
export function inlineWriteStmts(struct: string, x: string, base: string, indent: string, prefix: string): string[] {
  const l = structLayout(struct);
  if (l.fieldsEnd !== l.size) return [`${indent}write_${struct}(v, b, ${base}, ${x});`];
  const out = [`${indent}if (typeof ${x} !== 'object' || ${x} === null) badShape('${struct} must be an object');`];
  for (const f of l.fields) {
    const y = `${prefix}${f.name}`;
    out.push(`${indent}const ${y} = ${x}.${f.name};`);
    out.push(...(f.spec.type === 'struct' && f.spec.struct !== undefined ? inlineWriteStmts(f.spec.struct, y, off(base, f.offset), indent, `${y}_`) : writeStmts(struct, f, y, base, indent)));
  }
  return out;
}

function structsFile(): string {
  const out: string[] = [banner(GEN, '//'), '', "import { badField, badShape, notBytes, view } from '../../src/wire.js';", ''];
  for (const s of structs) {
    const l = structLayout(s.name);
    out.push(`/** ${s.doc} (${l.fieldsEnd === l.size ? `${l.size} bytes` : `fields ${l.fieldsEnd} bytes, sizeof ${l.size}`}; ${s.origin}) */`);
    out.push(`export interface ${s.name} {`);
    for (const f of l.fields) {
      out.push(`  /** @${f.offset} ${f.spec.type}${f.spec.type === 'bytes' ? `[${f.size}]` : ''}${f.spec.dir !== undefined && f.spec.dir !== 'in' ? ` (${f.spec.dir})` : ''}: ${f.spec.doc} */`);
      out.push(`  ${f.name}: ${tsType(f.spec)};`);
    }
    out.push('}');
    out.push('');
    out.push(`/** Bytes ${s.name} occupies on the wire before any flexible member. */`);
    out.push(`export const ${s.name}_SIZE = ${l.fieldsEnd};`);
    out.push('');
    out.push(`/** Reads ${s.name} at absolute offset \`o\`; the caller has checked that ${l.fieldsEnd} bytes are there. */`);
    out.push(`export function read_${s.name}(v: DataView, o: number): ${s.name} {`);
    out.push('  return {');
    for (const f of l.fields) out.push(`    ${f.name}: ${readExpr(f, 'o')},`);
    out.push('  };');
    out.push('}');
    out.push('');
    out.push(`/** Writes ${s.name} at absolute offset \`o\`, checking every field fits its wire type; returns ${l.fieldsEnd}. */`);
    out.push(`export function write_${s.name}(v: DataView, b: Uint8Array, o: number, s: ${s.name}): number {`);
    out.push(`  if (typeof s !== 'object' || s === null) badShape('${s.name} must be an object');`);
    for (const f of l.fields) {
      out.push(`  const ${local(f.name)} = s.${f.name};`);
      out.push(...writeStmts(s.name, f, local(f.name), 'o', '  '));
    }
    out.push(`  return ${l.fieldsEnd};`);
    out.push('}');
    out.push('');
  }
  return out.join('\n');
}

function local(name: string): string {
  return `f_${name.replace(/^_+/, '')}`;
}

// ---------------------------------------------------------------------------
// messages.ts

function pascal(cmdName: string): string {
  return cmdName
    .replace(/^VFIO_USER_/, '')
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

type Kind = 'command' | 'reply';

interface BodyVariant {
  readonly dialect: string;
  readonly body: BodySpec;
  /** The variant's name in generator errors, e.g. `c10_command` or `c11_reply_qemu`. */
  readonly fn: string;
  /** TS type name of the body. */
  readonly type: string;
}

/** The body variants of one command and kind: the default, then each dialect override. */
function variants(c: CommandSpec, kind: Kind): BodyVariant[] {
  const base = pascal(c.name) + (kind === 'command' ? 'Command' : 'Reply') + 'Body';
  const list: BodyVariant[] = [{ dialect: 'default', body: kind === 'command' ? c.request : c.reply, fn: `c${c.cmd}_${kind}`, type: base }];
  for (const d of dialects) {
    for (const o of d.overrides) {
      if (o.cmd === c.cmd && (o.message === 'request') === (kind === 'command')) {
        list.push({ dialect: d.name, body: o.body, fn: `c${c.cmd}_${kind}_${d.name.replace(/[^a-z0-9]/g, '_')}`, type: `${base}_${d.name.replace(/[^a-z0-9]/g, '_')}` });
      }
    }
  }
  return list;
}

function bodyTypeDecl(v: BodyVariant): string[] {
  const b = v.body;
  if (b.kind === 'empty') return [`export type ${v.type} = null;`];
  const nul = b.emptyAllowed === true ? ' | null' : '';
  if (b.tail === undefined) return [`export type ${v.type} = ${b.struct}${nul};`];
  if (nul === '') return [`export interface ${v.type} extends ${b.struct} {`, ...tailMembers(b.tail), '}'];
  return [`export interface ${v.type}_present extends ${b.struct} {`, ...tailMembers(b.tail), '}', `export type ${v.type} = ${v.type}_present | null;`];
}

// Body decoders ---------------------------------------------------------------

function checkStmts(cmd: number, struct: string, checks: readonly CheckSpec[], l: StructLayout): string[] {
  const out: string[] = [];
  const fieldOffset = (name: string): number => {
    const f = l.fields.find((x) => x.name === name);
    if (f === undefined) throw new Error(`spec: check on unknown field ${struct}.${name}`);
    return f.offset;
  };
  for (const c of checks) {
    switch (c.kind) {
      case 'known-bits': {
        const set = constSets.find((s) => s.name === c.set);
        if (set === undefined) throw new Error(`spec: unknown flag set ${c.set}`);
        const all = set.values.reduce((m, x) => m | x.value, 0) >>> 0;
        const base = set.values.filter((x) => x.origin !== 'draft').reduce((m, x) => m | x.value, 0) >>> 0;
        const mask = all === base ? `0x${all.toString(16)}` : `(opt.drafts ? 0x${all.toString(16)} : 0x${base.toString(16)})`;
        out.push(`  if ((${local(c.field)} & ~${mask}) !== 0) badFlags(${cmd}, '${struct}.${c.field}', ${local(c.field)}, o + ${fieldOffset(c.field)} - m0, 'unknown bits');`);
        break;
      }
      case 'one-of': {
        const all = c.masks.reduce((m, x) => m | x, 0);
        out.push(`  if ((${local(c.field)} & ~0x${all.toString(16)}) !== 0${c.masks.map((m) => ` || !${oneBitExpr(`(${local(c.field)} & 0x${m.toString(16)})`)}`).join('')}) badFlags(${cmd}, '${struct}.${c.field}', ${local(c.field)}, o + ${fieldOffset(c.field)} - m0, 'needs exactly one bit of each of ${c.masks.map((m) => `0x${m.toString(16)}`).join(', ')}');`);
        break;
      }
      case 'some-of':
        out.push(`  if ((${local(c.field)} & 0x${c.mask.toString(16)}) === 0) badFlags(${cmd}, '${struct}.${c.field}', ${local(c.field)}, o + ${fieldOffset(c.field)} - m0, 'needs a bit of 0x${c.mask.toString(16)}');`);
        break;
      case 'allowed':
        out.push(`  if (${c.values.map((x) => `${local(c.field)} !== ${x}`).join(' && ')}) badFlags(${cmd}, '${struct}.${c.field}', ${local(c.field)}, o + ${fieldOffset(c.field)} - m0, 'allowed: ${c.values.join(', ')}');`);
        break;
      case 'zero':
        out.push(`  if (${local(c.field)} !== 0) badFlags(${cmd}, '${struct}.${c.field}', ${local(c.field)}, o + ${fieldOffset(c.field)} - m0, 'must be 0');`);
        break;
      case 'not-all':
        out.push(`  if ((${local(c.field)} & 0x${c.bits.toString(16)}) === 0x${c.bits.toString(16)}) badFlags(${cmd}, '${struct}.${c.field}', ${local(c.field)}, o + ${fieldOffset(c.field)} - m0, 'bits 0x${c.bits.toString(16)} exclude each other');`);
        break;
      case 'argsz-covers':
        out.push(`  if (${local('argsz')} < n) badArgsz(${cmd}, '${struct}.argsz', ${local('argsz')}, n, o - m0);`);
        break;
      case 'limit':
        out.push(`  ${limitCheck(c.limit, local(c.field), `o + ${fieldOffset(c.field)} - m0`, cmd)}`);
        break;
    }
  }
  return out;
}

function lengthFieldLayout(l: StructLayout, field: string): FieldLayout {
  const f = l.fields.find((x) => x.name === field);
  if (f === undefined) throw new Error(`spec: no length field ${l.name}.${field}`);
  return f;
}

/** Whether the int32 expression `x` (free of side effects) has exactly one bit set, tested inline. */
function oneBitExpr(x: string): string {
  return `(${x} !== 0 && (${x} & (${x} - 1)) === 0)`;
}

/**
 * The statements that decode the body of `v` (a command's or a reply's, of
 * one dialect) at `o`, `n` bytes, the message at `m0`, each ending in
 * `return <body>;` (caseStmts places them in the decoder's case).
 */
function decodeStmts(cmd: number, v: BodyVariant): string[] {
  const b = v.body;
  if (b.kind === 'empty') {
    return [`  if (n !== 0) emptyBody(${cmd}, n, o - m0);`, '  return null;'];
  }
  const l = structLayout(b.struct);
  const out: string[] = [];
  // C tail padding written after the tail (QEMU's sizeof(VFIOUserDMARW) + count).
  const P = b.padded === true ? l.size - l.fieldsEnd : 0;
  if (b.emptyAllowed === true) out.push('  if (n === 0) return null;');
  out.push(`  if (n < ${l.fieldsEnd + (b.tail === undefined ? P : 0)}) bodyShort(${cmd}, ${l.fieldsEnd + (b.tail === undefined ? P : 0)}, n, o - m0);`);
  for (const f of l.fields) out.push(`  const ${local(f.name)} = ${readExpr(f, 'o')};`);
  out.push(...checkStmts(cmd, b.struct, b.checks ?? [], l));
  const fields = l.fields.map((f) => `${f.name}: ${local(f.name)}`);
  const t = b.tail;
  const S = l.fieldsEnd;
  if (t === undefined) {
    out.push(`  if (n !== ${S + P}) bodyLong(${cmd}, ${S + P}, n, o + ${S + P} - m0);`);
    if (P > 0) out.push(`  zeroPad(v, o + ${S}, ${P}, ${cmd}, o + ${S} - m0);`);
    out.push(`  return { ${fields.join(', ')} };`);
    return out;
  }
  const { stmts, members } = tailDecode({ cmd, struct: b.struct, l, P }, t);
  out.push(...stmts, `  return { ${[...fields, ...members].join(', ')} };`);
  return out;
}

// Body encoders ---------------------------------------------------------------

/** Statements that check the shape of the body `body` and return its size in bytes. */
function lengthStmts(v: BodyVariant): string[] {
  const b = v.body;
  if (b.kind === 'empty') return [`if (body !== null) badShape('${v.type} must be null');`, 'return 0;'];
  const l = structLayout(b.struct);
  const out = [`const s = body as ${v.type};`];
  if (b.emptyAllowed === true) out.push('if (s === null) return 0;');
  out.push(`if (typeof s !== 'object' || s === null) badShape('${v.type} must be an object');`);
  const t = b.tail;
  const end = l.fieldsEnd + (b.padded === true ? l.size - l.fieldsEnd : 0);
  const sized = t === undefined ? null : tailSizeStmts(t);
  if (sized !== null) {
    out.push(...sized.stmts, `return ${end} + ${sized.size};`);
    return out;
  }
  out.push(t === undefined ? `return ${end};` : `return ${end} + ${tailSize({ cmd: 0, struct: b.struct, l, P: end - l.fieldsEnd }, t)};`);
  return out;
}

/** How a body's statements end: with its size (an expression), or when it does not fit in `room`. */
interface BodyExits {
  readonly done: (size: string) => string;
  readonly noRoom: string;
}

/**
 * One pass over a body: its shape and size (lengthStmts), the room check,
 * then its fields checked and written (encodeStmts), the bytes written
 * checked against the size.
 */
function fusedStmts(v: BodyVariant, exits: BodyExits): string[] {
  const sizing = lengthStmts(v);
  const exit = (line: string): string => (line === 'return 0;' ? exits.done('0') : line === 'if (s === null) return 0;' ? `if (s === null) ${exits.done('0')}` : line);
  if (v.body.kind === 'empty') return sizing.map(exit);
  const last = sizing[sizing.length - 1]!;
  if (!last.startsWith('return ')) throw new Error(`generator: ${v.type}: sizing must end in a return`);
  const out = [...sizing.slice(0, -1).map(exit), `const n = ${last.slice('return '.length, -1)};`, `if (n > room) ${exits.noRoom}`];
  for (const line of encodeStmts(v).slice(1)) {
    if (line === 'if (s === null) return 0;') continue;
    if (line.startsWith('return ')) {
      out.push(`if (${line.slice('return '.length, -1)} !== n) badShape('${v.type}: wrote a different size than it measured');`, exits.done('n'));
    } else if (/\breturn\b/.test(line)) {
      throw new Error(`generator: ${v.type}: an encoder statement returns: ${line}`);
    } else {
      out.push(line);
    }
  }
  return out;
}

/** Statements that write the body `body` (already sized) at `o` and return the bytes written. */
function encodeStmts(v: BodyVariant): string[] {
  const b = v.body;
  if (b.kind === 'empty') return ['return 0;'];
  const l = structLayout(b.struct);
  const S = l.fieldsEnd;
  const out = [`const s = body as ${v.type};`];
  if (b.emptyAllowed === true) out.push('if (s === null) return 0;');
  for (const f of l.fields) {
    out.push(`const ${local(f.name)} = s.${f.name};`);
    out.push(...writeStmts(b.struct, f, local(f.name), 'o', ''));
  }
  const t = b.tail;
  const P = b.padded === true ? l.size - S : 0;
  if (t === undefined) {
    if (P > 0) out.push(`b.fill(0, o + ${S}, o + ${S + P});`);
    out.push(`return ${S + P};`);
    return out;
  }
  if (P > 0 && t.kind !== 'bytes') throw new Error('spec: padding follows only bytes tails');
  out.push(...tailEncode({ cmd: 0, struct: b.struct, l, P }, t));
  return out;
}

/**
 * The imports of messages.ts: the structs, and each function of the
 * runtime modules the generated code names (read from their sources).
 */
function messagesImports(code: string): string[] {
  const out = [banner(GEN, '//'), '', "import type { VersionJson } from '../../src/capabilities.js';", "import { resolveOptions, type CodecOptions, type ResolvedOptions } from '../../src/options.js';"];
  for (const mod of ['bitmap', 'decode-paths', 'encode-paths', 'tails', 'wire']) {
    const source = readFileSync(new URL(`../../src/${mod}.ts`, import.meta.url), 'utf8');
    const names = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1]!);
    const types = [...source.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]!);
    const used = [...names, ...types.map((t) => `type ${t}`)].filter((x) => new RegExp(`\\b${x.replace(/^type /, '')}\\b`).test(code)).sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')));
    if (used.length > 0) out.push(...wrapImport(used, `../../src/${mod}.js`));
  }
  const typeNames = structs.map((s) => s.name).filter((n) => new RegExp(`\\b${n}\\b`).test(code));
  const fnNames = structs.flatMap((s) => [`read_${s.name}`, `write_${s.name}`]).filter((n) => new RegExp(`\\b${n}\\b`).test(code));
  out.push(...wrapImport(typeNames.map((n) => `type ${n}`), './structs.js'), ...wrapImport(fnNames, './structs.js'));
  return out;
}

/** An import statement, wrapped at about 120 characters. */
function wrapImport(names: readonly string[], from: string): string[] {
  const lines: string[] = ['import {'];
  let line = ' ';
  for (const n of names) {
    if (line.length + n.length + 2 > 120) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${n},`;
  }
  lines.push(line, `} from '${from}';`);
  return lines;
}

function messagesFile(): string {
  const out: string[] = [
    '',
    '// Message types ------------------------------------------------------------',
    '',
    ...tailTypes(),
  ];
  const commandTypes: string[] = [];
  const replyTypes: string[] = [];
  for (const c of commands) {
    const P = pascal(c.name);
    for (const kind of ['command', 'reply'] as const) {
      const vs = variants(c, kind);
      for (const v of vs) out.push(...bodyTypeDecl(v));
      const bodyType = vs.length === 1 ? vs[0]!.type : vs.map((v) => v.type).join(' | ');
      const T = `${P}${kind === 'command' ? 'Command' : 'Reply'}`;
      out.push(`/** ${c.name} ${kind}${kind === 'command' ? ` (sent by the ${c.sender})` : ''}: ${c.doc} */`);
      out.push(`export interface ${T} {`);
      out.push(`  kind: '${kind}';`);
      out.push(`  cmd: ${c.cmd};`);
      out.push('  msg_id: number;');
      out.push('  flags: number;');
      out.push('  error_no: number;');
      out.push(`  body: ${bodyType};`);
      out.push('}');
      out.push('');
      (kind === 'command' ? commandTypes : replyTypes).push(T);
    }
  }
  out.push('/** An error reply: ERROR set in flags. Its body is kept raw (usually empty). */');
  out.push('export interface ErrorReply {');
  out.push("  kind: 'error';");
  out.push('  cmd: number;');
  out.push('  msg_id: number;');
  out.push('  flags: number;');
  out.push('  error_no: number;');
  out.push('  /** Whatever followed the header (a view into the input). */');
  out.push('  body: Uint8Array;');
  out.push('}');
  out.push('');
  out.push('/** A message of a command number this package does not know (only with `allowUnknownCommands`). */');
  out.push('export interface RawMessage {');
  out.push("  kind: 'raw';");
  out.push('  cmd: number;');
  out.push('  msg_id: number;');
  out.push('  flags: number;');
  out.push('  error_no: number;');
  out.push('  /** Whatever followed the header (a view into the input). */');
  out.push('  body: Uint8Array;');
  out.push('}');
  out.push('');
  out.push(`/** Every command message. */\nexport type Command =\n  | ${commandTypes.join('\n  | ')};`);
  out.push('');
  out.push(`/** Every successful reply. */\nexport type Reply =\n  | ${replyTypes.join('\n  | ')};`);
  out.push('');
  out.push('/** Command message type by command number. */');
  out.push('export interface CommandByCmd {');
  for (const c of commands) out.push(`  ${c.cmd}: ${pascal(c.name)}Command;`);
  out.push('}');
  out.push('');
  out.push('/** Reply message type by command number. */');
  out.push('export interface ReplyByCmd {');
  for (const c of commands) out.push(`  ${c.cmd}: ${pascal(c.name)}Reply;`);
  out.push('}');
  out.push('');
  out.push('/** Every message: commands, replies, error replies and raw messages. */');
  out.push('export type Message = Command | Reply | ErrorReply | RawMessage;');
  out.push('');
  out.push('// The decoder ---------------------------------------------------------------');
  out.push('//');
  out.push('// One function per entry, as the encoder: its switch on the command number holds each body\'s');
  out.push('// code in its case, so a message costs one call. Checks are inline; only the throwing, the');
  out.push('// capability chain walk, the VERSION JSON and the bitmap arithmetic are calls.');
  out.push('');
  out.push(...decodeFns(), '');
  out.push('// Body lengths and the encoder ------------------------------------------------');
  out.push('//');
  out.push('// One switch on the command number per kind, with each body\'s code in its case. In a');
  out.push('// mixed stream of messages every case is rarely taken, and V8 does not inline a call');
  out.push('// made that rarely: a function per body would cost one more call per message.');
  out.push('// Draft commands are known to the length switches; refusing them without `drafts` is the caller\'s job.');
  out.push('');
  for (const op of BODY_OPS) {
    for (const kind of ['command', 'reply'] as const) out.push(...dispatchFn(op, kind), '');
  }
  out.push(...encodeIntoFn(), '');
  out.push('// Tail helpers ---------------------------------------------------------------', '', ...tailHelpers());
  const code = out.join('\n');
  return [...messagesImports(code), code].join('\n');
}

/** The command numbers of the draft extension. */
function draftCommands(): number[] {
  return commands.filter((c) => c.status === 'draft').map((c) => c.cmd);
}

/** The value of a named constant of spec/constants.ts, as a hex literal. */
function constLiteral(name: string): string {
  for (const set of constSets) {
    const c = set.values.find((x) => x.name === name);
    if (c !== undefined) return `0x${c.value.toString(16)}`;
  }
  throw new Error(`spec: no constant ${name}`);
}

/**
 * A body's decoding statements (decodeStmts) as the code of its case in the decoders: a return sets `body` and
 * leaves the switch labelled `label`; a tail view is made from the buffer itself.
 */
function caseStmts(cmd: number, v: BodyVariant, label: string): string[] {
  return decodeStmts(cmd, v).flatMap((line): string[] => {
    const inBuffer = line.replace(/\bview\(v, /g, 'new Uint8Array(buf, ');
    const top = /^  return (.*);$/.exec(inBuffer);
    if (top !== null) return [`  body = ${top[1]};`, `  break ${label};`];
    const early = /^  if \((.*)\) return (.*);$/.exec(inBuffer);
    if (early !== null) return [`  if (${early[1]}) {`, `    body = ${early[2]};`, `    break ${label};`, '  }'];
    if (/\breturn\b/.test(inBuffer)) throw new Error(`generator: ${v.fn}: a return the decoder cannot place: ${line}`);
    return [inBuffer];
  }).map((line) => line.slice(2));
}

/** Lines indented by `by`. */
function indent(lines: readonly string[], by: string): string[] {
  return lines.map((l) => by + l);
}

/**
 * A switch on the command number with a case per command: each dialect's own variant of the body of `kind`
 * under its test, then the default one (`body` gives a variant's statements, which must leave the case).
 * `draftGate` opens the case of a draft command; `otherwise` is the default case.
 */
function commandSwitch(kind: Kind, body: (cmd: number, v: BodyVariant) => string[], otherwise: string, draftGate?: string): string[] {
  const out = ['switch (cmd) {'];
  for (const c of commands) {
    const [base, ...overrides] = variants(c, kind);
    out.push(`  case ${c.cmd}: {`);
    if (c.status === 'draft' && draftGate !== undefined) out.push(`    ${draftGate}`);
    for (const v of overrides) out.push(`    if (opt.dialect === '${v.dialect}') {`, ...indent(body(c.cmd, v), '      '), '    }');
    out.push(...indent(body(c.cmd, base!), '    '), '  }');
  }
  out.push('  default:', `    ${otherwise}`, '}');
  return out;
}

/** The message header's layout, and the offset of one of its fields. */
const HEADER = structLayout('vfio_user_header');
function headerAt(name: string): number {
  const f = HEADER.fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`spec: vfio_user_header has no ${name}`);
  return f.offset;
}

/**
 * The decoders: `decode` (a whole message in a Uint8Array) and `decodeMessage` (a message at an offset of a
 * buffer whose DataView the caller has, as the framer's). Each is one function with the same statements after
 * its first lines: the header's type checks, then one switch per kind with every body's code (all dialects) in
 * its case, so a message costs one call. The statements are written twice, not shared by a call, because that
 * call cost decode about 2 ns a message, 5-8% of a small one (bench/README.md).
 */
function decodeFns(): string[] {
  const H = HEADER.size;
  const COMMAND = constLiteral('VFIO_USER_F_TYPE_COMMAND');
  const REPLY = constLiteral('VFIO_USER_F_TYPE_REPLY');
  const ERROR = constLiteral('VFIO_USER_F_ERROR');
  const other = 'return decodeOther(v, buf, m0, msgSize, opt);';
  const kindSwitch = (kind: Kind): string[] => commandSwitch(kind, (cmd, v) => caseStmts(cmd, v, kind), other, `if (!opt.drafts) ${other}`);
  const offset = (name: string): string => (headerAt(name) === 0 ? 'm0' : `m0 + ${headerAt(name)}`);
  const body = [
    `  const msg_id = v.getUint16(${offset('msg_id')}, true);`,
    `  const cmd = v.getUint16(${offset('cmd')}, true);`,
    `  const flags = v.getUint32(${offset('flags')}, true);`,
    `  const error_no = v.getUint32(${offset('error_no')}, true);`,
    `  const type = flags & ${constLiteral('VFIO_USER_F_TYPE_MASK')};`,
    `  const o = m0 + ${H};`,
    `  const n = msgSize - ${H};`,
    `  if (type > ${REPLY} || (flags & ${ERROR}) !== 0) {`,
    '    // An error reply in its range; anything else (an error typed as a command, a bad type) is checked there.',
    `    if (type === ${REPLY} && error_no <= opt.limits.maxErrorNo) return { kind: 'error', cmd, msg_id, flags, error_no, body: new Uint8Array(buf, o, n) };`,
    '    return decodeOther(v, buf, m0, msgSize, opt);',
    '  }',
    '  let body: unknown;',
    `  if (type === ${COMMAND}) {`,
    '    command: {',
    ...indent(kindSwitch('command'), '      '),
    '    }',
    "    return { kind: 'command', cmd, msg_id, flags, error_no, body } as Message;",
    '  }',
    '  reply: {',
    ...indent(kindSwitch('reply'), '    '),
    '  }',
    "  return { kind: 'reply', cmd, msg_id, flags, error_no, body } as Message;",
    '}',
  ];
  return [
    '/**',
    ' * Decodes one whole message. `bytes` must hold exactly one message',
    ' * (msg_size bytes); use FrameDecoder for a stream. Tails are views into',
    ' * `bytes`\' buffer.',
    ' *',
    ' * @throws VfioUserTruncatedError (ERR_NEED_MORE) when bytes end early;',
    ' *   VfioUserInvalidError or VfioUserLimitError when the bytes are wrong.',
    ' *   No other exception escapes, whatever the input.',
    ' */',
    'export function decode(bytes: Uint8Array, options?: CodecOptions): Message {',
    '  // The default options (left out, or the resolved defaults) are one comparison; others are resolved.',
    '  const opt = options === DEFAULT_OPTIONS || options === undefined ? DEFAULT_OPTIONS : resolveOptions(options);',
    '  const avail = bytes.length;',
    `  if (avail < ${H}) return refuseSize(bytes, opt);`,
    '  const buf = bytes.buffer;',
    '  const v = dataViewOfBuffer(buf);',
    '  const m0 = bytes.byteOffset;',
    `  const msgSize = v.getUint32(${offset('msg_size')}, true);`,
    `  if (msgSize !== avail || msgSize < ${H} || msgSize > opt.limits.maxMessageSize) return refuseSize(bytes, opt);`,
    ...body,
    '',
    '/**',
    ' * Decodes the message of `msgSize` bytes at absolute offset `m0` of `buf`',
    ' * (`v` its DataView), msg_size already checked (checkMsgSize).',
    ' */',
    'export function decodeMessage(v: DataView, buf: ArrayBufferLike, m0: number, msgSize: number, opt: ResolvedOptions): Message {',
    ...body,
  ];
}

/**
 * encodeInto(): the whole encoder in one function, so that a message costs
 * one call whether or not V8 inlines the encoder into its caller (it is
 * far too large to inline, as a hand-written single-pass encoder is). Its
 * header checks, a switch per kind whose cases size, check and write each
 * body, then the header. Constants are literals (from spec/), which V8
 * reads with no load; every failure and rare case leaves through one test
 * to a cold function of src/encode-paths.ts, which checks in order and
 * throws the error of the first check that fails. Its size matters: V8 does
 * not optimize a function of more than 60 KiB of bytecode
 * (--max-optimized-bytecode-size), and one over it runs 5-20x slower in the
 * interpreter (each case writing its own header took it to 62 KB); it is
 * about 51.6 KB (`node --print-bytecode --print-bytecode-filter=encodeInto`),
 * and test/optimizable.test.ts fails when V8 no longer optimizes it.
 */
function encodeIntoFn(): string[] {
  const H = HEADER.size;
  const COMMAND = constLiteral('VFIO_USER_F_TYPE_COMMAND');
  const REPLY = constLiteral('VFIO_USER_F_TYPE_REPLY');
  const TYPE_AND_ERROR = `0x${(Number(constLiteral('VFIO_USER_F_TYPE_MASK')) | Number(constLiteral('VFIO_USER_F_ERROR'))).toString(16)}`;
  const ERROR_REPLY = `0x${(Number(REPLY) | Number(constLiteral('VFIO_USER_F_ERROR'))).toString(16)}`;
  const FIRST_DRAFT = Math.min(...draftCommands());
  const writeHeader = (len: string): string[] => [
    `v.setUint16(h + ${headerAt('msg_id')}, msg_id, true);`,
    `v.setUint16(h + ${headerAt('cmd')}, cmd, true);`,
    `v.setUint32(h + ${headerAt('msg_size')}, ${len}, true);`,
    `v.setUint32(h + ${headerAt('flags')}, flags, true);`,
    `v.setUint32(h + ${headerAt('error_no')}, error_no, true);`,
  ];
  // A body of no bytes writes the header in its case and returns: the merge after the switches costs a
  // header-only message more than the work it does (its values are reloaded from the stack there).
  const exits: BodyExits = {
    done: (size) => (size === '0' ? `{ ${writeHeader(String(H)).join(' ')} return ${H}; }` : `{ len = ${size}; break sized; }`),
    noRoom: `return noRoom(${H} + n, at, target.length);`,
  };
  const kindSwitch = (kind: Kind): string[] => commandSwitch(kind, (_cmd, v) => fusedStmts(v, exits), 'return unknownCommand(cmd);');
  return [
    '/**',
    ' * Writes the message into `target` at `offset`; returns the bytes written.',
    ' * Allocates nothing. Every field is checked against its wire type, and',
    ' * every length field against its tail; protocol rules are decode\'s job.',
    ' *',
    ' * @throws VfioUserEncodeError (ERR_ENCODE_SPACE when target is too small).',
    ' */',
    'export function encodeInto(message: Message, target: Uint8Array, offset?: number, options?: CodecOptions): number {',
    '  // The defaults cost nothing on the common path: the default options are one comparison, and an offset left',
    '  // out fails the room checks below, whose cold branch encodes again at offset 0.',
    '  const opt = options === DEFAULT_OPTIONS || options === undefined ? DEFAULT_OPTIONS : resolveOptions(options);',
    '  const at = offset as number;',
    '  try {',
    '    if (typeof message !== \'object\' || message === null) return encodeOther(message, target, offset ?? 0, opt);',
    '    const { kind, msg_id, cmd, flags, error_no } = message;',
    '    const body: unknown = message.body;',
    '    // The views first, for every kind: a call on a path that few messages take is not inlined.',
    '    const v = target === lastTarget ? lastView : rememberTarget(target);',
    '    const b = lastBytes;',
    '    const h = target.byteOffset + at;',
    `    if (kind === 'command' || kind === 'reply') {`,
    `      const type = kind === 'reply' ? ${REPLY} : ${COMMAND};`,
    '      // The header checks of checkHeader, in its order; any that fails (or a draft command number) replays them there.',
    '      if (',
    '        flags >>> 0 !== flags ||',
    `        (flags & ${TYPE_AND_ERROR}) !== type ||`,
    "        typeof cmd !== 'number' ||",
    `        (cmd >= ${FIRST_DRAFT} && !opt.drafts) ||`,
    '        (msg_id & 0xffff) !== msg_id ||',
    '        (cmd & 0xffff) !== cmd ||',
    '        error_no >>> 0 !== error_no',
    '      ) {',
    '        checkHeader(message, opt);',
    '      }',
    `      const room = target.length - at - ${H};`,
    '      if (!(at >= 0 && room >= 0) || !Number.isInteger(at)) {',
    '        return offset === undefined ? encodeInto(message, target, 0, opt) : noRoomForMessage(message, at, target, opt);',
    '      }',
    `      const o = h + ${H};`,
    '      let len = 0;',
    '      sized: {',
    `        if (type === ${COMMAND}) {`,
    ...indent(kindSwitch('command'), '          '),
    '        }',
    ...indent(kindSwitch('reply'), '        '),
    '      }',
    `      if (len > ${0xffffffff - H}) tooLarge(${H} + len);`,
    ...indent(writeHeader(`${H} + len`), '      '),
    `      return ${H} + len;`,
    '    }',
    "    if (kind === 'error') {",
    '      // Flags REPLY | ERROR, a Uint8Array body and fields that fit; anything else is checked in order by encodeOther.',
    '      const n = body instanceof Uint8Array ? body.length : -1;',
    '      if (',
    '        n < 0 ||',
    '        flags >>> 0 !== flags ||',
    `        (flags & ${TYPE_AND_ERROR}) !== ${ERROR_REPLY} ||`,
    `        !(at >= 0 && n <= target.length - at - ${H}) ||`,
    '        !Number.isInteger(at) ||',
    '        (msg_id & 0xffff) !== msg_id ||',
    '        (cmd & 0xffff) !== cmd ||',
    '        error_no >>> 0 !== error_no',
    '      ) {',
    '        return offset === undefined ? encodeInto(message, target, 0, opt) : encodeOther(message, target, at, opt);',
    '      }',
    '      if (n !== 0) {',
    '        // msg_size is a u32: a body this large is refused by encodeOther (tested only when there is a body).',
    `        if (n > ${0xffffffff - H}) return encodeOther(message, target, at, opt);`,
    `        b.set(body as Uint8Array, h + ${H});`,
    '      }',
    ...indent(writeHeader(`${H} + n`), '      '),
    `      return ${H} + n;`,
    '    }',
    '    return encodeOther(message, target, offset ?? 0, opt);',
    '  } catch (e) {',
    '    return wrongJsType(e, message);',
    '  }',
    '}',
    '',
    '/** The default options, resolved once. */',
    'const DEFAULT_OPTIONS = resolveOptions();',
    '',
    '/**',
    ' * The last target encodeInto wrote into and its views, remembered by the',
    ' * Uint8Array itself: its buffer never changes, and reading `.buffer` is a',
    ' * call into the runtime that V8 does not inline (about 8 ns per message).',
    ' */',
    'let lastTarget: Uint8Array | null = null;',
    'let lastView: DataView = new DataView(new ArrayBuffer(0));',
    'let lastBytes: Uint8Array = new Uint8Array(0);',
    '',
    '/** Looks up and remembers the views of a target other than the last one. */',
    'function rememberTarget(target: Uint8Array): DataView {',
    "  if (!(target instanceof Uint8Array)) return badShape('target must be a Uint8Array');",
    '  const { v, b } = viewsOf(target);',
    '  lastTarget = target;',
    '  lastView = v;',
    '  lastBytes = b;',
    '  return v;',
    '}',
    '',
    '/** The target has no room for the header at `offset`: throws, naming the whole message\'s size (its body checked first). */',
    'function noRoomForMessage(m: Message, offset: number, target: Uint8Array, opt: ResolvedOptions): never {',
    `  const n = (m.kind === 'reply' ? replyBodyLength : commandBodyLength)(m.cmd, m.body, opt);`,
    `  return n < 0 ? unknownCommand(m.cmd) : noRoom(${H} + n, offset, target.length);`,
    '}',
  ];
}

/** The body variant a dialect uses: its override, or the default. */
function variantOf(c: CommandSpec, kind: Kind, dialect: string): BodyVariant {
  const vs = variants(c, kind);
  return vs.find((v) => v.dialect === dialect) ?? vs[0]!;
}

/** An operation on a message body that switches on the command number. */
interface BodyOp {
  /** The exported function's name for a kind, e.g. `encodeCommandBody`. */
  readonly name: (kind: Kind) => string;
  readonly doc: (kind: Kind) => string;
  /** Parameters between `cmd` and `opt`; the body is `body`. */
  readonly params: string;
  /** One variant's statements. */
  readonly stmts: (v: BodyVariant) => string[];
}

const BODY_OPS: readonly BodyOp[] = [
  {
    name: (kind) => `${kind}BodyLength`,
    doc: (kind) => `Size in bytes of the body of a ${kind} of \`cmd\` in \`opt\`'s dialect, after checking its shape; -1 for an unknown command.`,
    params: 'body: unknown',
    stmts: lengthStmts,
  },
];

/** A switch on the command number whose cases run `op` for the variant of `opt.dialect`: an override, else the default. */
function dispatchFn(op: BodyOp, kind: Kind): string[] {
  const out = [`/** ${op.doc(kind)} */`, `export function ${op.name(kind)}(cmd: number, ${op.params}, opt: ResolvedOptions): number {`, '  switch (cmd) {'];
  for (const c of commands) {
    const [base, ...overrides] = variants(c, kind);
    out.push(`    case ${c.cmd}: {`);
    for (const v of overrides) out.push(`      if (opt.dialect === '${v.dialect}') {`, ...indent(op.stmts(v), '        '), '      }');
    out.push(...indent(op.stmts(base!), '      '), '    }');
  }
  out.push('    default:', '      return -1;', '  }', '}');
  return out;
}

/**
 * Generates generated/docs/protocol.md, the protocol document, from spec/:
 * the header, error conventions, capabilities and limits, one section per
 * command with offset tables (offsets relative to the body), decode rules,
 * fd rules, errors and annotated hex examples from the fixture catalogue,
 * then every struct, flag set, enumeration, dialect and error code.
 *
 * Output is GitHub-flavoured Markdown. Every internal link is checked against
 * the headings (GitHub's anchor rules, see {@link githubSlug}) before the
 * document is returned.
 */
import { capabilities } from '../spec/capabilities.js';
import { captureChapter, pcapngPseudoHeader } from '../spec/docs/capture.js';
import { iommufdChapter } from '../spec/docs/iommufd.js';
import { commands } from '../spec/commands.js';
import { constSets } from '../spec/constants.js';
import { DEFAULT_DIALECT, dialects } from '../spec/dialects.js';
import { errorCodes } from '../spec/errors.js';
import { errno } from '../spec/errno.js';
import { fixtures, invalidFixtures } from '../spec/fixtures/index.js';
import { limits, sessionLimits, WRITE_MULTI_DATA_MAX } from '../spec/limits.js';
import { header, structs, unions } from '../spec/structs.js';
import type {
  BodySpec,
  CapabilitySpec,
  CheckSpec,
  CommandSpec,
  CommandStatus,
  ConstSetSpec,
  Direction,
  FdRule,
  FieldSpec,
  LimitSpec,
  FixtureSpec,
  Origin,
  InnerTailSpec,
  StructSpec,
  TailLength,
  TailSpec,
} from '../spec/types.js';
import { interopSamples } from '../spec/dialects.js';
import { describeVerdict, interopMatrix } from '../src/interop.js';
import { banner } from './banner.js';
import { structLayout, unionSize, type StructLayout } from './layout.js';
import { CAPABILITY_ORIGIN, SCHEMA_PATH } from './schema.js';
import { tailLimits, tailStructs } from './tails.js';

const GEN = 'generator/docs.ts';

/** Path of the document, relative to the package root. */
export const DOCS_PATH = 'generated/docs/protocol.md';

/** Generated files, by path relative to the package root. */
export function generateDocs(): Map<string, string> {
  return new Map([[DOCS_PATH, protocolDoc()]]);
}

// ---------------------------------------------------------------------------
// Markdown helpers

/**
 * The anchor GitHub gives a heading: lower case, every character that is not
 * a letter, digit, space, `-` or `_` dropped, each space turned into `-`.
 * Repeated headings get `-1`, `-2`, ... (see {@link Slugger}).
 */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Assigns anchors to headings in document order, numbering repeats as GitHub does. */
export class Slugger {
  private readonly seen = new Map<string, number>();

  slug(text: string): string {
    const base = githubSlug(text);
    let anchor = base;
    let n = this.seen.get(base) ?? 0;
    while (this.seen.has(anchor)) {
      n++;
      anchor = `${base}-${n}`;
    }
    this.seen.set(base, n);
    this.seen.set(anchor, 0);
    return anchor;
  }
}

/** Text from spec/ made safe for Markdown prose and table cells. */
function esc(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\*/g, '\\*')
    .replace(/(^|[^\p{L}\p{N}])_/gu, '$1\\_')
    .replace(/\s*\n\s*/g, ' ');
}

/** A name as inline code (names never hold a backtick). */
function code(name: string): string {
  return `\`${name}\``;
}

function link(text: string, anchor: string): string {
  return `[${text}](#${anchor})`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const out = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    if (r.length !== head.length) throw new Error(`docs: table row of ${r.length} cells under ${head.length} columns`);
    out.push(`| ${r.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`);
  }
  return out;
}

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/** Lower-cases the first letter of a text that starts with an ordinary capitalised word. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

// ---------------------------------------------------------------------------
// Anchors of the sections other sections link to

const A = {
  header: githubSlug('Message header'),
  capabilities: githubSlug('Capabilities'),
  limits: githubSlug('Limits'),
  iommufd: githubSlug('The iommufd extension'),
  dialects: githubSlug('Dialects'),
};

function commandHeading(c: CommandSpec): string {
  return `${c.cmd}. ${c.name}`;
}

function commandLink(c: CommandSpec): string {
  return link(c.name, githubSlug(commandHeading(c)));
}

function commandByNumber(cmd: number): CommandSpec {
  const c = commands.find((x) => x.cmd === cmd);
  if (c === undefined) throw new Error(`docs: no command ${cmd}`);
  return c;
}

function unionHeading(name: string): string {
  return `${name} (union)`;
}

function structLink(name: string): string {
  if (unions.some((u) => u.name === name)) return link(name, githubSlug(unionHeading(name)));
  return link(name, githubSlug(name));
}

function dialectHeading(name: string): string {
  return `Dialect: ${name}`;
}

function constSet(name: string): ConstSetSpec {
  const s = constSets.find((x) => x.name === name);
  if (s === undefined) throw new Error(`docs: no flag set or enumeration ${name}`);
  return s;
}

function setLink(name: string): string {
  return link(constSet(name).name, githubSlug(name));
}

function limitDefault(name: string): number {
  const l = limits.find((x) => x.name === name);
  if (l === undefined) throw new Error(`docs: no limit ${name}`);
  return l.default;
}

function limitRef(name: string): string {
  return `${link(name, A.limits)} (default ${limitDefault(name)})`;
}

const ORIGIN: Readonly<Record<Origin, string>> = {
  'vfio-user': 'libvfio-user, include/vfio-user.h (the protocol\'s C header)',
  'linux/vfio.h': 'the kernel\'s &lt;linux/vfio.h&gt;, reused unchanged on the wire',
  legacy: 'legacy: removed from the protocol, kept to recognise old traffic',
  iommufd: 'the iommufd extension, libvfio-user pull request #833 (not merged)',
  qemu: 'QEMU, hw/vfio-user/protocol.h, where it differs from the protocol\'s C header',
  draft: 'this package\'s draft extension, off by default',
};

const STATUS: Readonly<Record<CommandStatus, string>> = {
  base: 'base protocol',
  legacy: 'legacy: removed from the protocol, recognised in old traffic',
  iommufd: `iommufd extension: a proposal of libvfio-user pull request #833, not merged (see ${link('The iommufd extension', A.iommufd)})`,
  draft: 'draft extension of this package, off by default',
};

function dirText(d: Direction | undefined): string {
  switch (d) {
    case undefined:
    case 'in':
      return 'in';
    case 'out':
      return 'out';
    case 'inout':
      return 'in/out';
  }
}


function errnoNumber(name: string): string {
  const n = errno[name];
  return n === undefined ? '—' : String(n);
}

// ---------------------------------------------------------------------------
// Field tables

interface Row {
  readonly offset: string;
  readonly size: string;
  readonly type: string;
  readonly field: string;
  readonly meaning: string;
  readonly dir: string;
}

const ROW_HEAD = ['offset', 'size', 'type', 'field', 'meaning', 'in/out'] as const;

function rowCells(r: Row): string[] {
  return [r.offset, r.size, r.type, r.field, r.meaning, r.dir];
}

function fieldMeaning(f: FieldSpec): string {
  let m = esc(f.doc);
  if (f.flags !== undefined) m += ` Flags: ${setLink(f.flags)}.`;
  if (f.enum !== undefined) m += ` Values: ${setLink(f.enum)}.`;
  return m;
}

function scalarTypeText(f: FieldSpec, size: number): string {
  if (f.type === 'bytes') return code(`u8[${size}]`);
  if (f.type === 'struct') return structLink(f.struct ?? '');
  return code(f.type);
}

/** Whether any field of a struct, nested structs included, says who fills it. */
function hasDir(structName: string): boolean {
  return structLayout(structName).fields.some((f) => f.spec.dir !== undefined || (f.spec.type === 'struct' && f.spec.struct !== undefined && hasDir(f.spec.struct)));
}

/**
 * Rows of a struct's fields at `base`, names prefixed with `prefix`. A nested
 * struct gets one row of its own, then its fields as `outer.inner`. A field
 * whose spec does not say who fills it gets `defaultDir`.
 */
function fieldRows(structName: string, prefix: string, base: number, note = '', defaultDir = 'in'): Row[] {
  const l = structLayout(structName);
  const rows: Row[] = [];
  for (const f of l.fields) {
    rows.push({
      offset: String(base + f.offset),
      size: String(f.size),
      type: scalarTypeText(f.spec, f.size),
      field: code(prefix + f.name),
      meaning: fieldMeaning(f.spec) + note,
      dir: f.spec.dir === undefined ? defaultDir : dirText(f.spec.dir),
    });
    if (f.spec.type === 'struct' && f.spec.struct !== undefined) rows.push(...fieldRows(f.spec.struct, `${prefix}${f.name}.`, base + f.offset, note, defaultDir));
  }
  return rows;
}

function flagName(structName: string, field: string, bit: number): string {
  const f = structLayout(structName).fields.find((x) => x.name === field);
  const setName = f?.spec.flags;
  const v = setName === undefined ? undefined : constSet(setName).values.find((x) => x.value === bit);
  return v === undefined ? hex(bit) : `${code(v.name)} (${hex(bit)})`;
}

/** The single-bit constants of a field's flag set inside `mask`, by name. */
function bitNames(structName: string, field: string, mask: number): string {
  const f = structLayout(structName).fields.find((x) => x.name === field);
  const setName = f?.spec.flags;
  if (setName === undefined) return hex(mask);
  const names = constSet(setName)
    .values.filter((v) => v.value !== 0 && (v.value & (v.value - 1)) === 0 && (v.value & mask) === v.value)
    .map((v) => code(v.name));
  return names.length === 0 ? hex(mask) : `${hex(mask)}: ${names.join(', ')}`;
}

function namedFlag(setName: string, cName: string): string {
  const v = constSet(setName).values.find((x) => x.name === cName);
  if (v === undefined) throw new Error(`docs: no ${cName} in ${setName}`);
  return `${code(v.name)} (${hex(v.value)})`;
}

function lengthText(l: StructLayout, length: { readonly field: string } | 'rest'): string {
  if (length === 'rest') return 'rest of the message';
  if (!l.fields.some((f) => f.name === length.field)) throw new Error(`docs: ${l.name} has no length field ${length.field}`);
  return code(length.field);
}

/** The element struct of a struct's flexible array member, if it is a struct. */
function flexStruct(s: StructSpec): string | undefined {
  const e = s.flex?.element;
  return e !== undefined && typeof e !== 'string' && 'struct' in e ? e.struct : undefined;
}

function flexUnion(s: StructSpec): string | undefined {
  const e = s.flex?.element;
  return e !== undefined && typeof e !== 'string' && 'union' in e ? e.union : undefined;
}

/** The structs named `<struct>_*`: the payloads of a struct with a typed tail (DEVICE_FEATURE). */
function payloadStructs(structName: string): string[] {
  const family = structs.filter((s) => s.name.startsWith(`${structName}_`));
  const elements = new Set(family.map(flexStruct));
  return family.filter((s) => !elements.has(s.name)).map((s) => s.name);
}

/** A flag constant by C name: its name and value, linked to its set. */
function flagText(cName: string): string {
  const set = constSets.find((x) => x.values.some((v) => v.name === cName));
  if (set === undefined) throw new Error(`docs: no flag ${cName}`);
  return namedFlag(set.name, cName);
}

/** How long a tail of bytes is, in words. */
function bytesSize(l: StructLayout, length: TailLength, prefix = ''): string {
  if (length === 'rest') return 'rest of the message';
  if ('fixed' in length) return String(length.fixed);
  if ('bitmap' in length) return `ceil(ceil(${code(prefix + length.bitmap.length)} / ${code(prefix + length.bitmap.pageSize)}) / 64) × 8`;
  return code(prefix + length.field);
}

/** Rows of a tail that follows a nested struct (its members join the struct's object). */
function innerRows(l: StructLayout, t: InnerTailSpec, prefix: string, at: number, cond: string, dir: string): Row[] {
  if (t.kind === 'bytes') return [{ offset: String(at), size: bytesSize(l, t.length, prefix), type: code('u8[]'), field: code(prefix + t.name), meaning: `${esc(t.doc)}${cond}`, dir }];
  return [{ offset: String(at), size: `${code(prefix + t.length.field)} × ${elementSizes(t.of).join(' or ')}`, type: `${structLink(t.of)}[]`, field: code(prefix + t.name), meaning: `${esc(t.doc)}${cond}`, dir }];
}

function elementSizes(of: string): number[] {
  const u = unions.find((x) => x.name === of);
  return u === undefined ? [structLayout(of).size] : [...new Set(unionMembersSizes(of))].sort((a, b) => b - a);
}

/** Table rows describing a tail starting at `at`. */
function tailRows(body: { readonly struct: string }, t: TailSpec, at: number, dir: string): Row[] {
  const l = structLayout(body.struct);
  switch (t.kind) {
    case 'bytes': {
      let size = t.length === 'rest' && t.name === 'padding' ? `rest of the message, up to ${code('argsz')}` : bytesSize(l, t.length);
      if (t.atLeast === true) size += ' or more';
      if (t.when !== undefined) size += `, or 0 without ${flagText(t.when.flag)}`;
      return [{ offset: String(at), size, type: code('u8[]'), field: code(t.name), meaning: esc(t.doc), dir }];
    }
    case 'array':
      return [
        {
          offset: String(at),
          size: `${lengthText(l, t.length)} × ${elementSizes(t.of).join(' or ')}${t.omittable === true ? ', or 0' : ''}`,
          type: `${structLink(t.of)}[]`,
          field: code(t.name),
          meaning: esc(t.doc),
          dir,
        },
      ];
    case 'json':
      return [
        {
          offset: String(at),
          size: 'rest of the message, or 0',
          type: 'JSON text + NUL',
          field: code(t.name),
          meaning: `${esc(t.doc)} Keys: see ${link('Capabilities', A.capabilities)}.`,
          dir,
        },
      ];
    case 'optional': {
      const cond = ` Only with ${flagText(t.when.flag)}.`;
      const rows = fieldRows(t.struct, `${t.name}.`, at, cond, dir);
      if (t.then !== undefined) rows.push(...innerRows(structLayout(t.struct), t.then, `${t.name}.`, at + structLayout(t.struct).fieldsEnd, cond, 'out'));
      return rows;
    }
    case 'chain':
      return [
        {
          offset: String(at),
          size: `${code('argsz')} − ${at}, when it fitted`,
          type: 'capability chain',
          field: code(t.name),
          meaning: `${esc(t.doc)} Each capability starts with a ${structLink(t.header)}; ids: ${t.cases.map((c) => `${flagText(c.id)}${c.struct === undefined ? '' : ` ${structLink(c.struct)}`}`).join(', ')}.`,
          dir,
        },
      ];
    case 'select': {
      const payloads = [...new Set(t.cases.flatMap((c) => (c.struct === undefined ? [] : [c.struct])))];
      let meaning = esc(t.doc);
      if (payloads.length > 0) meaning += ` Payloads: ${payloads.map(structLink).join(', ')}.`;
      return [{ offset: String(at), size: 'rest of the message', type: 'payload', field: code(t.name), meaning, dir }];
    }
  }
}

function unionMembersSizes(name: string): number[] {
  const u = unions.find((x) => x.name === name);
  return u === undefined ? [] : u.members.map((m) => structLayout(m.struct).size);
}

/** One sentence stating how long a body is. */
function lengthRule(b: Extract<BodySpec, { kind: 'struct' }>): string {
  const l = structLayout(b.struct);
  const S = l.fieldsEnd;
  const t = b.tail;
  let rule: string;
  if (t === undefined) {
    rule = `The body is exactly ${S} bytes`;
  } else {
    switch (t.kind) {
      case 'bytes': {
        const len = bytesSize(l, t.length);
        if (t.length === 'rest') rule = t.name === 'padding' ? `The body is at least ${S} bytes; bytes after the struct pad it up to ${code('argsz')} and are kept as they are` : `The body is ${S} bytes, then the rest of the message`;
        else if (t.when !== undefined) rule = `The body is ${S} bytes, followed by exactly ${len} bytes when ${code(t.when.field)} has ${flagText(t.when.flag)} and by nothing otherwise`;
        else if (t.atLeast === true) rule = `The body is ${S} bytes followed by at least ${len} bytes; bytes beyond ${len} are padding`;
        else rule = `The body is ${S} bytes followed by exactly ${len} bytes`;
        if (t.length !== 'rest' && 'bitmap' in t.length) rule += `; ${code(t.length.bitmap.pageSize)} is a power of two`;
        if (t.limit !== undefined && t.length !== 'rest' && 'field' in t.length) rule += `; ${len} is at most ${limitRef(t.limit)}`;
        break;
      }
      case 'array': {
        const len = lengthText(l, t.length);
        const sizes = elementSizes(t.of);
        rule = `The body is ${S} bytes followed by exactly ${len} entries of ${sizes.join(' or ')} bytes${sizes.length > 1 ? ' each (the stride follows from the length of the body)' : ''}${t.omittable === true ? ', or by nothing when they did not fit' : ''}`;
        if (t.limit !== undefined) rule += `; ${len} is at most ${limitRef(t.limit)}`;
        if (t.elementMax !== undefined) rule += `; each entry's ${code(t.elementMax.field)} is at most ${t.elementMax.max}`;
        break;
      }
      case 'json':
        rule = `The body is ${S} bytes, then either nothing or a UTF-8 JSON text that ends in exactly one NUL byte`;
        break;
      case 'optional': {
        const tl = structLayout(t.struct);
        rule = `The body is ${S} bytes; with ${flagText(t.when.flag)} in ${code(t.when.field)} a ${tl.fieldsEnd}-byte ${structLink(t.struct)} follows`;
        if (t.then !== undefined) rule += `, then the ${code(t.then.length === 'rest' || !('field' in t.then.length) ? t.then.name : `${t.name}.${t.then.length.field}`)} bytes it announces`;
        for (const c of t.checks ?? []) {
          if (c.kind === 'power-of-two') rule += `; ${code(`${t.name}.${c.field}`)} is a power of two`;
          if (c.kind === 'bitmap-size') rule += `; ${code(`${t.name}.${c.field}`)} is ceil(ceil(${code(c.length)} / ${code(`${t.name}.${c.pageSize}`)}) / 64) × 8`;
        }
        if (t.argszRoom !== undefined) rule += `; ${code('argsz')} leaves room for the ${code(`${t.name}.${t.argszRoom}`)} bytes the reply carries`;
        break;
      }
      case 'chain':
        rule = `The body is at least ${S} bytes. Anything after the struct is the capability chain: it starts at ${code(t.offsetField)}, each capability names the next by ${code('next')} (both count from the start of the body), and 0 ends it; a chain that loops, points outside the body, overlaps itself or leaves bytes unaccounted for is invalid`;
        break;
      case 'select':
        rule = `The body is at least ${S} bytes; the rest is the payload the fields before it choose, and must have the size it calls for`;
        break;
    }
    // A limit on a length field is stated with it above.
    const stated = (t.kind === 'bytes' && t.length !== 'rest' && 'field' in t.length) || t.kind === 'array' ? t.limit : undefined;
    const bound = tailLimits(t).filter((x) => x !== stated);
    if (bound.length > 0) rule += `; bounded by ${bound.map((x) => limitRef(x)).join(' and ')}`;
  }
  if (b.emptyAllowed === true) rule += t === undefined ? `, or empty (${code('msg_size')} 16)` : `. An empty body (${code('msg_size')} 16) is also valid`;
  return `${rule}.`;
}

function checkText(structName: string, c: CheckSpec): string {
  switch (c.kind) {
    case 'known-bits': {
      const set = constSet(c.set);
      const mask = set.values.reduce((m, v) => m | v.value, 0) >>> 0;
      return `${code(c.field)} holds only bits of ${setLink(c.set)} (mask ${hex(mask)}).`;
    }
    case 'one-of':
      return `${code(c.field)} has exactly one bit of ${c.masks.map((m) => `(${bitNames(structName, c.field, m)})`).join(' and exactly one of ')}, and no other bit.`;
    case 'some-of':
      return `${code(c.field)} has at least one bit of ${bitNames(structName, c.field, c.mask)}.`;
    case 'allowed':
      return `${code(c.field)} is one of ${c.values.join(', ')}.`;
    case 'zero':
      return `${code(c.field)} is 0.`;
    case 'not-all':
      return `${code(c.field)} does not have all the bits of ${bitNames(structName, c.field, c.bits)} at once.`;
    case 'argsz-covers':
      return `${code('argsz')} is at least the length of the body.`;
    case 'limit':
      return `${code(c.field)} is at most ${limitRef(c.limit)}.`;
    case 'power-of-two':
      return `${code(c.field)} is a power of two.`;
    case 'bitmap-size':
      return `${code(c.field)} is ceil(ceil(${code(c.length)} / ${code(c.pageSize)}) / 64) × 8.`;
  }
}

/** Lines describing one message body: its struct, table, length rule and checks. */
function bodyLines(b: BodySpec, message: 'request' | 'reply'): string[] {
  const out: string[] = [];
  if (b.kind === 'empty') {
    out.push(`No body: the message is the 16-byte header alone (${code('msg_size')} 16).${b.doc === undefined ? '' : ` ${esc(sentence(b.doc))}`}`);
    return out;
  }
  const l = structLayout(b.struct);
  const pad = b.padded === true ? `, then ${l.size - l.fieldsEnd} zero bytes of C tail padding (the message is sizeof + the tail)` : '';
  const tail = (b.tail === undefined ? '' : `, then ${code(b.tail.name)}`) + pad;
  out.push(`Body: ${structLink(b.struct)} (${l.fieldsEnd} bytes)${tail}.${b.doc === undefined ? '' : ` ${esc(sentence(b.doc))}`}`);
  out.push('');
  const dir = message === 'request' ? 'in' : 'out';
  // A struct that never says who fills a field is filled by the sender of the message it is in.
  const rows = fieldRows(b.struct, '', 0, '', hasDir(b.struct) ? 'in' : dir);
  if (b.tail !== undefined) rows.push(...tailRows(b, b.tail, l.fieldsEnd, dir));
  out.push(...table(ROW_HEAD, rows.map(rowCells)));
  out.push('');
  out.push('Checked on decode:');
  out.push('');
  out.push(`- ${lengthRule(b)}`);
  for (const c of b.checks ?? []) out.push(`- ${checkText(b.struct, c)}`);
  return out;
}

function fdText(r: FdRule): string {
  switch (r.kind) {
    case 'none':
      return 'none.';
    case 'exactly':
      return `exactly ${r.count}.`;
    case 'optional':
      return `optional. ${esc(sentence(r.doc))}`;
    case 'per_vector':
      return `one per vector. ${esc(sentence(r.doc))}`;
    case 'indexed':
      return `named by index from the body. ${esc(sentence(r.doc))}`;
  }
}

// ---------------------------------------------------------------------------
// Fixtures

function fixtureCmd(f: FixtureSpec): number | undefined {
  const cmd = f.message['cmd'];
  return typeof cmd === 'number' ? cmd : undefined;
}

function fixtureKind(f: FixtureSpec): string {
  const kind = f.message['kind'];
  if (kind === 'error') return 'error reply';
  return typeof kind === 'string' ? kind : 'message';
}

function fixtureLines(f: FixtureSpec): string[] {
  const meta = [fixtureKind(f), `${f.fds} fd${f.fds === 1 ? '' : 's'}`];
  const dialect = f.dialect;
  if (dialect !== undefined) meta.push(`dialect ${dialects.some((x) => x.name === dialect) ? link(dialect, githubSlug(dialectHeading(dialect))) : code(dialect)}`);
  const out = [`${code(f.name)} (${meta.join(', ')}): ${esc(sentence(f.doc))}${f.source === undefined ? '' : ` Source: ${esc(sentence(f.source))}`}`, ''];
  // Comments line up after the groups of up to 16 bytes; a longer group keeps its comment right after it.
  const width = Math.min(HEX_COLUMN, Math.max(0, ...f.bytes.map(([, h]) => h.length)));
  out.push('```text');
  for (const [comment, h] of f.bytes) out.push(`${h.padEnd(width)}  # ${comment}`.trimEnd());
  out.push('```');
  const json = versionJson(f);
  if (json !== undefined) out.push('', 'The JSON text it carries:', '', '```json', json, '```');
  return out;
}

/** Width of 16 bytes written as spaced hex pairs. */
const HEX_COLUMN = 16 * 3 - 1;

/** The JSON text of a VERSION fixture (the body after the 4-byte version, without its NUL), if it has one. */
function versionJson(f: FixtureSpec): string | undefined {
  const version = commandByNumber(1);
  const body = f.message['kind'] === 'reply' ? version.reply : version.request;
  if (fixtureCmd(f) !== version.cmd || f.message['kind'] === 'error' || body.kind !== 'struct' || body.tail?.kind !== 'json') return undefined;
  const hexText = f.bytes.map(([, h]) => h).join('').replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(hexText)) return undefined;
  const bytes = Uint8Array.from(hexText.match(/../g) ?? [], (b) => parseInt(b, 16));
  const start = structLayout(header.name).size + structLayout(body.struct).fieldsEnd;
  if (bytes.length <= start) return undefined;
  const end = bytes[bytes.length - 1] === 0 ? bytes.length - 1 : bytes.length;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, end));
    return text.includes('```') ? undefined : text;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Where things are used

/** The capability structs of a region-info chain: every struct that starts with the capability header. */
function regionCapStructs(): string[] {
  const capHeader = 'vfio_info_cap_header';
  return [capHeader, ...structs.filter((s) => s.fields[0]?.type === 'struct' && s.fields[0].struct === capHeader).map((s) => s.name)];
}

/**
 * The messages whose body holds each struct or union, as text by name: the
 * body's struct and the structs of its tail, grouped by command.
 */
function structUses(): Map<string, string[]> {
  const uses = new Map<string, Map<string, string[]>>();
  const add = (name: string, where: string, message: string): void => {
    const byPlace = uses.get(name) ?? new Map<string, string[]>();
    const list = byPlace.get(where) ?? [];
    if (!list.includes(message)) list.push(message);
    byPlace.set(where, list);
    uses.set(name, byPlace);
  };
  const body = (b: BodySpec, where: string, message: string): void => {
    if (b.kind === 'empty') return;
    add(b.struct, where, message);
    const t = b.tail;
    if (t === undefined) return;
    const names = tailStructs(t);
    for (const n of names) add(n, where, message);
  };
  for (const c of [...commands].sort((a, b) => a.cmd - b.cmd)) {
    body(c.request, commandLink(c), 'request');
    body(c.reply, commandLink(c), 'reply');
  }
  for (const d of dialects) {
    for (const o of d.overrides) body(o.body, `${commandLink(commandByNumber(o.cmd))} (${link(`dialect ${d.name}`, githubSlug(dialectHeading(d.name)))})`, o.message);
  }
  const out = new Map<string, string[]>();
  for (const [name, byPlace] of uses) out.set(name, [...byPlace].map(([where, messages]) => `${where} ${messages.join(' and ')}`));
  return out;
}

/** The structs and unions that contain each struct, as a field, a flexible array element or a union member. */
function containers(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (inner: string, outer: string): void => {
    const list = out.get(inner) ?? [];
    if (!list.includes(outer)) list.push(outer);
    out.set(inner, list);
  };
  for (const s of structs) {
    for (const f of s.fields) if (f.type === 'struct' && f.struct !== undefined) add(f.struct, s.name);
    const e = flexStruct(s);
    if (e !== undefined) add(e, s.name);
  }
  for (const u of unions) for (const m of u.members) add(m.struct, u.name);
  return out;
}

/** Fields that hold each flag set or enumeration, as `struct.field`. */
function setUses(): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  for (const s of structs) {
    for (const f of s.fields) {
      for (const set of [f.flags, f.enum]) {
        if (set === undefined) continue;
        const list = uses.get(set) ?? [];
        list.push(`${structLink(s.name)}.${code(f.name)}`);
        uses.set(set, list);
      }
    }
  }
  return uses;
}

// ---------------------------------------------------------------------------
// The document

interface Heading {
  readonly level: number;
  readonly text: string;
}

class Doc {
  readonly lines: string[] = [];
  readonly headings: Heading[] = [];

  h(level: number, text: string): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
    this.lines.push(`${'#'.repeat(level)} ${text}`, '');
    this.headings.push({ level, text });
  }

  p(...lines: string[]): void {
    this.lines.push(...lines, '');
  }
}

function protocolDoc(): string {
  const d = new Doc();
  const sorted = [...commands].sort((a, b) => a.cmd - b.cmd);
  const known = new Set(sorted.map((c) => c.cmd));

  overview(d, sorted);
  headerSection(d, sorted);
  errorSection(d, sorted);
  capabilitiesSection(d);
  limitsSection(d);
  commandsSection(d, sorted);
  iommufdSection(d, sorted);
  structuresSection(d);
  setsSection(d);
  dialectsSection(d);
  interopSection(d);
  captureSection(d);
  errorCodesSection(d);
  const others = fixtures.filter((f) => {
    const cmd = fixtureCmd(f);
    return cmd === undefined || !known.has(cmd);
  });
  if (others.length > 0) {
    d.h(2, 'Other examples');
    d.p('Fixtures of the catalogue whose command number is not one of the commands above.');
    for (const f of others) d.p(...fixtureLines(f));
  }
  if (invalidFixtures.length > 0) {
    d.h(2, 'Invalid messages');
    d.p('Messages a decoder must refuse, each with the error code of this package it raises and the byte offset the error names. Inputs the fuzzer finds end up here once the decoder refuses them properly.');
    for (const f of invalidFixtures) {
      const width = Math.min(HEX_COLUMN, Math.max(0, ...f.bytes.map(([, h]) => h.length)));
      d.p(
        `${code(f.name)} (${f.fds} fd${f.fds === 1 ? '' : 's'}): ${esc(sentence(f.doc))} Refused with ${code(f.error.code)} at offset ${f.error.offset}.`,
        '',
        '```text',
        ...f.bytes.map(([comment, h]) => `${h.padEnd(width)}  # ${comment}`.trimEnd()),
        '```',
      );
    }
  }

  // Title and contents go first; anchors are assigned in document order.
  const title = 'The vfio-user protocol';
  const slugger = new Slugger();
  slugger.slug(title);
  slugger.slug('Contents');
  const toc: string[] = [];
  for (const h of d.headings) {
    const anchor = slugger.slug(h.text);
    if (h.level === 2) toc.push(`- ${link(h.text, anchor)}`);
    else if (h.level === 3) toc.push(`  - ${link(h.text, anchor)}`);
  }
  const head = [
    banner(GEN, 'md'),
    '',
    `# ${title}`,
    '',
    'This document describes the vfio-user protocol as the `vfio-user-protocol` package models it. It is generated from the',
    'package\'s specification data (spec/), the same data its codecs, C header, capabilities schema and fuzz corpus come',
    'from, so every offset, size and constant below is the one the codec uses.',
    '',
    'Conventions: offsets and sizes are in bytes. Every integer is little-endian; `u8`, `u16`, `u32` and `u64` are unsigned,',
    '`s32` is signed (two\'s complement). In a command\'s request and reply tables, offsets count from the start of the body,',
    'the first byte after the 16-byte header. The in/out column says who fills a field: "in" the sender of the command,',
    '"out" the side that replies, "in/out" both. Where a struct does not say, every field is filled by the side that',
    'sends the message it is in.',
    '',
    '## Contents',
    '',
    ...toc,
    '',
  ];
  const text = `${[...head, ...d.lines].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
  checkLinks(text);
  return text;
}

/** Throws when a `](#anchor)` link names no heading of the document. */
function checkLinks(text: string): void {
  const anchors = new Set<string>();
  const slugger = new Slugger();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^#{1,6} (.*)$/.exec(line);
    if (m !== null && m[1] !== undefined) anchors.add(slugger.slug(m[1]));
  }
  for (const m of text.matchAll(/\]\(#([^)]*)\)/g)) {
    if (m[1] === undefined || !anchors.has(m[1])) throw new Error(`docs: link to #${m[1] ?? ''} names no heading`);
  }
}

function overview(d: Doc, sorted: readonly CommandSpec[]): void {
  const version = commandByNumber(1);
  const serverCmds = sorted.filter((c) => c.sender === 'server');
  const dialect = dialects.find((x) => x.name === DEFAULT_DIALECT);
  d.h(2, 'Overview');
  d.p(
    'vfio-user carries the VFIO device interface of the Linux kernel over a socket, so that a device can be emulated in a',
    'process of its own. The **client** (a VMM such as QEMU) drives the device; the **server** emulates it. The server',
    'listens on a Unix-domain stream socket and the client connects to it.',
  );
  d.p(
    `Every message is a 16-byte ${link('header', A.header)} followed by a body whose layout depends on the command and on`,
    'whether the message is a command or a reply. Some messages also carry file descriptors beside the bytes, as',
    '`SCM_RIGHTS` ancillary data on the socket: the memory behind a DMA window, eventfds for interrupts, the fd of an',
    'mmap-able region, a second socket. The fds travel with the first bytes of their message, so a sender writes the',
    'header, the body and the fds in one `sendmsg` call. This package never touches a socket: a decoder is told how many',
    'fds arrived with a message and checks that number against the command\'s fd rule; moving the fds is the caller\'s job.',
  );
  d.p(
    `The client opens the conversation with ${commandLink(version)}, which settles the version and each side's`,
    `${link('capabilities', A.capabilities)}. Most commands then go from client to server;`,
    `${serverCmds.map(commandLink).join(' and ')} go the other way, so that the server can reach client memory that was`,
    'mapped without an fd. Every command is answered by exactly one reply with the same `msg_id` and `cmd`, unless the',
    `command has ${code('VFIO_USER_F_NO_REPLY')} set. A sender may have several commands outstanding; messages from the other`,
    'side may arrive in between a command and its reply.',
  );
  if (dialect !== undefined) {
    d.p(
      'Implementations do not always lay out a message the same way. Each message is decoded and encoded in the',
      `${link('dialect', A.dialects)} of the side that sent it. The default dialect, ${code(dialect.name)}, is the one the`,
      `command sections below describe. It follows ${esc(sentence(lowerFirst(dialect.doc)))}`,
    );
  }
}

function headerSection(d: Doc, sorted: readonly CommandSpec[]): void {
  const l = structLayout(header.name);
  d.h(2, 'Message header');
  d.p(`Every message, command or reply, starts with ${structLink(header.name)}, ${l.size} bytes; the body follows it.`);
  d.p(
    ...table(
      ['offset', 'size', 'type', 'field', 'meaning'],
      l.fields.map((f) => [String(f.offset), String(f.size), scalarTypeText(f.spec, f.size), code(f.name), fieldMeaning(f.spec)]),
    ),
  );
  const emptyRequests = sorted.filter((c) => c.request.kind === 'empty');
  d.p(
    `${code('msg_size')} counts the header too, so it is never below ${l.size}. A decoder refuses a ${code('msg_size')}`,
    `above ${limitRef('maxMessageSize')}. A command without a body (${code('msg_size')} ${l.size}) is valid only for`,
    `${emptyRequests.map(commandLink).join(', ')}; which replies are empty is given in each command's section.`,
  );
  headerFlags(d);
}

function headerFlags(d: Doc): void {
  const set = constSet('header_flags');
  d.h(3, 'Header flags');
  d.p(esc(sentence(set.doc)));
  d.p(...table(['name', 'value', 'meaning'], set.values.map((v) => [code(v.name), hex(v.value), esc(v.doc)])));
  d.p(
    'The type is the value of bits 0-3, not a set of bits: 0 is a command and 1 a reply; any other type is invalid, and so',
    `is ${code('VFIO_USER_F_ERROR')} on a command. A replier never echoes ${code('VFIO_USER_F_NO_REPLY')}.`,
  );
}

function errorSection(d: Doc, sorted: readonly CommandSpec[]): void {
  d.h(2, 'Error replies');
  d.p(
    `A reply with ${code('VFIO_USER_F_ERROR')} (0x20) says the command failed, and ${code('error_no')} holds a Linux errno`,
    `value; without the flag, ${code('error_no')} is 0. Some peers send 0 even in an error reply, so a decoder accepts`,
    `0 up to ${limitRef('maxErrorNo')} and rejects larger values.`,
  );
  d.p(
    'An error reply normally has no body. libvfio-user may still send one: when a device callback fails during',
    'REGION_READ or REGION_WRITE, the error reply carries the 16-byte access descriptor (and, for a read, the data',
    'area). A decoder therefore accepts any body on an error reply and returns it as raw bytes, uninterpreted.',
  );
  d.p(
    `A command with ${code('VFIO_USER_F_NO_REPLY')} gets no reply at all, neither on success nor on failure, so its sender`,
    'never learns about an error. libvfio-user answers an unknown command number with EINVAL; a bad VERSION gets EINVAL',
    'and the server then closes the connection. EINVAL is also the answer to almost every malformed message: a body',
    `shorter than its struct, an ${code('argsz')} too small, an unknown flag bit, an index out of range.`,
  );
  const used = new Map<string, CommandSpec[]>();
  for (const c of sorted) {
    for (const e of c.errors) {
      if (e.errno === 'any') continue;
      const list = used.get(e.errno) ?? [];
      if (!list.includes(c)) list.push(c);
      used.set(e.errno, list);
    }
  }
  const names = [...used.keys()].sort((a, b) => (errno[a] ?? 1e9) - (errno[b] ?? 1e9) || a.localeCompare(b));
  d.p('The errno values the command sections name:');
  d.p(
    ...table(
      ['errno', 'value', 'named by'],
      names.map((n) => {
        const list = used.get(n) ?? [];
        const rest = sorted.filter((c) => !list.includes(c));
        const by = list.length > sorted.length / 2 ? `every command but ${rest.map(commandLink).join(', ')}` : list.map(commandLink).join(', ');
        return [code(n), errnoNumber(n), by];
      }),
    ),
  );
}

interface CapRow {
  readonly path: string;
  readonly spec: CapabilitySpec;
  readonly origin: Origin | undefined;
}

function capRows(spec: CapabilitySpec, path: string, origin: Origin | undefined): CapRow[] {
  const own = spec.origin ?? origin;
  const rows: CapRow[] = [{ path, spec, origin: own }];
  for (const k of spec.keys ?? []) rows.push(...capRows(k, `${path}.${k.name}`, own));
  return rows;
}

function rangeText(spec: CapabilitySpec): string {
  if (spec.minimum !== undefined && spec.maximum !== undefined) return `${spec.minimum} to ${spec.maximum}`;
  if (spec.minimum !== undefined) return `≥ ${spec.minimum}`;
  if (spec.maximum !== undefined) return `≤ ${spec.maximum}`;
  return '';
}

function capabilitiesSection(d: Doc): void {
  const version = commandByNumber(1);
  d.h(2, 'Capabilities');
  d.p(
    `The body of a ${commandLink(version)} request or reply may end in a UTF-8 JSON text followed by one NUL byte. The`,
    `text is an object whose key ${code(capabilities.name)} holds the capabilities, themselves an object. Each value`,
    'describes what the **sender** can receive; the two sides do not settle on a common value. Every key is optional,',
    `and a missing key (or a missing ${code(capabilities.name)}) means the default. A receiver ignores keys it does not`,
    'know, at every level; a known key whose value has the wrong JSON type makes the whole VERSION invalid.',
  );
  d.p(`The same keys, as a JSON Schema (draft 2020-12), are in \`${SCHEMA_PATH}\`.`);
  const rows = capRows(capabilities, capabilities.name, capabilities.origin);
  d.p(
    ...table(
      ['key', 'type', 'default', 'range', 'meaning', 'origin'],
      rows.map((r) => [
        code(r.path),
        r.spec.type,
        r.spec.default === undefined ? '' : code(String(r.spec.default)),
        rangeText(r.spec),
        esc(r.spec.doc),
        r.origin === undefined ? '' : esc(CAPABILITY_ORIGIN[r.origin]),
      ]),
    ),
  );
}

function limitsSection(d: Doc): void {
  d.h(2, 'Limits');
  d.p(
    'Every length a decoder reads from the wire is bounded. Each bound is an option of the same name in the runtime\'s',
    '`Limits`, with the default below; a value above its limit is refused before any memory is set aside for it.',
  );
  d.p(...table(['limit', 'default', 'meaning', 'applies to', 'reference'], limits.map((l) => [code(l.name), String(l.default), esc(l.doc), limitScope(l), esc(l.ref)])));
  d.p(`One more fixed bound: a REGION_WRITE_MULTI entry carries at most ${WRITE_MULTI_DATA_MAX} bytes.`);
  d.h(3, 'Session limits');
  d.p(
    'What a peer can make a client or server of `vfio-user-protocol/session` hold, and how long it may take. Each is an',
    'option of the same name in `SessionLimits` (`sessionLimits` of the server and client options). A command refused by',
    'one is answered with the errno below and reported as `ERR_SESSION_LIMIT` naming the limit; the others pause',
    'reading (backpressure), close the connection or time out (`ERR_TIMEOUT`).',
  );
  d.p(
    ...table(
      ['limit', 'default', 'unit', 'side', 'errno', 'meaning', 'reference'],
      sessionLimits.map((l) => [code(l.name), String(l.default), l.unit, l.side, l.errno ?? '-', esc(l.doc), esc(l.ref)]),
    ),
  );
}

/** Whether a body applies the limit: by a check, or a limit its tail names. */
function bodyApplies(b: BodySpec, l: LimitSpec): boolean {
  if (b.kind !== 'struct') return false;
  if (b.checks?.some((c) => c.kind === 'limit' && c.limit === l.name) === true) return true;
  const t = b.tail;
  if (t === undefined) return false;
  return tailLimits(t).includes(l.name);
}

/** The commands whose bodies apply a limit, or what else it bounds. */
function limitScope(l: LimitSpec): string {
  const named = commands.filter((c) => c.status !== 'draft' && (bodyApplies(c.request, l) || bodyApplies(c.reply, l)));
  if (named.length > 0) return named.map(commandLink).join(', ');
  const global: Readonly<Record<string, string>> = {
    maxMessageSize: 'every message (msg_size)',
    maxMsgFds: 'every message (its fds)',
    maxErrorNo: 'every error reply',
    maxJsonBytes: 'the VERSION JSON',
    maxJsonDepth: 'the VERSION JSON',
  };
  const drafts = commands.filter((c) => bodyApplies(c.request, l) || bodyApplies(c.reply, l));
  const scope = global[l.name] ?? (drafts.length > 0 ? `${drafts.map(commandLink).join(', ')} (draft)` : undefined);
  if (scope === undefined) throw new Error(`docs: limit ${l.name} applies nowhere`);
  return scope;
}

function commandsSection(d: Doc, sorted: readonly CommandSpec[]): void {
  d.h(2, 'Commands');
  d.p('Every command number, in order. Each section below gives the request and the reply (offsets from the start of the body), the rules a decoder checks, the file descriptors, the errors a server answers with, and examples from the fixture catalogue.');
  d.p(...table(['#', 'command', 'sent by', 'status', 'purpose'], sorted.map((c) => [String(c.cmd), commandLink(c), c.sender, c.status, esc(c.doc)])));
  for (const c of sorted) commandSection(d, c);
}

/** Who must advertise the capability at `path` before a command that needs it may be sent. */
function negotiatedText(path: string): string {
  return path.startsWith('iommufd.') ? `both sides advertised ${code(path)} (else ${code('ERR_IOMMUFD_NOT_NEGOTIATED')})` : `the server advertised ${code(path)} (else ${code('ERR_NOT_ADVERTISED')})`;
}

function commandSection(d: Doc, c: CommandSpec): void {
  d.h(3, commandHeading(c));
  d.p(esc(sentence(c.doc)));
  d.p(
    `- Number: ${c.cmd}`,
    `- C name: ${code(c.name)}`,
    `- Sent by: the ${c.sender}`,
    `- Status: ${STATUS[c.status]}`,
    ...(c.negotiated === undefined ? [] : [`- Only after: ${negotiatedText(c.negotiated)}`]),
    `- Reference: ${esc(c.ref)}`,
  );
  const differing = dialects
    .map((x) => ({ name: x.name, messages: [...new Set(x.overrides.filter((o) => o.cmd === c.cmd).map((o) => o.message))] }))
    .filter((x) => x.messages.length > 0);
  if (differing.length > 0) {
    d.p(
      `Dialects: ${differing.map((x) => `the ${link(x.name, githubSlug(dialectHeading(x.name)))} dialect lays out the ${x.messages.join(' and the ')} differently`).join('; ')}.`,
    );
  }
  d.h(4, 'Request');
  d.p(...bodyLines(c.request, 'request'));
  d.h(4, 'Reply');
  d.p(...bodyLines(c.reply, 'reply'));
  d.h(4, 'File descriptors');
  d.p(`- Request: ${fdText(c.fds.request)}`, `- Reply: ${fdText(c.fds.reply)}`);
  d.h(4, 'Errors');
  if (c.errors.length === 0) d.p('None listed.');
  else d.p(...table(['errno', 'value', 'when'], c.errors.map((e) => [e.errno === 'any' ? 'any' : code(e.errno), e.errno === 'any' ? '' : errnoNumber(e.errno), esc(e.when)])));
  d.h(4, 'Examples');
  const mine = fixtures.filter((f) => fixtureCmd(f) === c.cmd);
  if (mine.length === 0) d.p('The fixture catalogue has no example of this command yet.');
  for (const f of mine) d.p(...fixtureLines(f));
}

function iommufdSection(d: Doc, sorted: readonly CommandSpec[]): void {
  const ext = sorted.filter((c) => c.status === 'iommufd');
  const drafts = sorted.filter((c) => c.status === 'draft');
  d.h(2, 'The iommufd extension');
  d.p(
    `This chapter specifies commands ${ext[0]?.cmd ?? ''}–${ext[ext.length - 1]?.cmd ?? ''}: I/O address spaces (IOAS) managed the way the`,
    'kernel\'s iommufd interface manages them, beside the legacy DMA_MAP and DMA_UNMAP, and a draft that goes beyond them.',
  );
  d.p(...ext.map((c) => `- ${commandLink(c)}: ${esc(sentence(c.doc))}`));
  for (const part of iommufdChapter) {
    d.h(3, part.title);
    for (const para of part.paragraphs) d.p(para);
    if (part.title.startsWith('Draft') && drafts.length > 0) {
      const key = capabilities.keys?.find((k) => k.origin === 'iommufd');
      const draftKeys = (key?.keys ?? []).filter((k) => k.origin === 'draft');
      d.p(
        'The draft commands and capability keys:',
        '',
        ...drafts.map((c) => `- ${commandLink(c)}: ${esc(sentence(c.doc))} Needs ${code(c.negotiated ?? '')}.`),
        ...draftKeys.map((k) => `- ${code(`${capabilities.name}.${key?.name ?? ''}.${k.name}`)}: ${esc(sentence(k.doc))}`),
      );
    }
  }
}

function structuresSection(d: Doc): void {
  const uses = structUses();
  const inner = containers();
  d.h(2, 'Structures');
  d.p(
    'Every struct that travels on the wire, with its C name and its fields\' C names in wire order. Offsets here count from',
    'the start of the struct. No struct has padding between fields; "packed" (`__attribute__((packed))`) therefore only',
    'changes the C alignment, never an offset.',
  );
  for (const s of structs) {
    const l = structLayout(s.name);
    d.h(3, s.name);
    d.p(esc(sentence(s.doc)));
    const layout = s.packed ? `packed, sizeof ${l.size}` : `not packed (C alignment ${l.align}), sizeof ${l.size}`;
    const tailPad = l.fieldsEnd === l.size ? '' : `; the fields end at ${l.fieldsEnd}, and C pads the struct to ${l.size}`;
    const items = [`- Origin: ${ORIGIN[s.origin]}`, `- Layout: ${layout}${tailPad}`];
    const u = s.name === header.name ? [`every message, in front of the body (see ${link('Message header', A.header)})`] : uses.get(s.name);
    const inside = inner.get(s.name);
    if (u !== undefined) items.push(`- Used by: ${u.join('; ')}`);
    if (inside !== undefined) items.push(`- Part of: ${inside.map(structLink).join(', ')}`);
    if (u === undefined && inside === undefined) items.push('- Used by: no message');
    items.push(`- Reference: ${esc(s.ref)}`);
    d.p(...items);
    const rows = fieldRows(s.name, '', 0);
    if (s.flex !== undefined && l.flexOffset !== null) {
      const e = s.flex.element;
      const type = typeof e === 'string' ? code(`${e}[]`) : 'struct' in e ? `${structLink(e.struct)}[]` : `${structLink(e.union)}[]`;
      rows.push({ offset: String(l.flexOffset), size: 'variable', type, field: code(`${s.flex.name}[]`), meaning: esc(s.flex.doc), dir: '' });
    }
    // The in/out column only where the spec says who fills a field.
    if (hasDir(s.name)) d.p(...table(ROW_HEAD, rows.map(rowCells)));
    else d.p(...table(ROW_HEAD.slice(0, 5), rows.map((r) => rowCells(r).slice(0, 5))));
  }
  for (const u of unions) {
    d.h(3, unionHeading(u.name));
    d.p(esc(sentence(u.doc)));
    const used = uses.get(u.name);
    d.p(`- Origin: ${ORIGIN[u.origin]}`, `- Size: ${unionSize(u.name)} (its largest member)`, ...(used === undefined ? [] : [`- Used by: ${used.join('; ')}`]));
    d.p(...table(['member', 'struct', 'size'], u.members.map((m) => [code(m.name), structLink(m.struct), String(structLayout(m.struct).size)])));
  }
}

function setsSection(d: Doc): void {
  const uses = setUses();
  d.h(2, 'Flag sets and enumerations');
  d.p('The values of every flags field (bits that combine, written in hex) and every enumerated field (values that exclude each other).');
  for (const set of constSets) {
    d.h(3, set.name);
    d.p(esc(sentence(set.doc)));
    const u = uses.get(set.name);
    d.p(
      `- Kind: ${set.kind === 'flags' ? 'flags (bits that combine)' : 'enumeration'}`,
      `- Origin: ${ORIGIN[set.origin]}`,
      `- Held by: ${u === undefined ? 'no field directly' : u.join(', ')}`,
    );
    const withOrigin = set.values.some((v) => v.origin !== undefined);
    const head = withOrigin ? ['name', 'value', 'meaning', 'origin'] : ['name', 'value', 'meaning'];
    const rows = set.values.map((v) => {
      const cmd = commands.find((c) => c.name === v.name);
      const name = cmd === undefined ? code(v.name) : commandLink(cmd);
      const value = set.kind === 'flags' ? hex(v.value) : String(v.value);
      const row = [name, value, esc(v.doc) + (v.holds === undefined ? '' : ` The bits under it hold a ${setLink(v.holds)}.`)];
      if (withOrigin) row.push(v.origin === undefined ? '' : v.origin);
      return row;
    });
    d.p(...table(head, rows));
  }
}

function dialectsSection(d: Doc): void {
  d.h(2, 'Dialects');
  d.p(
    'Where implementations write a message differently, the package keeps one layout per implementation. A message is',
    `decoded and encoded with the dialect of the side that sent it; without one, the ${code(DEFAULT_DIALECT)} dialect is used.`,
  );
  for (const x of dialects) {
    d.h(3, dialectHeading(x.name));
    d.p(esc(sentence(x.doc)));
    const facts = [`- ${code('max_msg_fds')} assumed for a peer that does not advertise it: ${x.defaultPeerMaxMsgFds}`];
    if (x.roles !== undefined) facts.push(`- Plays: ${x.roles.join(' and ')}`);
    if (x.lacks !== undefined) facts.push(`- Does not implement: ${x.lacks.commands.map((c) => commandLink(commandByNumber(c))).join(', ')} (${esc(x.lacks.evidence)})`);
    for (const f of x.flags ?? []) {
      facts.push(`- ${commandLink(commandByNumber(f.cmd))} ${code(f.field)} bits numbered otherwise: ${f.values.map((v) => `${code(v.name)} 0x${v.value.toString(16)} (the protocol's ${code(v.means)})`).join(', ')}`);
    }
    if ((x.reads ?? []).length > 0) facts.push(`- Reads some messages otherwise than its layout: see ${link('Interoperability', githubSlug('Interoperability'))}`);
    d.p(...facts);
    if (x.overrides.length === 0) {
      d.p('Overrides: none; every message has the layout of its command section.');
    } else {
      d.p('Overrides:');
      d.p(...table(['command', 'message', 'difference'], x.overrides.map((o) => [commandLink(commandByNumber(o.cmd)), o.message, esc(o.doc)])));
      for (const o of x.overrides) {
        const c = commandByNumber(o.cmd);
        d.h(4, `${x.name}: ${c.name} ${o.message}`);
        d.p(esc(sentence(o.doc)));
        d.p(...bodyLines(o.body, o.message));
      }
    }
    if (x.evidence.length > 0) {
      d.p('Evidence:');
      d.p(...x.evidence.map((e) => `- ${esc(e)}`));
    }
  }
}

/** Heading of the Interoperability matrix; test/interop-doc.test.ts finds the table under it. */
export const INTEROP_MATRIX_HEADING = 'What the receiver does';

function interopSection(d: Doc): void {
  d.h(2, 'Interoperability');
  d.p(
    'What one implementation does with a message another one wrote, where their layouts or their reading differ. It is',
    'computed from the dialects above by the code the conversation checker runs (`src/interop.ts`): the sender writes a',
    'sample message in its layout, and the receiver reads it with its read rule (what it checks, the errno it answers,',
    'where it takes each field), or without one with its own layout, exactly. The receiver either accepts the message as',
    `meant, refuses it (the checker reports ${code('ERR_INTEROP_REFUSED')}), or accepts it and reads other values than were`,
    `meant (${code('ERR_INTEROP_MISREAD')}): silent corruption, worse than a refusal. Offsets are message offsets, header included.`,
  );
  d.h(3, INTEROP_MATRIX_HEADING);
  const rows = interopMatrix(interopSamples);
  const sideOf = (cmd: number, message: 'request' | 'reply'): string => {
    const sender = commandByNumber(cmd).sender;
    return message === 'request' ? sender : sender === 'client' ? 'server' : 'client';
  };
  d.p(
    ...table(
      ['sender', 'receiver', 'message', 'sample', 'the receiver'],
      rows.map((r) => [
        `${code(r.sender)} (${sideOf(r.cmd, r.message)})`,
        code(r.receiver),
        `${commandLink(commandByNumber(r.cmd))} ${r.message}`,
        esc(r.sample),
        esc(describeVerdict(r.verdict)),
      ]),
    ),
  );
  d.h(3, 'How each implementation reads');
  const reads = dialects.flatMap((x) => (x.reads ?? []).map((r) => ({ x, r })));
  d.p(
    ...table(
      ['dialect', 'message', 'checks, in order', 'fields it reads (body offset)', 'evidence'],
      reads.map(({ x, r }) => [
        code(x.name),
        `${commandLink(commandByNumber(r.cmd))} ${r.message}`,
        r.checks.map((c) => `${esc(c.why)}: ${code(c.errno)}`).join('; '),
        r.fields.map((f) => `${code(f.name)} ${f.type} at ${f.at}${f.length === undefined ? '' : ` (length ${code(f.length)})`}`).join(', '),
        esc(r.evidence),
      ]),
    ),
  );
  d.h(3, 'What each implementation checks');
  d.p('Checks beyond the protocol\'s own rules; the checker reports a message that fails one as `ERR_INTEROP_REFUSED`.');
  for (const x of dialects) {
    const v = x.versionReply;
    const lines: string[] = [];
    if (v !== undefined) {
      lines.push(`- VERSION reply: minor at most ${v.maxMinor}${v.jsonRequired ? '; the capabilities JSON is required' : ''}.`);
      for (const m of v.maxima) lines.push(`- ${code(m.path)} at most ${m.max}.`);
      for (const m of v.multiples) lines.push(`- ${code(m.path)} a multiple of ${m.of}.`);
      lines.push(`- Evidence: ${esc(v.evidence)}.`);
    }
    for (const m of x.replyMaxima ?? []) lines.push(`- ${commandLink(commandByNumber(m.cmd))} reply: ${code(m.field)} at most ${m.max}, else ${code(m.errno)} (${esc(m.evidence)}).`);
    if (x.serves !== undefined) {
      lines.push(
        `- Server commands it serves: ${x.serves.commands.map((c) => commandLink(commandByNumber(c))).join(', ')}; any other is answered ${code(x.serves.unknownErrno)}, and one that carries fds ${code(x.serves.fdsErrno)} (${esc(x.serves.evidence)}).`,
      );
    }
    for (const e of x.dmaErrors ?? []) lines.push(`- DMA answered ${code(e.errno)}: ${esc(e.when)}.`);
    if (x.errorRepliesToNoReply === true) lines.push('- It sends error replies to commands sent with NO_REPLY: only its success path honours the flag.');
    for (const r of x.serverRefuses ?? []) lines.push(`- As a server, ${code(r.errno)}: ${esc(r.why)} (${esc(r.evidence)}).`);
    if (x.iommufdErrnos !== undefined) {
      const e = x.iommufdErrnos;
      const name = (n: string): string => commandLink(commands.find((c) => c.name === n)!);
      lines.push(`- As a server, a second ${name('VFIO_USER_IOMMUFD_BIND')} is ${code(e.bindAgain)} and ${name('VFIO_USER_IOMMUFD_DESTROY_IOAS')} of the attached IOAS ${code(e.destroyAttached)} (${esc(e.evidence)}).`);
    }
    if (lines.length === 0) continue;
    d.p(`${code(x.name)}:`);
    d.p(...lines);
  }
  d.h(3, 'Behaviours');
  d.p('What each implementation does that the wire shows and the others do otherwise.');
  const behaviourRows: string[][] = [];
  for (const x of dialects) {
    if (x.version?.client !== undefined) behaviourRows.push([code(x.name), 'version', `Its client proposes ${x.version.client.join('.')}.`, '']);
    if (x.version?.server !== undefined) behaviourRows.push([code(x.name), 'version', `Its server answers ${x.version.server.join('.')}.`, '']);
    if (x.resetMigrationState !== undefined && x.behaviours?.some((b) => b.key === 'reset-migration-state') !== true) {
      behaviourRows.push([code(x.name), 'reset-migration-state', x.resetMigrationState === 'running' ? 'DEVICE_RESET returns the migration state to RUNNING.' : 'DEVICE_RESET leaves the migration state as it is.', '']);
    }
    for (const b of x.behaviours ?? []) behaviourRows.push([code(x.name), code(b.key), esc(b.doc), esc(b.evidence)]);
  }
  d.p(...table(['dialect', 'behaviour', 'what it does', 'evidence'], behaviourRows));
}

function captureSection(d: Doc): void {
  d.h(2, 'Capturing traffic');
  for (const part of captureChapter) {
    d.h(3, part.title);
    for (const para of part.paragraphs) d.p(para);
    if (part.title === 'Wireshark') {
      d.p('The pseudo-header:');
      d.p(...table(['offset', 'size', 'field', 'meaning'], pcapngPseudoHeader.map((r) => [String(r.offset), String(r.size), code(r.field), r.meaning])));
    }
  }
}

function errorCodesSection(d: Doc): void {
  d.h(2, 'Error codes of this package');
  d.p(
    'The package raises errors from one closed set: the decoders and encoders the first five classes (`VfioUserError`), the',
    'session layer the `session` class (`VfioUserSessionError`). Each error has a stable `code`, belongs to one class, and',
    'names the errno a server answers the offending message with. Tests and callers match on the code, never on the text.',
  );
  const classes: Record<string, string> = {
    truncated: 'more bytes are needed; the bytes so far are not wrong',
    invalid: 'the bytes are wrong',
    limit: 'a length from the wire exceeds a configured limit',
    encode: 'a value cannot be encoded',
    protocol: 'a rule of the conversation is broken',
    session: 'a request or connection of a client or server failed',
  };
  const order = [...new Set(errorCodes.map((e) => e.class as string))];
  d.p(...table(['class', 'meaning'], order.map((c) => [code(c), classes[c] ?? ''])));
  d.p(...table(['code', 'class', 'errno', 'meaning'], errorCodes.map((e) => [code(e.code), code(e.class), `${code(e.errno)} (${errnoNumber(e.errno)})`, esc(e.doc)])));
}

/**
 * The code of the variable tails, generated from their declarations in
 * spec/ (spec/tails.ts and the bodies of spec/commands.ts and
 * spec/dialects.ts): TS types, decoder and encoder statements for the body
 * codecs of generated/ts/messages.ts, and the helpers they share. Only the
 * VERSION JSON and the walk of a capability chain are hand-written
 * (src/tails.ts); this module calls them.
 */
import { commands } from '../spec/commands.js';
import { constSets } from '../spec/constants.js';
import { dialects } from '../spec/dialects.js';
import type { BodySpec, CapabilityCaseSpec, CheckSpec, InnerTailSpec, PayloadCaseSpec, TailLength, TailSpec } from '../spec/types.js';
import { structLayout, unionSpec, type FieldLayout, type StructLayout } from './layout.js';
import { inlineWriteStmts, readExpr, readStructExpr, writeStmts } from './ts.js';

type Select = Extract<TailSpec, { kind: 'select' }>;
type Chain = Extract<TailSpec, { kind: 'chain' }>;
type Optional = Extract<TailSpec, { kind: 'optional' }>;

/** What a message-level tail follows: its command, struct and C tail padding. */
export interface TailContext {
  readonly cmd: number;
  readonly struct: string;
  readonly l: StructLayout;
  /** C tail padding written after a bytes tail (QEMU's VFIOUserDMARW). */
  readonly P: number;
}

// ---------------------------------------------------------------------------
// Lookups

/** The value of a constant named in spec/constants.ts. */
export function constValue(name: string): number {
  for (const set of constSets) {
    for (const c of set.values) if (c.name === name) return c.value;
  }
  throw new Error(`spec: unknown constant ${name}`);
}

function hex(x: number): string {
  return `0x${(x >>> 0).toString(16)}`;
}

/** A field of a struct by a dotted path (`bitmap.size`): its offset from the struct's start and its layout. */
function fieldAt(l: StructLayout, path: string): { offset: number; f: FieldLayout } {
  const [head, ...rest] = path.split('.');
  const f = l.fields.find((x) => x.name === head);
  if (f === undefined) throw new Error(`spec: no field ${l.name}.${path}`);
  if (rest.length === 0) return { offset: f.offset, f };
  if (f.spec.type !== 'struct' || f.spec.struct === undefined) throw new Error(`spec: ${l.name}.${head} is not a struct`);
  const inner = fieldAt(structLayout(f.spec.struct), rest.join('.'));
  return { offset: f.offset + inner.offset, f: inner.f };
}

/** The JS expression of a field by a dotted path, the top level held in locals named `prefix + name`. */
function fieldExpr(prefix: string, path: string): string {
  const [head, ...rest] = path.split('.');
  return [`${prefix}${head!.replace(/^_+/, '')}`, ...rest].join('.');
}

/** A u64 field's value as a number (exact once the limit has been checked). */
function asNumber(f: FieldLayout, x: string): string {
  return f.spec.type === 'u64' ? `Number(${x})` : x;
}

function elementSize(of: string): number[] {
  if (isUnion(of)) return unionSpec(of).members.map((m) => structLayout(m.struct).size);
  return [structLayout(of).size];
}

function isUnion(name: string): boolean {
  try {
    unionSpec(name);
    return true;
  } catch {
    return false;
  }
}

/** Every tail the spec declares, message bodies of every dialect included. */
export function allTails(): TailSpec[] {
  const bodies: BodySpec[] = [];
  for (const c of commands) bodies.push(c.request, c.reply);
  for (const d of dialects) for (const o of d.overrides) bodies.push(o.body);
  const out: TailSpec[] = [];
  for (const b of bodies) if (b.kind === 'struct' && b.tail !== undefined) out.push(b.tail);
  return out;
}

/** The payload cases of every select of a type, each kind once (first declaration wins), in declaration order. */
function selectCases(type: string): PayloadCaseSpec[] {
  const byKind = new Map<string, PayloadCaseSpec>();
  for (const t of allTails()) {
    if (t.kind !== 'select' || t.type !== type) continue;
    for (const c of t.cases) if (!byKind.has(c.kind)) byKind.set(c.kind, c);
  }
  return [...byKind.values()];
}

function uniqueBy<T>(xs: readonly T[], key: (x: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const x of xs) if (!seen.has(key(x))) seen.set(key(x), x);
  return [...seen.values()];
}

// ---------------------------------------------------------------------------
// Types

function innerType(t: InnerTailSpec): string {
  return t.kind === 'bytes' ? 'Uint8Array' : arrayType(t.of);
}

function arrayType(of: string): string {
  return isUnion(of) ? unionSpec(of).members.map((m) => `${m.struct}[]`).join(' | ') : `${of}[]`;
}

/** The members a tail adds to a body's interface. */
export function tailMembers(t: TailSpec): string[] {
  switch (t.kind) {
    case 'bytes':
      return [`  /** ${t.doc} (a view into the input) */`, `  ${t.name}: Uint8Array;`];
    case 'array':
      return [`  /** ${t.doc} */`, `  ${t.name}: ${arrayType(t.of)};`];
    case 'optional':
      return [`  /** ${t.doc} Null without ${t.when.flag}. */`, `  ${t.name}: ${t.type ?? t.struct} | null;`];
    case 'select':
      return [`  /** ${t.doc} */`, `  ${t.name}: ${t.type};`];
    case 'chain':
      return [`  /** ${t.doc} */`, `  ${t.name}: ${t.type}[];`];
    case 'json':
      return [
        `  /** ${t.doc} The JSON text without its NUL (a view into the input); empty when absent. */`,
        `  ${t.name}: Uint8Array;`,
        '  /** The parsed JSON; null when absent. Encoding writes `data`, not this. */',
        '  json: VersionJson | null;',
      ];
  }
}

/** The named types the tails declare: optional structs with their tails, payload unions, capabilities. */
export function tailTypes(): string[] {
  const out: string[] = [];
  for (const t of uniqueBy(allTails().filter((x): x is Optional => x.kind === 'optional' && x.type !== undefined), (x) => x.type!)) {
    const then = t.then!;
    out.push(`/** ${t.struct} with ${then.name}: ${t.doc} */`, `export interface ${t.type} extends ${t.struct} {`, `  /** ${then.doc} */`, `  ${then.name}: ${innerType(then)};`, '}', '');
  }
  for (const type of uniqueBy(allTails().filter((x): x is Select => x.kind === 'select'), (x) => x.type).map((x) => x.type)) {
    out.push(`/** A payload chosen by the fields before it; anything no case takes is kept raw. */`, `export type ${type} =`);
    for (const c of selectCases(type)) {
      out.push(`  /** ${c.doc} */`);
      const parts = [`{ kind: '${c.kind}' }`];
      if (c.struct !== undefined) parts.push(c.struct);
      if (c.then !== undefined) parts.push(`{ ${c.then.name}: ${innerType(c.then)} }`);
      out.push(`  | (${parts.join(' & ')})`);
    }
    out.push('  /** Any other payload, kept as bytes (a view into the input). */', "  | { kind: 'raw'; bytes: Uint8Array };", '');
  }
  for (const t of uniqueBy(allTails().filter((x): x is Chain => x.kind === 'chain'), (x) => x.type)) {
    out.push(`/** The header every capability starts with (${t.header}). */`, `export type ${t.headerType} = ${t.header};`, '');
    for (const c of t.cases) {
      out.push(`/** ${c.doc} */`);
      if (c.struct === undefined) {
        out.push(`export interface ${c.type} {`, `  kind: '${c.kind}';`, `  header: ${t.headerType};`, '}', '');
      } else {
        out.push(`export interface ${c.type} extends ${c.struct} {`, `  kind: '${c.kind}';`);
        if (c.then !== undefined) out.push(`  /** ${c.then.doc} */`, `  ${c.then.name}: ${innerType(c.then)};`);
        out.push('}', '');
      }
    }
    const raw = rawCapType(t);
    out.push('/** A capability this package does not know: its header and the bytes up to the next capability. */');
    out.push(`export interface ${raw} {`, "  kind: 'raw';", `  header: ${t.headerType};`, '  /** The bytes after the header (a view into the input). */', '  data: Uint8Array;', '}', '');
    out.push(`/** ${t.doc} One capability, in chain order. */`, `export type ${t.type} = ${[...t.cases.map((c) => c.type), raw].join(' | ')};`, '');
  }
  return out;
}

function rawCapType(t: Chain): string {
  return t.type.replace(/Cap$/, '') === t.type ? `Raw${t.type}` : `Raw${t.type.slice(t.type.length - 3)}`;
}

// ---------------------------------------------------------------------------
// Decoding

/**
 * The check of a value against a limit of the options, compared inline: only the throwing is a call.
 * `guard`, when given, must hold too (a condition the limit applies under).
 */
export function limitCheck(name: string, value: string, offset: string, cmd: number, guard?: string): string {
  const test = `${value} > opt.limits.${name}`;
  return `if (${guard === undefined ? test : `${guard} && ${test}`}) limitExceeded('${name}', opt.limits.${name}, ${value}, ${offset}, ${cmd});`;
}

/** The check that a u64 page size is a power of two, tested inline: only the throwing is a call. */
export function powerOfTwoCheck(value: string, field: string, offset: string, cmd: number): string {
  return `if (!isPowerOfTwo(${value})) notPowerOfTwo(${value}, '${field}', ${offset}, ${cmd});`;
}

/** Statements computing `lenVar` from a TailLength of a field (after its limit check). */
function lengthField(l: StructLayout, path: string): { offset: number; f: FieldLayout } {
  return fieldAt(l, path);
}

function checkStmt(cmd: number, struct: string, l: StructLayout, c: CheckSpec, prefix: string, base: string, k: number, parentPrefix: string): string {
  const at = (field: string): string => `${base} + ${k + fieldAt(l, field).offset} - m0`;
  switch (c.kind) {
    case 'limit':
      return limitCheck(c.limit, fieldExpr(prefix, c.field), at(c.field), cmd);
    case 'power-of-two':
      return powerOfTwoCheck(fieldExpr(prefix, c.field), `${struct}.${c.field}`, at(c.field), cmd);
    case 'bitmap-size': {
      const x = fieldExpr(prefix, c.field);
      const len = fieldExpr(parentPrefix, c.length);
      const pg = fieldExpr(prefix, c.pageSize);
      return `if (!isBitmapSize(${x}, ${len}, ${pg})) badBitmapSize(${cmd}, '${struct}.${c.field}', ${x}, bitmapBytes(${len}, ${pg}), ${at(c.field)});`;
    }
    default:
      throw new Error(`spec: check ${c.kind} is not supported inside a tail`);
  }
}

/** Local declarations of every field of `l` read at `base`, named `prefix + name`. */
function readLocals(l: StructLayout, prefix: string, base: string, k = 0): string[] {
  return l.fields.map((f) => `const ${prefix}${f.name.replace(/^_+/, '')} = ${readExpr({ ...f, offset: f.offset + k }, base)};`);
}

function objectOf(l: StructLayout, prefix: string): string[] {
  return l.fields.map((f) => `${f.name}: ${prefix}${f.name.replace(/^_+/, '')}`);
}

/** Statements that read an array of `cnt` elements of `of` at `at` into `arr` (the caller checked the bytes). */
function readArray(of: string, cnt: string, at: string, arr: string): string[] {
  const E = structLayout(of).size;
  return [`const ${arr}: ${of}[] = new Array(${cnt});`, `for (let i = 0; i < ${cnt}; i++) ${arr}[i] = ${readStructExpr(of, `${at} + i * ${E}`)};`];
}

/**
 * Decoder statements of a message-level tail (2-space indent), and the
 * members it adds to the decoded body.
 */
export function tailDecode(ctx: TailContext, t: TailSpec): { stmts: string[]; members: string[] } {
  const { cmd, struct, l, P } = ctx;
  const S = l.fieldsEnd;
  const out: string[] = [];
  const local = (name: string): string => fieldExpr('f_', name);
  switch (t.kind) {
    case 'bytes': {
      const len = t.length;
      if (len === 'rest') return { stmts: [], members: [`${t.name}: view(v, o + ${S}, n - ${S})`] };
      if ('fixed' in len) {
        out.push(`  if (n !== ${S + len.fixed}) bodyLong(${cmd}, ${S + len.fixed}, n, o + ${S + len.fixed} - m0);`);
        return { stmts: out, members: [`${t.name}: view(v, o + ${S}, ${len.fixed})`] };
      }
      if ('bitmap' in len) {
        const lf = lengthField(l, len.bitmap.length);
        const pf = lengthField(l, len.bitmap.pageSize);
        const pg = local(len.bitmap.pageSize);
        out.push(`  ${powerOfTwoCheck(pg, `${struct}.${len.bitmap.pageSize}`, `o + ${pf.offset} - m0`, cmd)}`);
        out.push(`  const want = bitmapBytes(${local(len.bitmap.length)}, ${pg});`);
        if (t.limit !== undefined) out.push(`  ${limitCheck(t.limit, 'want', `o + ${lf.offset} - m0`, cmd)}`);
        out.push(`  if (BigInt(n - ${S}) !== want) tailLength(${cmd}, '${struct}.${len.bitmap.length} / ${len.bitmap.pageSize}', want, n - ${S}, o + ${pf.offset} - m0);`);
        return { stmts: out, members: [`${t.name}: view(v, o + ${S}, n - ${S})`] };
      }
      const { f: lf, offset: lo } = lengthField(l, len.field);
      const lv = local(len.field);
      if (t.limit !== undefined) out.push(`  ${limitCheck(t.limit, lv, `o + ${lo} - m0`, cmd)}`);
      // A u64 length is below the limit here, so it converts exactly.
      let count = asNumber(lf, lv);
      if (t.when !== undefined) count = `(${local(t.when.field)} & ${hex(constValue(t.when.flag))}) !== 0 ? ${count} : 0`;
      out.push(`  const len = ${count};`);
      const field = `'${struct}.${len.field}'`;
      if (t.atLeast === true) {
        out.push(`  if (n < ${S} + len) tailLength(${cmd}, ${field}, len, n - ${S}, o + ${lo} - m0);`);
        return { stmts: out, members: [`${t.name}: view(v, o + ${S}, n - ${S})`] };
      }
      if (P > 0) {
        out.push(`  if (n !== ${S + P} + len) tailLength(${cmd}, ${field}, len, n - ${S + P}, o + ${lo} - m0);`);
        out.push(`  zeroPad(v, o + ${S} + len, ${P}, ${cmd}, o + ${S} + len - m0);`);
      } else {
        out.push(`  if (n !== ${S} + len) tailLength(${cmd}, ${field}, len, n - ${S}, o + ${lo} - m0);`);
      }
      return { stmts: out, members: [`${t.name}: view(v, o + ${S}, len)`] };
    }
    case 'array': {
      const { f: lf, offset: lo } = lengthField(l, t.length.field);
      const cnt = local(t.length.field);
      const field = `'${struct}.${t.length.field}'`;
      if (t.limit !== undefined) out.push(`  ${limitCheck(t.limit, cnt, `o + ${lo} - m0`, cmd)}`);
      if (isUnion(t.of)) {
        // The member is told by the stride: the bytes present over the count.
        const members = unionSpec(t.of).members.map((m) => ({ struct: m.struct, size: structLayout(m.struct).size }));
        out.push(`  let arr: ${arrayType(t.of)} = [];`);
        out.push(`  if (n !== ${S}${t.omittable === true ? '' : ` || ${asNumber(lf, cnt)} !== 0`}) {`);
        out.push(`    const cnt = ${asNumber(lf, cnt)};`);
        out.push(`    if (cnt === 0) bodyLong(${cmd}, ${S}, n, o + ${S} - m0);`);
        out.push(`    const stride = (n - ${S}) / cnt;`);
        members.forEach((m, i) => {
          out.push(`    ${i === 0 ? '' : '} else '}if (stride === ${m.size}) {`);
          out.push(...readArray(m.struct, 'cnt', `o + ${S}`, 'a').map((x) => `      ${x}`));
          out.push('      arr = a;');
        });
        out.push(`    } else {`, `      badStride(${cmd}, '${struct}.${t.name}', n - ${S}, cnt, [${members.map((m) => m.size).join(', ')}], o + ${S} - m0);`, '    }', '  }');
        return { stmts: out, members: [`${t.name}: arr`] };
      }
      const E = structLayout(t.of).size;
      out.push(`  const cnt = ${t.omittable === true ? `n === ${S} ? 0 : ` : ''}${asNumber(lf, cnt)};`);
      out.push(`  if (n !== ${S} + cnt * ${E}) tailLength(${cmd}, ${field}, cnt * ${E}, n - ${S}, o + ${lo} - m0);`);
      out.push(`  const arr: ${t.of}[] = new Array(cnt);`);
      out.push('  for (let i = 0; i < cnt; i++) {');
      out.push(`    const e = ${readStructExpr(t.of, `o + ${S} + i * ${E}`)};`);
      if (t.elementMax !== undefined) {
        const ef = fieldAt(structLayout(t.of), t.elementMax.field);
        out.push(`    if (e.${t.elementMax.field} > ${t.elementMax.max}) tailLength(${cmd}, '${t.of}.${t.elementMax.field}', e.${t.elementMax.field}, ${t.elementMax.max}, o + ${S} + i * ${E} + ${ef.offset} - m0);`);
      }
      out.push('    arr[i] = e;', '  }');
      return { stmts: out, members: [`${t.name}: arr`] };
    }
    case 'optional': {
      const tl = structLayout(t.struct);
      const T = tl.size;
      const type = t.type ?? t.struct;
      out.push(`  let x: ${type} | null = null;`);
      out.push(`  if ((${local(t.when.field)} & ${hex(constValue(t.when.flag))}) === 0) {`);
      out.push(`    if (n !== ${S}) bodyLong(${cmd}, ${S}, n, o + ${S} - m0);`);
      out.push('  } else {');
      out.push(`    if (n < ${S + T}) bodyShort(${cmd}, ${S + T}, n, o - m0);`);
      out.push(...readLocals(tl, 't_', 'o', S).map((x) => `    ${x}`));
      for (const c of t.checks ?? []) out.push(`    ${checkStmt(cmd, t.struct, tl, c, 't_', 'o', S, 'f_')}`);
      const fields = objectOf(tl, 't_');
      const then = t.then;
      if (then === undefined) {
        out.push(`    if (n !== ${S + T}) bodyLong(${cmd}, ${S + T}, n, o + ${S + T} - m0);`);
        if (t.argszRoom !== undefined) {
          const rf = fieldAt(tl, t.argszRoom).f;
          out.push(`    const room = ${S + T} + ${asNumber(rf, fieldExpr('t_', t.argszRoom))};`);
          out.push(`    if (${local('argsz')} < room) badArgsz(${cmd}, '${struct}.argsz', ${local('argsz')}, room, o - m0);`);
        }
        out.push(`    x = { ${fields.join(', ')} };`);
      } else {
        if (then.kind !== 'bytes' || then.length === 'rest' || !('field' in then.length)) throw new Error('spec: an optional struct is followed only by bytes its field counts');
        const { f: lf, offset: lo } = fieldAt(tl, then.length.field);
        out.push(`    const len = ${asNumber(lf, fieldExpr('t_', then.length.field))};`);
        out.push(`    if (n !== ${S + T} + len) tailLength(${cmd}, '${t.struct}.${then.length.field}', len, n - ${S + T}, o + ${S + lo} - m0);`);
        out.push(`    x = { ${[...fields, `${then.name}: view(v, o + ${S + T}, len)`].join(', ')} };`);
      }
      out.push('  }');
      return { stmts: out, members: [`${t.name}: x`] };
    }
    case 'select':
      return selectDecode(ctx, t);
    case 'chain': {
      const flagAt = fieldAt(l, t.when.field).offset;
      void flagAt;
      out.push(`  const caps = walkChain(v, o, n, (${local(t.when.field)} & ${hex(constValue(t.when.flag))}) !== 0, ${local(t.offsetField)}, m0, opt, opt.limits.${t.limit}, CHAIN_${t.type});`);
      return { stmts: out, members: [`${t.name}: caps`] };
    }
    case 'json':
      // The text without its NUL; the NUL and the JSON are checked by decodeJsonTail.
      out.push(`  const len = n - ${S};`, `  const text = view(v, o + ${S}, len === 0 ? 0 : len - 1);`);
      return { stmts: out, members: [`${t.name}: text`, `json: decodeJsonTail(v, o + ${S}, len, text, o + ${S} - m0, opt)`] };
  }
}

function selectDecode(ctx: TailContext, t: Select): { stmts: string[]; members: string[] } {
  const { cmd, struct, l } = ctx;
  const S = l.fieldsEnd;
  const out: string[] = [`  const p = o + ${S};`, `  const pn = n - ${S};`];
  // Each (field, mask) a case tests, computed once.
  const tests = new Map<string, string>();
  for (const c of t.cases) {
    for (const w of c.when) {
      const key = `${w.field}&${w.mask.join('|')}`;
      if (!tests.has(key)) {
        const name = `w${tests.size}`;
        tests.set(key, name);
        out.push(`  const ${name} = f_${w.field} & ${hex(w.mask.reduce((m, x) => m | constValue(x), 0))};`);
      }
    }
  }
  const field = `'${struct}.${t.name}'`;
  out.push(`  let d: ${t.type};`);
  t.cases.forEach((c, i) => {
    const cond = c.when
      .map((w) => {
        const name = tests.get(`${w.field}&${w.mask.join('|')}`)!;
        const alts = w.is.map((x) => `${name} === ${hex(constValue(x))}`);
        return alts.length === 1 ? alts[0]! : `(${alts.join(' || ')})`;
      })
      .join(' && ');
    out.push(`  ${i === 0 ? '' : '} else '}if (${cond}) {`);
    out.push(...payloadDecode(cmd, field, c).map((x) => `    ${x}`));
  });
  out.push('  } else {', "    d = { kind: 'raw', bytes: view(v, p, pn) };", '  }');
  return { stmts: out, members: [`${t.name}: d`] };
}

/** Statements decoding one payload case at `p` (`pn` bytes) into `d`. */
function payloadDecode(cmd: number, field: string, c: PayloadCaseSpec): string[] {
  if (c.struct === undefined) {
    if (c.then !== undefined) throw new Error('spec: a payload without a struct has no tail');
    return [`if (pn !== 0) badPayload(${cmd}, ${field}, pn, 0, p - m0);`, `d = { kind: '${c.kind}' };`];
  }
  const l = structLayout(c.struct);
  const T = l.size;
  const out: string[] = [];
  const fields = objectOf(l, 'q_');
  const then = c.then;
  if (then === undefined) {
    out.push(`if (pn !== ${T}) badPayload(${cmd}, ${field}, pn, ${T}, p - m0);`, ...readLocals(l, 'q_', 'p'));
    out.push(`d = { kind: '${c.kind}', ${fields.join(', ')} };`);
    return out;
  }
  if (then.kind === 'bytes' && then.length !== 'rest' && 'fixed' in then.length) {
    out.push(`if (pn !== ${T + then.length.fixed}) badPayload(${cmd}, ${field}, pn, ${T + then.length.fixed}, p - m0);`, ...readLocals(l, 'q_', 'p'));
  } else {
    out.push(`if (pn < ${T}) badPayload(${cmd}, ${field}, pn, ${T}, p - m0);`, ...readLocals(l, 'q_', 'p'));
  }
  if (c.replyBitmap !== undefined) {
    const r = c.replyBitmap;
    const pg = fieldExpr('q_', r.pageSize);
    // The reply's bitmap is sized by this request: one that could not be received is refused here already.
    out.push(limitCheck(r.limit, `bitmapBytes(${fieldExpr('q_', r.length)}, ${pg})`, `p + ${fieldAt(l, r.length).offset} - m0`, cmd, `isPowerOfTwo(${pg})`));
  }
  let member: string;
  if (then.kind === 'array') {
    const { f: lf, offset: lo } = fieldAt(l, then.length.field);
    const cnt = fieldExpr('q_', then.length.field);
    const E = structLayout(then.of).size;
    if (then.limit !== undefined) out.push(limitCheck(then.limit, cnt, `p + ${lo} - m0`, cmd));
    out.push(`const cnt = ${asNumber(lf, cnt)};`);
    out.push(`if (pn !== ${T} + cnt * ${E}) tailLength(${cmd}, '${c.struct}.${then.length.field}', cnt * ${E}, pn - ${T}, p + ${lo} - m0);`);
    out.push(...readArray(then.of, 'cnt', `p + ${T}`, 'arr'));
    member = `${then.name}: arr`;
  } else {
    const len = then.length;
    if (len === 'rest') {
      member = `${then.name}: view(v, p + ${T}, pn - ${T})`;
    } else if ('fixed' in len) {
      member = `${then.name}: view(v, p + ${T}, ${len.fixed})`;
    } else if ('bitmap' in len) {
      const pg = fieldExpr('q_', len.bitmap.pageSize);
      out.push(powerOfTwoCheck(pg, `${c.struct}.${len.bitmap.pageSize}`, `p + ${fieldAt(l, len.bitmap.pageSize).offset} - m0`, cmd));
      out.push(`const want = bitmapBytes(${fieldExpr('q_', len.bitmap.length)}, ${pg});`);
      if (then.limit !== undefined) out.push(limitCheck(then.limit, 'want', `p + ${fieldAt(l, len.bitmap.length).offset} - m0`, cmd));
      out.push(`if (BigInt(pn - ${T}) !== want) badPayload(${cmd}, ${field}, pn, ${BigInt(T)}n + want, p - m0);`);
      member = `${then.name}: view(v, p + ${T}, pn - ${T})`;
    } else {
      const { f: lf, offset: lo } = fieldAt(l, len.field);
      if (then.limit !== undefined) out.push(limitCheck(then.limit, fieldExpr('q_', len.field), `p + ${lo} - m0`, cmd));
      out.push(`const len = ${asNumber(lf, fieldExpr('q_', len.field))};`);
      out.push(`if (pn !== ${T} + len) badPayload(${cmd}, ${field}, pn, ${T} + len, p - m0);`);
      member = `${then.name}: view(v, p + ${T}, len)`;
    }
  }
  out.push(`d = { kind: '${c.kind}', ${[...fields, member].join(', ')} };`);
  return out;
}

// ---------------------------------------------------------------------------
// Encoding

/** The size expression of a message-level tail; the body is `s`. */
export function tailSize(ctx: TailContext, t: TailSpec): string {
  switch (t.kind) {
    case 'bytes':
      return bytesLength(`s.${t.name}`, `'${t.name}'`);
    case 'array':
      if (isUnion(t.of)) throw new Error(`generator: ${t.name}: a union array is sized by tailSizeStmts`);
      return `(Array.isArray(s.${t.name}) ? s.${t.name}.length * ${structLayout(t.of).size} : notArray('${t.name}'))`;
    case 'optional': {
      const T = structLayout(t.struct).size;
      const x = `s.${t.name}`;
      const inner = t.then === undefined ? `${T}` : `${T} + ${bytesLength(`${x}.${t.then.name}`, `'${t.name}.${t.then.name}'`)}`;
      return `(${x} === null ? 0 : typeof ${x} === 'object' ? ${inner} : badShape('${t.name} must be an object or null'))`;
    }
    case 'select':
      throw new Error(`generator: ${t.name}: a select is sized by tailSizeStmts`);
    case 'chain':
      return `chainLength(s.${t.offsetField}, s.${t.name}, CHAIN_${t.type})`;
    case 'json':
      return `(s.${t.name} instanceof Uint8Array ? (s.${t.name}.length === 0 ? 0 : s.${t.name}.length + 1) : notBytes('${t.name}'))`;
  }
}

/**
 * Statements that size a tail in the body's case, and the size they leave, for the tails whose size is more
 * than an expression; null for the others (tailSize). A select's payload kind is read through a variable of
 * the case's own, so V8's feedback for it sees only what that case encodes (a shared function's load sees
 * every kind, and goes megamorphic past four). A union array's stride is found once, and kept for the writing
 * (`ua_stride`).
 */
export function tailSizeStmts(t: TailSpec): { stmts: string[]; size: string } | null {
  if (t.kind === 'array' && isUnion(t.of)) {
    return {
      stmts: [`const ua = checkArray('${t.of}', s.${t.name});`, `const ua_stride = ua.length === 0 ? 0 : stride_${t.of}(ua);`],
      size: 'ua.length * ua_stride',
    };
  }
  return t.kind === 'select' ? { stmts: selectSizeStmts(t), size: 'sel_n' } : null;
}

function selectSizeStmts(t: Select): string[] {
  const out = [`const sel = s.${t.name};`, 'let sel_n: number;', `if (typeof sel !== 'object' || sel === null) badShape('${t.type} must be an object');`, 'switch (sel.kind) {'];
  for (const c of selectCases(t.type)) out.push(`  case '${c.kind}':`, `    sel_n = ${selectCaseSize(c, 'sel')};`, '    break;');
  out.push("  case 'raw':", "    sel_n = checkBytes('bytes', sel.bytes).length;", '    break;', '  default:', `    sel_n = ${unknownSelect(t.type, 'sel')};`, '}');
  return out;
}

/** The length of the Uint8Array `x`, tested in place (the throw is a call). */
function bytesLength(x: string, name: string): string {
  return `(${x} instanceof Uint8Array ? ${x}.length : notBytes(${name}))`;
}

/**
 * Statements that write a message-level tail after the struct (already
 * written; its fields in locals `f_*`), ending in one top-level
 * `return <bytes written>;`.
 */
export function tailEncode(ctx: TailContext, t: TailSpec): string[] {
  const { struct, l, P } = ctx;
  const S = l.fieldsEnd;
  const local = (name: string): string => fieldExpr('f_', name);
  const out: string[] = [];
  switch (t.kind) {
    case 'bytes': {
      out.push(`const tail = s.${t.name};`);
      const len = t.length;
      if (len !== 'rest') {
        if ('fixed' in len) {
          out.push(`if (tail.length !== ${len.fixed}) encodeLength('${struct}.${t.name}', ${len.fixed}, tail.length);`);
        } else if ('bitmap' in len) {
          const want = `bitmapBytes(${local(len.bitmap.length)}, ${local(len.bitmap.pageSize)})`;
          out.push(`if (${local(len.bitmap.pageSize)} > 0n && BigInt(tail.length) !== ${want}) encodeLength('${struct}.${len.bitmap.length} / ${len.bitmap.pageSize}', ${want}, tail.length);`);
        } else {
          const lf = fieldAt(l, len.field).f;
          const declared = asNumber(lf, local(len.field));
          const want = t.when === undefined ? declared : `((${local(t.when.field)} & ${hex(constValue(t.when.flag))}) !== 0 ? ${declared} : 0)`;
          out.push(`if (tail.length ${t.atLeast === true ? '<' : '!=='} ${want}) encodeLength('${struct}.${len.field}', ${want}, tail.length);`);
        }
      }
      out.push(`b.set(tail, o + ${S});`);
      if (P > 0) out.push(`b.fill(0, o + ${S} + tail.length, o + ${S + P} + tail.length);`);
      out.push(`return ${S + P} + tail.length;`);
      return out;
    }
    case 'array': {
      const lf = fieldAt(l, t.length.field).f;
      const declared = asNumber(lf, local(t.length.field));
      out.push(`const arr = s.${t.name};`);
      out.push(`if (arr.length !== ${declared}${t.omittable === true ? ' && arr.length !== 0' : ''}) encodeLength('${struct}.${t.length.field}', ${declared}, arr.length);`);
      if (isUnion(t.of)) {
        const members = unionSpec(t.of).members.map((m) => ({ struct: m.struct, size: structLayout(m.struct).size }));
        // The stride the sizing found (tailSizeStmts), the same for `arr`.
        out.push('const stride = ua_stride;');
        out.push('for (let i = 0; i < arr.length; i++) {');
        members.forEach((m, i) => {
          const open = i === members.length - 1 ? (i === 0 ? '  {' : '  } else {') : `  ${i === 0 ? '' : '} else '}if (stride === ${m.size}) {`;
          out.push(open, `    const e = arr[i] as ${m.struct};`, `    const p = o + ${S} + i * ${m.size};`, ...inlineWriteStmts(m.struct, 'e', 'p', '    ', 'e_'));
        });
        out.push('  }', '}', `return ${S} + arr.length * stride;`);
        return out;
      }
      const E = structLayout(t.of).size;
      out.push('for (let i = 0; i < arr.length; i++) {', `  const e = arr[i] as ${t.of};`, `  const p = o + ${S} + i * ${E};`, ...inlineWriteStmts(t.of, 'e', 'p', '  ', 'e_'), '}');
      out.push(`return ${S} + arr.length * ${E};`);
      return out;
    }
    case 'optional': {
      const tl = structLayout(t.struct);
      const T = tl.size;
      out.push(`const x = s.${t.name};`, `let w = ${S};`);
      out.push(`if ((${local(t.when.field)} & ${hex(constValue(t.when.flag))}) === 0) {`);
      out.push(`  if (x !== null) badShape('${t.name} must be null without ${t.when.flag}');`);
      out.push('} else {');
      out.push(`  if (x === null) badShape('${t.name} is required with ${t.when.flag}');`);
      out.push(...inlineWriteStmts(t.struct, 'x', `o + ${S}`, '  ', 'x_'));
      const then = t.then;
      if (then === undefined) {
        out.push(`  w = ${S + T};`);
      } else {
        if (then.kind !== 'bytes' || then.length === 'rest' || !('field' in then.length)) throw new Error('spec: an optional struct is followed only by bytes its field counts');
        const lf = fieldAt(tl, then.length.field).f;
        // The length field as written just above (its local), compared inline: a u64 equals a length only when exact as a double.
        const declared = tl.fieldsEnd === tl.size ? fieldExpr('x_', then.length.field) : `x.${then.length.field}`;
        const same = lf.spec.type === 'u64' ? `(${declared} <= 0x1fffffffffffffn && Number(${declared}) === d.length)` : `${declared} === d.length`;
        out.push(`  const d = x.${then.name};`);
        out.push(`  if (!${same}) encodeLength('${t.struct}.${then.length.field}', ${declared}, d.length);`);
        out.push(`  b.set(d, o + ${S + T});`, `  w = ${S + T} + d.length;`);
      }
      out.push('}', 'return w;');
      return out;
    }
    case 'select': {
      // The payload written in the case, its kind read through the case's own variable (see selectSizeStmts).
      out.push(`const sw = s.${t.name};`, 'let sw_n = 0;', 'switch (sw.kind) {');
      for (const c of selectCases(t.type)) {
        if (c.struct === undefined) {
          out.push(`  case '${c.kind}':`, '    break;');
          continue;
        }
        const cl = structLayout(c.struct);
        const T = cl.size;
        const at = `o + ${S}`;
        out.push(`  case '${c.kind}': {`);
        const then = c.then;
        if (then === undefined) {
          out.push(...inlineWriteStmts(c.struct, 'sw', at, '    ', 'sw_'), `    sw_n = ${T};`);
        } else if (then.kind === 'array') {
          const E = structLayout(then.of).size;
          const lf = fieldAt(cl, then.length.field).f;
          out.push(`    const arr = sw.${then.name};`);
          out.push(`    if (${asNumber(lf, `sw.${then.length.field}`)} !== arr.length) encodeLength('${c.struct}.${then.length.field}', sw.${then.length.field}, arr.length);`);
          out.push(...inlineWriteStmts(c.struct, 'sw', at, '    ', 'sw_'));
          out.push('    for (let i = 0; i < arr.length; i++) {', '      const e = arr[i]!;', `      const p = ${at} + ${T} + i * ${E};`, ...inlineWriteStmts(then.of, 'e', 'p', '      ', 'e_'), '    }');
          out.push(`    sw_n = ${T} + arr.length * ${E};`);
        } else {
          out.push(...inlineWriteStmts(c.struct, 'sw', at, '    ', 'sw_'), `    b.set(sw.${then.name}, ${at} + ${T});`, `    sw_n = ${T} + sw.${then.name}.length;`);
        }
        out.push('    break;', '  }');
      }
      out.push("  case 'raw':", `    b.set(sw.bytes, o + ${S});`, '    sw_n = sw.bytes.length;', '    break;', '}');
      out.push(`return ${S} + sw_n;`);
      return out;
    }
    case 'chain':
      return [`return ${S} + encodeChain(v, b, o, s.${t.offsetField}, s.${t.name}, CHAIN_${t.type});`];
    case 'json':
      // The text and its NUL; nothing when there is no text.
      return [
        `const tail = s.${t.name};`,
        'if (tail.length !== 0) {',
        `  b.set(tail, o + ${S});`,
        `  b[o + ${S} + tail.length] = 0;`,
        '}',
        `return ${S} + (tail.length === 0 ? 0 : tail.length + 1);`,
      ];
  }
}

// ---------------------------------------------------------------------------
// Shared helpers: payload unions, capability chains, union arrays

/** Module-level functions the tails' statements call, for generated/ts/messages.ts. */
export function tailHelpers(): string[] {
  const out: string[] = [];
  const tails = allTails();
  for (const of of uniqueBy(tails.filter((t): t is Extract<TailSpec, { kind: 'array' }> => t.kind === 'array' && isUnion(t.of)), (t) => t.of).map((t) => t.of)) {
    out.push(...unionArrayHelpers(of), '');
  }
  for (const type of uniqueBy(tails.filter((t): t is Select => t.kind === 'select'), (t) => t.type).map((t) => t.type)) {
    out.push(...selectHelpers(type), '');
  }
  for (const t of uniqueBy(tails.filter((x): x is Chain => x.kind === 'chain'), (x) => x.type)) {
    out.push(...chainHelpers(t, commandOf(t)), '');
  }
  return out;
}

function commandOf(t: TailSpec): number {
  for (const c of commands) {
    for (const b of [c.request, c.reply]) if (b.kind === 'struct' && b.tail === t) return c.cmd;
  }
  throw new Error(`spec: tail ${t.name} belongs to no command`);
}

function unionArrayHelpers(of: string): string[] {
  const members = unionSpec(of).members.map((m) => ({ struct: m.struct, l: structLayout(m.struct) }));
  // Each member is told by a field no other member has.
  const keys = members.map((m, i) => {
    const own = m.l.fields.find((f) => members.every((x, j) => j === i || !x.l.fields.some((g) => g.name === f.name)));
    if (own === undefined) throw new Error(`spec: union ${of}: member ${m.struct} has no field of its own`);
    return own.name;
  });
  const names = members.map((m) => m.struct).join(' or ');
  const out = [
    `/** The stride of an array of ${of}: the size of the member whose own field the first element has; every element must be that member. */`,
    `function stride_${of}(a: readonly unknown[]): number {`,
    '  const first = a[0];',
    `  const k = ${members.slice(0, -1).map((_, i) => `typeof first === 'object' && first !== null && '${keys[i]}' in first ? ${i} : `).join('')}${members.length - 1};`,
    '  for (const e of a) {',
    `    if (typeof e !== 'object' || e === null${members.slice(0, -1).map((_, i) => ` || ('${keys[i]}' in e) !== (k === ${i})`).join('')}) badShape('${of} entries must all be ${names}');`,
    '  }',
    `  return ${members.slice(0, -1).map((m, i) => `k === ${i} ? ${m.l.size} : `).join('')}${members[members.length - 1]!.l.size};`,
    '}',
  ];
  return out;
}

/** The bytes a payload case takes, `x` the payload; an array or bytes member's type is checked. */
function selectCaseSize(c: PayloadCaseSpec, x: string): string {
  if (c.struct === undefined) return '0';
  const T = structLayout(c.struct).size;
  const then = c.then;
  if (then === undefined) return `${T}`;
  if (then.kind === 'array') return `${T} + checkArray('${then.name}', ${x}.${then.name}).length * ${structLayout(then.of).size}`;
  return `${T} + checkBytes('${then.name}', ${x}.${then.name}).length`;
}

/** The refusal of a payload of no known kind, `x` the payload. */
function unknownSelect(type: string, x: string): string {
  return `badShape(\`unknown ${type} kind \${String((${x} as { kind?: unknown }).kind)}\`)`;
}

/** size_<type>: the bytes a payload takes, for callers outside the encoder (the encoder sizes it in its case). */
function selectHelpers(type: string): string[] {
  const out = [
    `/** Bytes a ${type} takes, after checking its shape. */`,
    `export function size_${type}(d: ${type}): number {`,
    `  if (typeof d !== 'object' || d === null) return badShape('${type} must be an object');`,
    '  switch (d.kind) {',
  ];
  for (const c of selectCases(type)) out.push(`    case '${c.kind}':`, `      return ${selectCaseSize(c, 'd')};`);
  out.push("    case 'raw':", "      return checkBytes('bytes', d.bytes).length;", '    default:', `      return ${unknownSelect(type, 'd')};`, '  }', '}');
  return out;
}

function chainHelpers(t: Chain, cmd: number): string[] {
  const hl = structLayout(t.header);
  const H = hl.size;
  const raw = rawCapType(t);
  const body = commands.find((c) => c.cmd === cmd)!;
  const owner = [body.request, body.reply].find((b) => b.kind === 'struct' && b.tail === t) as Extract<BodySpec, { kind: 'struct' }>;
  const sl = structLayout(owner.struct);
  const dec: string[] = [
    `/** Decodes the capability at \`p\` (from the struct at \`o\`), which must end exactly at \`end\`. */`,
    `function dec_${t.type}(v: DataView, o: number, p: number, end: number, m0: number, opt: ResolvedOptions): ${t.type} {`,
    '  const c = o + p;',
    `  const id = ${readExpr(fieldAt(hl, 'id').f, 'c')};`,
    '  let size: number;',
    `  let cap: ${t.type};`,
  ];
  t.cases.forEach((k: CapabilityCaseSpec, i) => {
    dec.push(`  ${i === 0 ? '' : '} else '}if (id === ${constValue(k.id)}) {`);
    if (k.struct === undefined) {
      dec.push(`    size = ${H};`, `    cap = { kind: '${k.kind}', header: ${readStructExpr(t.header, 'c')} };`);
      return;
    }
    const l = structLayout(k.struct);
    const T = l.size;
    const fields = objectOf(l, 'k_');
    if (k.then === undefined) {
      dec.push(`    size = ${T};`, `    if (p + size > end) capCut(p, c, m0, ${cmd});`, ...readLocals(l, 'k_', 'c').map((x) => `    ${x}`));
      dec.push(`    cap = { kind: '${k.kind}', ${fields.join(', ')} };`);
      return;
    }
    if (k.then.kind !== 'array') throw new Error('spec: a capability is followed only by an array');
    const { f: lf, offset: lo } = fieldAt(l, k.then.length.field);
    const E = structLayout(k.then.of).size;
    dec.push(`    if (end - p < ${T}) capCut(p, c, m0, ${cmd});`, ...readLocals(l, 'k_', 'c').map((x) => `    ${x}`));
    const cnt = fieldExpr('k_', k.then.length.field);
    if (k.then.limit !== undefined) dec.push(`    ${limitCheck(k.then.limit, cnt, `c + ${lo} - m0`, cmd)}`);
    dec.push(`    size = ${T} + ${asNumber(lf, cnt)} * ${E};`);
    dec.push(`    if (p + size > end) capOverrun(p, ${cnt}, end, c + ${lo}, m0, ${cmd});`);
    dec.push(...readArray(k.then.of, cnt, `c + ${T}`, 'arr').map((x) => `    ${x}`));
    dec.push(`    cap = { kind: '${k.kind}', ${[...fields, `${k.then.name}: arr`].join(', ')} };`);
  });
  dec.push(
    '  } else {',
    '    size = end - p;',
    '    // The next capability may start inside this one\'s header.',
    `    if (size < ${H}) capOverlap(p, end, c, m0, ${cmd});`,
    `    cap = { kind: 'raw', header: ${readStructExpr(t.header, 'c')}, data: view(v, c + ${H}, size - ${H}) };`,
    '  }',
    `  if (p + size !== end) capGap(p + size, end, o + p + size, m0, ${cmd});`,
    '  return cap;',
    '}',
  );
  const size: string[] = [`/** Bytes a ${t.type} takes, after checking its shape. */`, `function size_${t.type}(cap: ${t.type}): number {`, '  switch (cap.kind) {'];
  const write: string[] = [`/** Writes a ${t.type}, header included, at absolute offset \`c\`. */`, `function write_${t.type}(v: DataView, b: Uint8Array, c: number, cap: ${t.type}): void {`, '  switch (cap.kind) {'];
  for (const k of t.cases) {
    size.push(`    case '${k.kind}':`);
    write.push(`    case '${k.kind}':`);
    if (k.struct === undefined) {
      size.push(`      return ${H};`);
      write.push(`      write_${t.header}(v, b, c, cap.header);`, '      return;');
      continue;
    }
    const l = structLayout(k.struct);
    const T = l.size;
    if (k.then === undefined) {
      size.push(`      return ${T};`);
      write.push(`      write_${k.struct}(v, b, c, cap);`, '      return;');
      continue;
    }
    if (k.then.kind !== 'array') throw new Error('spec: a capability is followed only by an array');
    const E = structLayout(k.then.of).size;
    const lf = fieldAt(l, k.then.length.field).f;
    size.push(`      return ${T} + checkArray('${k.then.name}', cap.${k.then.name}).length * ${E};`);
    write.push(`      if (${asNumber(lf, `cap.${k.then.length.field}`)} !== cap.${k.then.name}.length) encodeLength('${k.struct}.${k.then.length.field}', cap.${k.then.length.field}, cap.${k.then.name}.length);`);
    write.push(`      write_${k.struct}(v, b, c, cap);`);
    write.push(`      for (let i = 0; i < cap.${k.then.name}.length; i++) write_${k.then.of}(v, b, c + ${T} + i * ${E}, cap.${k.then.name}[i]!);`, '      return;');
  }
  size.push("    case 'raw':", `      return ${H} + checkBytes('data', cap.data).length;`, '    default:', `      return badShape(\`unknown capability kind \${String((cap as { kind?: unknown }).kind)}\`);`, '  }', '}');
  write.push("    case 'raw':", `      write_${t.header}(v, b, c, cap.header);`, `      b.set(cap.data, c + ${H});`, '  }', '}');
  void raw;
  return [
    ...dec,
    '',
    ...size,
    '',
    ...write,
    '',
    `/** The ${t.name} chain of ${owner.struct}. */`,
    `const CHAIN_${t.type}: Chain<${t.type}> = { s: ${sl.fieldsEnd}, flagAt: ${fieldAt(sl, t.when.field).offset}, firstAt: ${fieldAt(sl, t.offsetField).offset}, limit: '${t.limit}', cmd: ${cmd}, decode: dec_${t.type}, size: size_${t.type}, write: write_${t.type} };`,
  ];
}

/** Every limit a tail declaration names, with the tails that apply it (for the docs). */
export function tailLimits(t: TailSpec): string[] {
  const out: string[] = [];
  const inner = (x: InnerTailSpec | undefined): void => {
    if (x?.limit !== undefined) out.push(x.limit);
  };
  switch (t.kind) {
    case 'bytes':
    case 'array':
      inner(t);
      break;
    case 'optional':
      for (const c of t.checks ?? []) if (c.kind === 'limit') out.push(c.limit);
      inner(t.then);
      break;
    case 'select':
      for (const c of t.cases) {
        inner(c.then);
        if (c.replyBitmap !== undefined) out.push(c.replyBitmap.limit);
      }
      break;
    case 'chain':
      out.push(t.limit);
      for (const c of t.cases) inner(c.then);
      break;
    case 'json':
      break;
  }
  return [...new Set(out)];
}

export type { TailLength };

/** Every struct and union a tail declaration names, nested ones included. */
export function tailStructs(t: TailSpec): string[] {
  const out: string[] = [];
  const of = (name: string): void => {
    out.push(name);
    if (isUnion(name)) out.push(...unionSpec(name).members.map((m) => m.struct));
  };
  const inner = (x: InnerTailSpec | undefined): void => {
    if (x?.kind === 'array') of(x.of);
  };
  switch (t.kind) {
    case 'array':
      of(t.of);
      break;
    case 'optional':
      out.push(t.struct);
      inner(t.then);
      break;
    case 'select':
      for (const c of t.cases) {
        if (c.struct !== undefined) out.push(c.struct);
        inner(c.then);
      }
      break;
    case 'chain':
      out.push(t.header);
      for (const c of t.cases) {
        if (c.struct !== undefined) out.push(c.struct);
        inner(c.then);
      }
      break;
    case 'bytes':
    case 'json':
      break;
  }
  return [...new Set(out)];
}

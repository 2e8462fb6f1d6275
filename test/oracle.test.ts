/**
 * typed-struct as an independent second implementation of every struct
 * layout: a typed-struct class is built from each spec/ struct's field list,
 * and random field values travel both ways between it and the generated
 * readers and writers of generated/ts/structs.ts.
 *
 * Structs with a flexible array member are compared on their fixed part,
 * which is what the generated reader and writer cover.
 */
import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { Struct } from 'typed-struct';
import * as S from '../generated/ts/structs.js';
import { structs } from '../spec/structs.js';
import type { FieldSpec } from '../spec/types.js';
import { structLayout, structSpec } from '../generator/layout.js';

/** What the tests use of a compiled typed-struct class. */
interface OracleClass {
  new (): OracleInstance;
  new (raw: Buffer, clone?: boolean): OracleInstance;
  readonly baseSize: number;
  raw(instance: OracleInstance): Buffer;
  getOffsetOf(name: string): number;
}

type OracleInstance = Record<string, unknown>;

/** The typed-struct builder methods the spec's field types map to. */
interface OracleBuilder {
  UInt8(name: string): OracleBuilder;
  UInt16LE(name: string): OracleBuilder;
  UInt32LE(name: string): OracleBuilder;
  Int32LE(name: string): OracleBuilder;
  BigUInt64LE(name: string): OracleBuilder;
  UInt8Array(name: string, length: number): OracleBuilder;
  Struct(name: string, type: OracleClass): OracleBuilder;
  compile(): OracleClass;
}

type Reader = (v: DataView, o: number) => Record<string, unknown>;
type Writer = (v: DataView, b: Uint8Array, o: number, s: unknown) => number;

const generated = S as unknown as Record<string, unknown>;

function generatedFn<T>(name: string): T {
  const fn = generated[name];
  if (typeof fn !== 'function') throw new Error(`generated/ts/structs.ts has no ${name}`);
  return fn as T;
}

const classes = new Map<string, OracleClass>();

/** The typed-struct class of a spec/ struct's fixed part, built from its field list in order. */
function oracleClass(name: string): OracleClass {
  const hit = classes.get(name);
  if (hit !== undefined) return hit;
  let b = new Struct(name) as unknown as OracleBuilder;
  for (const f of structSpec(name).fields) {
    switch (f.type) {
      case 'u8':
        b = b.UInt8(f.name);
        break;
      case 'u16':
        b = b.UInt16LE(f.name);
        break;
      case 'u32':
        b = b.UInt32LE(f.name);
        break;
      case 's32':
        b = b.Int32LE(f.name);
        break;
      case 'u64':
        b = b.BigUInt64LE(f.name);
        break;
      case 'bytes':
        b = b.UInt8Array(f.name, f.length ?? 0);
        break;
      case 'struct':
        b = b.Struct(f.name, oracleClass(f.struct ?? ''));
        break;
    }
  }
  const cls = b.compile();
  classes.set(name, cls);
  return cls;
}

/** Random values of one field, over its whole wire range. */
function fieldArb(f: FieldSpec): fc.Arbitrary<unknown> {
  switch (f.type) {
    case 'u8':
      return fc.integer({ min: 0, max: 0xff });
    case 'u16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'u32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 's32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'u64':
      return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    case 'bytes':
      return fc.uint8Array({ minLength: f.length ?? 0, maxLength: f.length ?? 0 });
    case 'struct':
      return structArb(f.struct ?? '');
  }
}

/** Random values of every field of a struct's fixed part. */
function structArb(name: string): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of structSpec(name).fields) fields[f.name] = fieldArb(f);
  return fc.record(fields);
}

/** A struct's field values as plain data (byte arrays as number arrays), in spec order, for comparison. */
function plain(name: string, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of structSpec(name).fields) {
    const x = value[f.name];
    if (f.type === 'bytes') out[f.name] = Array.from(x as Uint8Array);
    else if (f.type === 'struct') out[f.name] = plain(f.struct ?? '', x as Record<string, unknown>);
    else out[f.name] = x;
  }
  return out;
}

/** Sets every field of a typed-struct instance (nested structs and byte arrays in place). */
function fill(name: string, inst: OracleInstance, value: Record<string, unknown>): void {
  for (const f of structSpec(name).fields) {
    const x = value[f.name];
    if (f.type === 'bytes') (inst[f.name] as Uint8Array).set(x as Uint8Array);
    else if (f.type === 'struct') fill(f.struct ?? '', inst[f.name] as OracleInstance, x as Record<string, unknown>);
    else inst[f.name] = x;
  }
}

const RUNS = 200;
const FILL = 0xa5;
const offsetArb = fc.integer({ min: 1, max: 64 });

for (const s of structs) {
  const l = structLayout(s.name);
  const what = s.flex === undefined ? '' : ` (fixed part, before ${s.flex.name}[])`;

  test(`oracle ${s.name}${what}: write_${s.name} at a non-zero offset, read back by typed-struct`, (t) => {
    const Oracle = oracleClass(s.name);
    t.is(Oracle.baseSize, l.fieldsEnd, 'typed-struct size = structLayout().fieldsEnd');
    t.deepEqual(
      l.fields.map((f) => Oracle.getOffsetOf(f.name)),
      l.fields.map((f) => f.offset),
      'typed-struct offsets = structLayout() offsets',
    );
    const write = generatedFn<Writer>(`write_${s.name}`);
    t.notThrows(() => {
      fc.assert(
        fc.property(structArb(s.name), offsetArb, (value, o) => {
          const ab = new ArrayBuffer(o + l.fieldsEnd + 8);
          const b = new Uint8Array(ab);
          b.fill(FILL);
          const n = write(new DataView(ab), b, o, value);
          assert.equal(n, l.fieldsEnd);
          assert.ok(b.subarray(0, o).every((x) => x === FILL), 'bytes before the struct untouched');
          assert.ok(b.subarray(o + n).every((x) => x === FILL), 'bytes after the struct untouched');
          const inst = new Oracle(Buffer.from(ab, o, l.fieldsEnd), true);
          const read: Record<string, unknown> = {};
          for (const f of s.fields) read[f.name] = inst[f.name];
          assert.deepStrictEqual(plain(s.name, read), plain(s.name, value));
        }),
        { numRuns: RUNS },
      );
    });
  });

  test(`oracle ${s.name}${what}: bytes of a typed-struct instance read by read_${s.name} at a non-zero offset`, (t) => {
    const Oracle = oracleClass(s.name);
    t.is(Oracle.baseSize, l.fieldsEnd, 'typed-struct size = structLayout().fieldsEnd');
    const read = generatedFn<Reader>(`read_${s.name}`);
    t.notThrows(() => {
      fc.assert(
        fc.property(structArb(s.name), offsetArb, (value, o) => {
          const inst = new Oracle();
          fill(s.name, inst, value);
          const raw = Oracle.raw(inst);
          assert.equal(raw.length, l.fieldsEnd);
          const ab = new ArrayBuffer(o + raw.length + 8);
          new Uint8Array(ab).set(raw, o);
          const got = read(new DataView(ab), o);
          assert.deepStrictEqual(Object.keys(got), s.fields.map((f) => f.name));
          assert.deepStrictEqual(plain(s.name, got), plain(s.name, value));
        }),
        { numRuns: RUNS },
      );
    });
  });
}

/**
 * Struct layouts for the runtime: the offsets and sizes of the generated
 * table (generated/ts/layout.ts), each field beside its spec entry (type,
 * flag set, enumeration, meaning).
 */
import { layoutRows, type LayoutRow } from '../generated/ts/layout.js';
import { structs, unions } from './spec.js';
import type { FieldSpec, StructSpec, UnionSpec } from './spec.js';

export { layoutRows, type LayoutRow };

/** A field of a struct: where it sits and what the spec says of it. */
export interface FieldLayout {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly spec: FieldSpec;
}

/** A struct: its C size, its fields in order, and its spec entry. */
export interface StructLayout {
  readonly name: string;
  /** C sizeof, tail padding included. */
  readonly size: number;
  /** Bytes the fields occupy on the wire, where a flexible member starts: equal to `size` unless C pads the tail. */
  readonly fieldsEnd: number;
  readonly fields: readonly FieldLayout[];
  readonly spec: StructSpec;
}

const rowsByStruct = new Map<string, Map<string, LayoutRow>>();
for (const r of layoutRows) {
  let m = rowsByStruct.get(r.struct);
  if (m === undefined) rowsByStruct.set(r.struct, (m = new Map()));
  m.set(r.field, r);
}
const specByName = new Map<string, StructSpec>(structs.map((s) => [s.name, s]));
const unionByName = new Map<string, UnionSpec>(unions.map((u) => [u.name, u]));
const cache = new Map<string, StructLayout>();

/** The layout of the struct of that C name; throws if there is none. */
export function structLayout(name: string): StructLayout {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const spec = specByName.get(name);
  const rows = rowsByStruct.get(name);
  if (spec === undefined || rows === undefined) throw new Error(`spec: no struct ${name}`);
  const row = (field: string): LayoutRow => {
    const r = rows.get(field);
    if (r === undefined) throw new Error(`layout table: no row ${name}.${field}`);
    return r;
  };
  const fields = spec.fields.map((f) => ({ name: f.name, offset: row(f.name).offset, size: row(f.name).size, spec: f }));
  const last = fields[fields.length - 1];
  const fieldsEnd = last === undefined ? 0 : last.offset + last.size;
  const layout: StructLayout = { name, size: row('(sizeof)').size, fieldsEnd, fields, spec };
  cache.set(name, layout);
  return layout;
}

/** The union spec of that C name; throws if there is none. */
export function unionSpec(name: string): UnionSpec {
  const u = unionByName.get(name);
  if (u === undefined) throw new Error(`spec: no union ${name}`);
  return u;
}

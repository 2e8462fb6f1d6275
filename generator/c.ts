/**
 * Generates generated/c/vfio-user.h from spec/: the command enumeration,
 * every flag and enumeration constant, the limits' defaults and every wire
 * struct that is not the kernel's, in dependency order.
 *
 * Rules the header follows, each derived from the spec rather than from a
 * list kept here:
 * - A constant whose set comes from <linux/vfio.h>, or whose name lies in the
 *   kernel's namespace (`VFIO_` but not `VFIO_USER_`), is wrapped in
 *   `#ifndef NAME`, so the header adds only what the installed kernel header
 *   lacks (VFIO_MIGRATION_PRE_COPY on 6.1, for example).
 * - An enumeration set named in the `vfio_user_` namespace is the protocol
 *   header's C enum of that tag; every other set becomes `#define`s.
 * - Structs of origin `linux/vfio.h` come from <linux/vfio.h> and are not
 *   redeclared; QEMU's structs are anonymous typedefs under QEMU's names.
 * - Flexible array members carry `__extension__`: they are not ISO C++, and an
 *   array of structs that themselves end in a flexible member is not ISO C.
 *   A struct that embeds such a struct carries `__extension__` on its whole
 *   declaration, because gcc judges the embedding when the struct closes.
 */
import { commands } from '../spec/commands.js';
import { constSets } from '../spec/constants.js';
import { limits, WRITE_MULTI_DATA_MAX } from '../spec/limits.js';
import { structs, unions } from '../spec/structs.js';
import type { ConstSetSpec, ConstSpec, FieldSpec, FlexSpec, Origin, ScalarType, StructSpec, UnionSpec } from '../spec/types.js';
import { banner } from './banner.js';
import { structLayout, structSpec, unionSize, unionSpec } from './layout.js';

const GEN = 'generator/c.ts';
const PATH = 'generated/c/vfio-user.h';
const GUARD = 'VFIO_USER_PROTOCOL_VFIO_USER_H';
const WIDTH = 100;
const INDENT = '    ';

/** The name of the command enumeration set, which also gets `VFIO_USER_MAX`. */
const COMMAND_SET = 'vfio_user_command';

/** Generated files, by path relative to the package root. */
export function generateC(): Map<string, string> {
  return new Map([[PATH, headerFile()]]);
}

/** The C type of a struct of spec/structs.ts: `struct name`, or QEMU's typedef name. */
export function cStructType(name: string): string {
  return structSpec(name).origin === 'qemu' ? name : `struct ${name}`;
}

/** The C type of a union of spec/structs.ts. */
export function cUnionType(name: string): string {
  unionSpec(name);
  return `union ${name}`;
}

/**
 * Whether the header wraps a constant in `#ifndef`: the spec says it comes from
 * <linux/vfio.h>, or its name is outside the VFIO_USER_ namespace (some kernel
 * header version may define it).
 */
export function inKernelNamespace(set: ConstSetSpec, c: ConstSpec): boolean {
  return set.origin === 'linux/vfio.h' || c.origin === 'linux/vfio.h' || !c.name.startsWith('VFIO_USER_');
}

/** Whether a constant set is emitted as a C enum (named after the set) rather than `#define`s. */
export function isCEnum(set: ConstSetSpec): boolean {
  return set.kind === 'enum' && set.name.startsWith('vfio_user_');
}

/** The macro that holds a limit's default: `maxDataXferSize` → `VFIO_USER_MAX_DATA_XFER_SIZE_DEFAULT`. */
export function limitMacro(name: string): string {
  return `VFIO_USER_${snake(name)}_DEFAULT`;
}

/** The macro that holds the most bytes of one REGION_WRITE_MULTI entry. */
export const WRITE_MULTI_DATA_MAX_MACRO = 'VFIO_USER_WRITE_MULTI_DATA_MAX';

/** The macro that is one more than the largest command number. */
export const COMMAND_MAX = 'VFIO_USER_MAX';

// ---------------------------------------------------------------------------

function snake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function cValue(value: number, kind: 'flags' | 'enum'): string {
  return kind === 'flags' ? `0x${value.toString(16)}` : String(value);
}

/** Wraps words into lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A doc comment of paragraphs, on one line when it fits. */
function docComment(indent: string, paragraphs: readonly string[]): string[] {
  const clean = paragraphs.map((p) => p.replace(/\*\//g, '* /')).filter((p) => p !== '');
  const one = `${indent}/** ${clean.join(' ')} */`;
  if (clean.length === 1 && one.length <= WIDTH) return [one];
  const out = [`${indent}/**`];
  clean.forEach((p, i) => {
    if (i > 0) out.push(`${indent} *`);
    for (const l of wrap(p, WIDTH - indent.length - 3)) out.push(`${indent} * ${l}`);
  });
  out.push(`${indent} */`);
  return out;
}

/** A plain block comment. */
function blockComment(paragraphs: readonly string[]): string[] {
  const out = ['/*'];
  paragraphs.forEach((p, i) => {
    if (i > 0) out.push(' *');
    for (const l of wrap(p, WIDTH - 3)) out.push(` * ${l}`);
  });
  out.push(' */');
  return out;
}

function section(title: string): string[] {
  return [`/* ${'-'.repeat(4)} ${title} ${'-'.repeat(Math.max(4, WIDTH - 12 - title.length))} */`, ''];
}

const ORIGIN_NOTE: Readonly<Record<Origin, string>> = {
  'vfio-user': '',
  'linux/vfio.h': 'From <linux/vfio.h>.',
  legacy: 'Legacy: removed from the protocol, kept for recognising old traffic.',
  iommufd: 'iommufd extension (libvfio-user pull request #833).',
  qemu: 'QEMU\'s layout (hw/vfio-user/protocol.h).',
  draft: 'Draft extension of this package, off by default.',
};

// Constants ---------------------------------------------------------------

function commandEnum(set: ConstSetSpec): string[] {
  const byNumber = new Map(commands.map((c) => [c.cmd, c.name]));
  if (set.values.length !== commands.length || set.values.some((c) => byNumber.get(c.value) !== c.name)) {
    throw new Error(`spec: constant set ${set.name} does not list exactly the commands of spec/commands.ts`);
  }
  return cEnum(set, [[COMMAND_MAX, Math.max(...commands.map((c) => c.cmd)) + 1, 'One more than the largest command number.']]);
}

function cEnum(set: ConstSetSpec, extra: readonly (readonly [string, number, string])[]): string[] {
  const out = [...docComment('', [set.doc]), `enum ${set.name} {`];
  for (const c of set.values) {
    const note = c.origin !== undefined && c.origin !== set.origin && ORIGIN_NOTE[c.origin] !== '' ? ` ${ORIGIN_NOTE[c.origin]}` : '';
    out.push(...docComment(INDENT, [`${c.doc}${note}`]));
    out.push(`${INDENT}${c.name} = ${cValue(c.value, set.kind)},`);
  }
  for (const [name, value, doc] of extra) {
    out.push(...docComment(INDENT, [doc]));
    out.push(`${INDENT}${name} = ${value},`);
  }
  out.push('};', '');
  return out;
}

function defines(set: ConstSetSpec): string[] {
  const out = blockComment([`${set.name} (${set.kind}): ${set.doc}`, ORIGIN_NOTE[set.origin]].filter((p) => p !== ''));
  for (const c of set.values) {
    const note = c.origin !== undefined && c.origin !== set.origin && ORIGIN_NOTE[c.origin] !== '' ? ` ${ORIGIN_NOTE[c.origin]}` : '';
    const lines = [...docComment('', [`${c.doc}${note}`]), `#define ${c.name} ${cValue(c.value, set.kind)}`];
    if (inKernelNamespace(set, c)) out.push(`#ifndef ${c.name}`, ...lines, '#endif');
    else out.push(...lines);
  }
  out.push('');
  return out;
}

function constantsPart(): string[] {
  const out: string[] = [];
  const command = constSets.find((s) => s.name === COMMAND_SET);
  if (command === undefined) throw new Error(`spec: no constant set ${COMMAND_SET}`);
  out.push(...section('Commands'), ...commandEnum(command));
  out.push(...section('Flags and enumerations'));
  for (const set of constSets) {
    if (set === command) continue;
    out.push(...(isCEnum(set) ? cEnum(set, []) : defines(set)));
  }
  out.push(...section('Limits'));
  out.push(
    ...blockComment([
      'Defaults of the limits a receiver applies to every length taken from the wire. Each is the default of the option of the same name (in camelCase) of this package\'s `Limits`; a receiver may choose other values.',
    ]),
    '',
  );
  for (const l of limits) {
    out.push(...docComment('', [`${l.doc} Default of \`${l.name}\`. Source: ${l.ref}.`]));
    out.push(`#define ${limitMacro(l.name)} ${l.default}`);
  }
  out.push(...docComment('', ['The most data bytes one REGION_WRITE_MULTI entry (VFIOUserWROne) carries.']));
  out.push(`#define ${WRITE_MULTI_DATA_MAX_MACRO} ${WRITE_MULTI_DATA_MAX}`, '');
  return out;
}

// Structs -----------------------------------------------------------------

const C_SCALAR: Readonly<Record<ScalarType, string>> = { u8: 'uint8_t', u16: 'uint16_t', u32: 'uint32_t', u64: 'uint64_t', s32: 'int32_t' };

/** Whether a struct ends in a flexible array member, directly or through the struct it embeds last. */
function endsInFlex(name: string): boolean {
  const s = structSpec(name);
  if (s.flex !== undefined) return true;
  return s.fields.some((f) => f.type === 'struct' && f.struct !== undefined && endsInFlex(f.struct));
}

/** Whether a struct embeds, as an ordinary member, a struct that ends in a flexible array member. */
function embedsFlexStruct(s: StructSpec): boolean {
  return s.fields.some((f) => f.type === 'struct' && f.struct !== undefined && endsInFlex(f.struct));
}

function fieldDecl(f: FieldSpec): string {
  switch (f.type) {
    case 'bytes':
      return `uint8_t ${f.name}[${f.length ?? 0}];`;
    case 'struct':
      if (f.struct === undefined) throw new Error(`spec: struct field ${f.name} names no struct`);
      return `${cStructType(f.struct)} ${f.name};`;
    default:
      return `${C_SCALAR[f.type]} ${f.name};`;
  }
}

function flexDecl(flex: FlexSpec): string {
  const e = flex.element;
  const type = typeof e === 'string' ? C_SCALAR[e] : 'struct' in e ? cStructType(e.struct) : cUnionType(e.union);
  return `__extension__ ${type} ${flex.name}[];`;
}

function valuesNote(f: FieldSpec): string {
  const setName = f.flags ?? f.enum;
  if (setName === undefined) return '';
  const set = constSets.find((s) => s.name === setName);
  if (set === undefined) throw new Error(`spec: field ${f.name} names unknown set ${setName}`);
  if (set.name === COMMAND_SET || isCEnum(set)) return ` Values: enum ${set.name}.`;
  return ` ${f.flags !== undefined ? 'Flags' : 'Values'}: ${set.values.map((c) => c.name).join(', ')}.`;
}

const DIR_NOTE = { in: '', out: ' Filled by the responder.', inout: ' Filled by both sides.' } as const;

function structDecl(s: StructSpec): string[] {
  const l = structLayout(s.name);
  const size =
    l.size === l.fieldsEnd
      ? `sizeof ${l.size}`
      : `sizeof ${l.size}: the fields end at ${l.fieldsEnd}, where the flexible member starts; C pads sizeof to a multiple of the alignment, ${l.align}`;
  const out = docComment('', [s.doc, `${size}${s.packed ? ', packed' : ''}. ${ORIGIN_NOTE[s.origin]}`.trim(), `Ref: ${s.ref}.`]);
  const ext = embedsFlexStruct(s) ? '__extension__ ' : '';
  const packed = s.packed ? ' __attribute__((packed))' : '';
  out.push(s.origin === 'qemu' ? `${ext}typedef struct {` : `${ext}struct ${s.name} {`);
  for (const f of l.fields) {
    out.push(...docComment(INDENT, [`${f.spec.doc}${valuesNote(f.spec)}${DIR_NOTE[f.spec.dir ?? 'in']} Offset ${f.offset}.`]));
    out.push(`${INDENT}${fieldDecl(f.spec)}`);
  }
  if (s.flex !== undefined) {
    out.push(...docComment(INDENT, [`${s.flex.doc} Flexible array member at offset ${l.flexOffset ?? l.size}.`]));
    out.push(`${INDENT}${flexDecl(s.flex)}`);
  }
  out.push(s.origin === 'qemu' ? `}${packed} ${s.name};` : `}${packed};`, '');
  return out;
}

function unionDecl(u: UnionSpec): string[] {
  const out = docComment('', [u.doc, `sizeof ${unionSize(u.name)}.`]);
  out.push(`union ${u.name} {`);
  for (const m of u.members) {
    out.push(...docComment(INDENT, [`${structSpec(m.struct).doc}`]));
    out.push(`${INDENT}${cStructType(m.struct)} ${m.name};`);
  }
  out.push('};', '');
  return out;
}

type Node = { readonly kind: 'struct'; readonly spec: StructSpec } | { readonly kind: 'union'; readonly spec: UnionSpec };

function deps(n: Node): Node[] {
  if (n.kind === 'union') return n.spec.members.map((m) => ({ kind: 'struct', spec: structSpec(m.struct) }));
  const out: Node[] = [];
  for (const f of n.spec.fields) if (f.type === 'struct' && f.struct !== undefined) out.push({ kind: 'struct', spec: structSpec(f.struct) });
  const e = n.spec.flex?.element;
  if (e !== undefined && typeof e !== 'string') out.push('struct' in e ? { kind: 'struct', spec: structSpec(e.struct) } : { kind: 'union', spec: unionSpec(e.union) });
  return out;
}

/** Structs and unions in spec order, each moved after what it uses. */
function declarationOrder(): Node[] {
  const done = new Set<string>();
  const active = new Set<string>();
  const order: Node[] = [];
  const visit = (n: Node): void => {
    const key = `${n.kind} ${n.spec.name}`;
    if (done.has(key)) return;
    if (active.has(key)) throw new Error(`spec: ${key} contains itself`);
    active.add(key);
    for (const d of deps(n)) visit(d);
    active.delete(key);
    done.add(key);
    order.push(n);
  };
  for (const s of structs) visit({ kind: 'struct', spec: s });
  for (const u of unions) visit({ kind: 'union', spec: u });
  return order;
}

function structsPart(): string[] {
  const out = section('Structs');
  const kernel = structs.filter((s) => s.origin === 'linux/vfio.h');
  out.push(
    ...blockComment([
      'Every message body is a byte stream of little-endian fields at the offsets given with each field. The kernel structs that vfio-user reuses unchanged are not declared here: they come from <linux/vfio.h>, included above.',
      ...kernel.map((s) => `struct ${s.name}: ${s.doc} sizeof ${structLayout(s.name).size}.`),
    ]),
    '',
  );
  for (const n of declarationOrder()) {
    if (n.kind === 'union') out.push(...unionDecl(n.spec));
    else if (n.spec.origin !== 'linux/vfio.h') out.push(...structDecl(n.spec));
  }
  return out;
}

// The file ----------------------------------------------------------------

function headerFile(): string {
  const out: string[] = [
    banner(GEN, '/*'),
    ...blockComment([
      'vfio-user protocol: command numbers, flags, enumerations, limits and the wire structs.',
      'Constants that <linux/vfio.h> defines are wrapped in #ifndef, so the header adds only those the installed kernel header lacks. The PCI region and IRQ indexes are enumerators there, which #ifndef cannot see: their macros here carry the same values.',
      'Structs marked packed are __attribute__((packed)) (alignment 1); the others have their natural alignment. No struct has padding between fields.',
      'Flexible array members are marked __extension__: ISO C++ has none, and ISO C forbids an array of structs that end in one (vfio_user_dma_unmap.bitmap) and a struct that embeds such a struct (vfio_user_bitmap_range.bitmap). GNU C and GNU C++ accept all three, with the layout given here; __extension__ keeps -pedantic quiet about them.',
    ]),
    '',
    `#ifndef ${GUARD}`,
    `#define ${GUARD}`,
    '',
    '#include <stdint.h>',
    '#include <linux/vfio.h>',
    '',
    '#ifdef __cplusplus',
    'extern "C" {',
    '#endif',
    '',
    ...constantsPart(),
    ...structsPart(),
    '#ifdef __cplusplus',
    '}',
    '#endif',
    '',
    `#endif /* ${GUARD} */`,
    '',
  ];
  return out.join('\n');
}

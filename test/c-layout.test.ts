/**
 * The generated C header against spec/ and against the system <linux/vfio.h>,
 * checked by the C and C++ compilers: sizeof, alignment, every field's
 * offset, size and type, every constant's value, and layoutRows() against
 * what a compiled program prints.
 */
import test from 'ava';
import { commands } from '../spec/commands.js';
import { constSets } from '../spec/constants.js';
import { limits, WRITE_MULTI_DATA_MAX } from '../spec/limits.js';
import { structs, unions } from '../spec/structs.js';
import type { ScalarType } from '../spec/types.js';
import { COMMAND_MAX, cStructType, cUnionType, generateC, inKernelNamespace, limitMacro, WRITE_MULTI_DATA_MAX_MACRO } from '../generator/c.js';
import { layoutRows, SCALAR_SIZE, structLayout, unionSize, type LayoutRow } from '../generator/layout.js';
import { compile, execute, findCompiler, workDir, type Compiler, type WorkDir } from './helpers/c-compiler.js';

const HEADER_PATH = 'generated/c/vfio-user.h';
const header = generateC().get(HEADER_PATH) ?? '';

const cc = findCompiler('c');
const cxx = findCompiler('c++');
if (!cc.found) console.warn(`c-layout: tests that need a C compiler are skipped: ${cc.reason}`);
if (!cxx.found) console.warn(`c-layout: tests that need a C++ compiler are skipped: ${cxx.reason}`);
const withCc = cc.found ? test : test.skip;
const withCxx = cxx.found ? test : test.skip;

function compilerOf(lookup: typeof cc): Compiler {
  if (!lookup.found) throw new Error(lookup.reason);
  return lookup.compiler;
}

/** A temporary directory holding the generated header, removed after the test. */
function dirWithHeader(t: { teardown(fn: () => void): void }): WorkDir {
  const dir = workDir('vfio-user-c');
  t.teardown(() => dir.dispose());
  dir.write('vfio-user.h', header);
  return dir;
}

function sourceName(c: Compiler, base: string): string {
  return `${base}.${c.lang === 'c' ? 'c' : 'cc'}`;
}

// Expectations from spec/ ----------------------------------------------------

/** Every name the header defines, as macro or enumerator, with its value from spec/. */
function expectedConstants(): Map<string, number> {
  const m = new Map<string, number>();
  for (const set of constSets) for (const c of set.values) m.set(c.name, c.value);
  m.set(COMMAND_MAX, Math.max(...commands.map((c) => c.cmd)) + 1);
  for (const l of limits) m.set(limitMacro(l.name), l.default);
  m.set(WRITE_MULTI_DATA_MAX_MACRO, WRITE_MULTI_DATA_MAX);
  return m;
}

/** The constants that live in <linux/vfio.h>'s namespace, checked against the system header itself. */
function kernelConstants(): { name: string; value: number }[] {
  return constSets.flatMap((set) => set.values.filter((c) => inKernelNamespace(set, c)).map((c) => ({ name: c.name, value: c.value })));
}

// <linux/vfio.h> variants -------------------------------------------------------

/** A version of the system header this test knows, by what a compiled probe sees. */
interface Variant {
  readonly name: string;
  readonly deviceInfoSize: number;
  /** VFIO_MIGRATION_PRE_COPY is defined (a macro). */
  readonly migrationPreCopy: boolean;
  /** VFIO_DEVICE_STATE_PRE_COPY is declared (an enumerator). */
  readonly statePreCopy: boolean;
  /** Kernel-namespace constants of spec/ that this variant does not have; vfio-user.h supplies them. */
  readonly lacks: readonly string[];
}

const VARIANTS: readonly Variant[] = [
  { name: '6.1', deviceInfoSize: 20, migrationPreCopy: false, statePreCopy: false, lacks: ['VFIO_MIGRATION_PRE_COPY'] },
  { name: '6.2 or later, before vfio_device_info gained its pad', deviceInfoSize: 20, migrationPreCopy: true, statePreCopy: true, lacks: [] },
  { name: 'upstream', deviceInfoSize: 24, migrationPreCopy: true, statePreCopy: true, lacks: [] },
];

interface Probe {
  readonly deviceInfoSize: number;
  readonly migrationPreCopy: boolean;
  readonly statePreCopy: boolean;
}

const probes = new Map<string, Probe>();

/** What the system header holds, by a compiled probe; cached per compiler. */
function probe(c: Compiler): Probe {
  const key = c.argv.join(' ');
  const hit = probes.get(key);
  if (hit !== undefined) return hit;
  const dir = workDir('vfio-user-probe');
  try {
    const src = dir.write(
      sourceName(c, 'probe'),
      [
        '#include <stdio.h>',
        '#include <linux/vfio.h>',
        'int main(void) {',
        '    printf("%u\\n", (unsigned)sizeof(struct vfio_device_info));',
        '#ifdef VFIO_MIGRATION_PRE_COPY',
        '    printf("1\\n");',
        '#else',
        '    printf("0\\n");',
        '#endif',
        '    return 0;',
        '}',
        '',
      ].join('\n'),
    );
    const built = compile(c, dir, src, 'probe');
    if (!built.ok) throw new Error(`probe of <linux/vfio.h> does not compile:\n${built.stderr}`);
    const ran = execute(dir, 'probe');
    if (!ran.ok) throw new Error(`probe of <linux/vfio.h> failed:\n${ran.stderr}`);
    const [size, preCopy] = ran.stdout.trim().split('\n');
    const enumSrc = dir.write(sourceName(c, 'probe-state'), '#include <linux/vfio.h>\nint probe_state = VFIO_DEVICE_STATE_PRE_COPY;\n');
    const p: Probe = { deviceInfoSize: Number(size), migrationPreCopy: preCopy === '1', statePreCopy: compile(c, dir, enumSrc).ok };
    probes.set(key, p);
    return p;
  } finally {
    dir.dispose();
  }
}

function describe(p: Probe): string {
  return `vfio_device_info ${p.deviceInfoSize} bytes, VFIO_MIGRATION_PRE_COPY ${p.migrationPreCopy ? 'defined' : 'absent'}, VFIO_DEVICE_STATE_PRE_COPY ${p.statePreCopy ? 'declared' : 'absent'}`;
}

/** The known variant the system header is; throws on an unknown one. */
function variantOf(c: Compiler): Variant {
  const p = probe(c);
  const v = VARIANTS.find((x) => x.deviceInfoSize === p.deviceInfoSize && x.migrationPreCopy === p.migrationPreCopy && x.statePreCopy === p.statePreCopy);
  if (v === undefined) throw new Error(`unknown <linux/vfio.h> variant: ${describe(p)}; known: ${VARIANTS.map((x) => x.name).join(', ')}`);
  return v;
}

// The static-assert program ---------------------------------------------------

/** An expectation to falsify, to prove that a wrong layout fails to compile. */
interface Wrong {
  readonly struct: string;
  readonly field: string;
  readonly offset: number;
}

const PRELUDE = [
  '#include <stddef.h>',
  '#include <stdint.h>',
  '#ifdef __cplusplus',
  '#include <type_traits>',
  '#define CHECK static_assert',
  '#define ALIGNOF alignof',
  '#define BARE(x) std::remove_cv<std::remove_reference<decltype(x)>::type>::type',
  '#define IS_SIGNED(x) (std::is_signed<BARE(x)>::value ? 1 : 0)',
  '#define HAS_TYPE(x, T) (std::is_same<BARE(x), T>::value ? 1 : 0)',
  '#else',
  '#define CHECK _Static_assert',
  '#define ALIGNOF _Alignof',
  '#define IS_SIGNED(x) _Generic((x), signed char: 1, short: 1, int: 1, long: 1, long long: 1, default: 0)',
  '#define HAS_TYPE(x, T) _Generic((x), T: 1, default: 0)',
  '#endif',
];

function scalarChecks(where: string, x: string, type: ScalarType): string[] {
  return [`CHECK(IS_SIGNED(${x}) == ${type === 's32' ? 1 : 0}, "${where} signedness differs");`];
}

/** Static asserts of every struct, field, union member and constant against spec/. */
function assertProgram(variant: Variant, wrong?: Wrong): string {
  const out = [...PRELUDE, '#include <linux/vfio.h>', '', `/* <linux/vfio.h> (variant ${variant.name}) against spec/constants.ts */`];
  for (const k of kernelConstants()) {
    if (!variant.lacks.includes(k.name)) out.push(`CHECK(${k.name} == ${k.value}, "linux/vfio.h ${k.name} differs from spec");`);
  }
  out.push('', '#include "vfio-user.h"', '');
  for (const s of structs) {
    const l = structLayout(s.name);
    const T = cStructType(s.name);
    const m = (f: string): string => `((${T} *)0)->${f}`;
    out.push(`/* ${s.name} (${s.origin}) */`);
    out.push(`CHECK(sizeof(${T}) == ${l.size}, "${s.name}.sizeof differs");`);
    out.push(`CHECK(ALIGNOF(${T}) == ${l.align}, "${s.name}.alignof differs");`);
    for (const f of l.fields) {
      const where = `${s.name}.${f.name}`;
      const offset = wrong !== undefined && wrong.struct === s.name && wrong.field === f.name ? wrong.offset : f.offset;
      out.push(`CHECK(offsetof(${T}, ${f.name}) == ${offset}, "${where} differs");`);
      out.push(`CHECK(sizeof(${m(f.name)}) == ${f.size}, "${where} size differs");`);
      const type = f.spec.type;
      if (type === 'bytes') {
        out.push(`CHECK(sizeof(${m(f.name)}[0]) == 1, "${where} element size differs");`);
        out.push(...scalarChecks(where, `${m(f.name)}[0]`, 'u8'));
      } else if (type === 'struct') {
        out.push(`CHECK(HAS_TYPE(${m(f.name)}, ${cStructType(f.spec.struct ?? '')}) == 1, "${where} type differs");`);
      } else {
        out.push(...scalarChecks(where, m(f.name), type));
      }
    }
    if (s.flex !== undefined) {
      const where = `${s.name}.${s.flex.name}`;
      const x = `${m(s.flex.name)}[0]`;
      const e = s.flex.element;
      out.push(`CHECK(offsetof(${T}, ${s.flex.name}) == ${l.flexOffset ?? -1}, "${where} differs");`);
      if (typeof e === 'string') {
        out.push(`CHECK(sizeof(${x}) == ${SCALAR_SIZE[e]}, "${where} element size differs");`);
        out.push(...scalarChecks(where, x, e));
      } else if ('struct' in e) {
        out.push(`CHECK(sizeof(${x}) == ${structLayout(e.struct).size}, "${where} element size differs");`);
        out.push(`CHECK(HAS_TYPE(${x}, ${cStructType(e.struct)}) == 1, "${where} type differs");`);
      } else {
        out.push(`CHECK(sizeof(${x}) == ${unionSize(e.union)}, "${where} element size differs");`);
        out.push(`CHECK(HAS_TYPE(${x}, ${cUnionType(e.union)}) == 1, "${where} type differs");`);
      }
    }
  }
  for (const u of unions) {
    const T = cUnionType(u.name);
    out.push(`/* union ${u.name} */`);
    out.push(`CHECK(sizeof(${T}) == ${unionSize(u.name)}, "${u.name}.sizeof differs");`);
    out.push(`CHECK(ALIGNOF(${T}) == ${Math.max(...u.members.map((x) => structLayout(x.struct).align))}, "${u.name}.alignof differs");`);
    for (const x of u.members) {
      out.push(`CHECK(offsetof(${T}, ${x.name}) == 0, "${u.name}.${x.name} differs");`);
      out.push(`CHECK(sizeof(((${T} *)0)->${x.name}) == ${structLayout(x.struct).size}, "${u.name}.${x.name} size differs");`);
      out.push(`CHECK(HAS_TYPE(((${T} *)0)->${x.name}, ${cStructType(x.struct)}) == 1, "${u.name}.${x.name} type differs");`);
    }
  }
  out.push('', '/* vfio-user.h constants against spec/ */');
  for (const [name, value] of expectedConstants()) out.push(`CHECK(${name} == ${value}, "${name} differs");`);
  out.push('');
  return out.join('\n');
}

/** A program that prints `struct\tfield\toffset\tsize` for every row layoutRows() documents. */
function rowsProgram(): string {
  const out = [
    '#include <stddef.h>',
    '#include <stdio.h>',
    '#include "vfio-user.h"',
    '',
    '#define ROW(s, f, o, n) printf("%s\\t%s\\t%zu\\t%zu\\n", s, f, (size_t)(o), (size_t)(n))',
    '',
    'int main(void) {',
  ];
  for (const s of structs) {
    const T = cStructType(s.name);
    out.push(`    ROW("${s.name}", "(sizeof)", 0, sizeof(${T}));`);
    for (const f of s.fields) out.push(`    ROW("${s.name}", "${f.name}", offsetof(${T}, ${f.name}), sizeof(((${T} *)0)->${f.name}));`);
    if (s.flex !== undefined) out.push(`    ROW("${s.name}", "${s.flex.name}", offsetof(${T}, ${s.flex.name}), 0);`);
  }
  for (const u of unions) {
    const T = cUnionType(u.name);
    out.push(`    ROW("${u.name}", "(sizeof)", 0, sizeof(${T}));`);
    for (const x of u.members) out.push(`    ROW("${u.name}", "${x.name}", offsetof(${T}, ${x.name}), sizeof(((${T} *)0)->${x.name}));`);
  }
  out.push('    return 0;', '}', '');
  return out.join('\n');
}

// Tests -----------------------------------------------------------------------

test('every #define and enumerator of vfio-user.h has its spec/ value, and every spec/ constant is there', (t) => {
  const found = new Map<string, string>();
  for (const m of header.matchAll(/^#define (\w+) (.+)$/gm)) found.set(m[1] ?? '', m[2] ?? '');
  for (const m of header.matchAll(/^ {4}(\w+) = (.+),$/gm)) found.set(m[1] ?? '', m[2] ?? '');
  const expected = expectedConstants();
  const wrong: string[] = [];
  for (const [name, text] of found) {
    const want = expected.get(name);
    if (want === undefined) wrong.push(`${name}: defined by the header, not in spec/`);
    else if (Number(text) !== want) wrong.push(`${name}: header ${text}, spec ${want}`);
  }
  for (const name of expected.keys()) if (!found.has(name)) wrong.push(`${name}: in spec/, not in the header`);
  t.deepEqual(wrong, []);
  t.is(found.size, expected.size);
});

test('generated/c/vfio-user.h declares no kernel struct and every other spec/ struct and union', (t) => {
  for (const s of structs) {
    const declared = s.origin === 'qemu' ? new RegExp(`^} (__attribute__\\(\\(packed\\)\\) )?${s.name};$`, 'm') : new RegExp(`^(__extension__ )?struct ${s.name} \\{$`, 'm');
    t.is(declared.test(header), s.origin !== 'linux/vfio.h', `${s.name} (${s.origin})`);
  }
  for (const u of unions) t.regex(header, new RegExp(`^union ${u.name} \\{$`, 'm'));
});

withCc('vfio-user.h compiles on its own as C11 (-Wall -Wextra -Werror -pedantic)', (t) => {
  const c = compilerOf(cc);
  const dir = dirWithHeader(t);
  const r = compile(c, dir, dir.write('alone.c', '#include "vfio-user.h"\n'));
  t.log(c.version);
  t.true(r.ok, r.stderr);
});

withCxx('vfio-user.h compiles on its own as C++17 (-Wall -Wextra -Werror -pedantic)', (t) => {
  const c = compilerOf(cxx);
  const dir = dirWithHeader(t);
  const r = compile(c, dir, dir.write('alone.cc', '#include "vfio-user.h"\n'));
  t.log(c.version);
  t.true(r.ok, r.stderr);
});

withCc('the system <linux/vfio.h> is a known variant', (t) => {
  const c = compilerOf(cc);
  const p = probe(c);
  const v = VARIANTS.find((x) => x.deviceInfoSize === p.deviceInfoSize && x.migrationPreCopy === p.migrationPreCopy && x.statePreCopy === p.statePreCopy);
  t.log(`linux/vfio.h variant: ${v?.name ?? 'unknown'} (${describe(p)})`);
  t.truthy(v, `unknown <linux/vfio.h> variant (${describe(p)}); known: ${VARIANTS.map((x) => x.name).join(', ')}`);
});

withCc('C11: every struct, field, union member and constant agrees with spec/ (static asserts)', (t) => {
  const c = compilerOf(cc);
  const variant = variantOf(c);
  t.log(`linux/vfio.h variant: ${variant.name}`);
  const dir = dirWithHeader(t);
  const r = compile(c, dir, dir.write('layout.c', assertProgram(variant)));
  t.true(r.ok, r.stderr);
});

withCxx('C++17: every struct, field, union member and constant agrees with spec/ (static asserts)', (t) => {
  const c = compilerOf(cxx);
  const variant = variantOf(c);
  t.log(`linux/vfio.h variant: ${variant.name}`);
  const dir = dirWithHeader(t);
  const r = compile(c, dir, dir.write('layout.cc', assertProgram(variant)));
  t.true(r.ok, r.stderr);
});

withCc('a wrong expectation (vfio_user_dma_map.addr at 8) fails to compile and names the field', (t) => {
  const c = compilerOf(cc);
  const dir = dirWithHeader(t);
  const real = structLayout('vfio_user_dma_map').fields.find((f) => f.name === 'addr');
  t.is(real?.offset, 16);
  const r = compile(c, dir, dir.write('wrong.c', assertProgram(variantOf(c), { struct: 'vfio_user_dma_map', field: 'addr', offset: 8 })));
  t.false(r.ok);
  // The falsified expectation fails, and only it: one error, naming the struct and field.
  const errors = r.stderr.split('\n').filter((line) => /\berror\b/.test(line));
  t.is(errors.length, 1, r.stderr);
  t.regex(errors[0] ?? '', /vfio_user_dma_map\.addr differs/);
});

withCc('layoutRows() agrees exactly with sizeof and offsetof printed by a compiled program', (t) => {
  const c = compilerOf(cc);
  const dir = dirWithHeader(t);
  const built = compile(c, dir, dir.write('rows.c', rowsProgram()), 'rows');
  t.true(built.ok, built.stderr);
  const ran = execute(dir, 'rows');
  t.true(ran.ok, ran.stderr);
  const printed: LayoutRow[] = ran.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [struct = '', field = '', offset = '', size = ''] = line.split('\t');
      return { struct, field, offset: Number(offset), size: Number(size) };
    });
  const rows = layoutRows();
  t.true(rows.length > 0);
  t.deepEqual(printed, rows);
});

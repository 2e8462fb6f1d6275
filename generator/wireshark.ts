/**
 * The Wireshark dissector, generated from spec/: generated/wireshark/vfio-user.lua.
 *
 * The spec's structs, constant sets, commands, dialect overrides, errno
 * names and limits become Lua tables; every field a message can show
 * becomes a ProtoField named by its path in `decode --output json`
 * (`vfio_user.dma_map.addr`, `vfio_user.device_get_region_info.caps.areas.size`);
 * a fixed walker (written below, the same in every build) reads the tables.
 * Flags get one bit field per flag (`vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_READ`),
 * enumerations and error_no get value strings, and a message the codec
 * refuses gets `vfio_user.refused` (the error code) and expert info.
 *
 * Two dissectors are registered: `vfio_user` reads messages back to back,
 * and `vfio_user_capture` reads the pseudo-header of the package's pcapng
 * (src/capture/pcapng.ts) and then one message.
 */
import { capabilities } from '../spec/capabilities.js';
import { commands } from '../spec/commands.js';
import { constSets } from '../spec/constants.js';
import { dialects, DEFAULT_DIALECT } from '../spec/dialects.js';
import { errno } from '../spec/errno.js';
import { limits } from '../spec/limits.js';
import { structs, unions } from '../spec/structs.js';
import type { BodySpec, CapabilitySpec, InnerTailSpec, ScalarType, StructSpec, TailSpec } from '../spec/types.js';
import { banner } from './banner.js';
import { structLayout, unionSpec } from './layout.js';

/** What a generated ProtoField shows. */
export type WiresharkFieldType = ScalarType | 'bytes' | 'string';

/**
 * One field of the dissector. `value` fields mirror a leaf of
 * `decode --output json` at the same path; `bits` fields are one flag (or
 * a multi-bit part) of a flags field; `capture` fields come from the pcapng
 * pseudo-header; `refused` names the error code of a refused message.
 */
export interface WiresharkField {
  readonly abbrev: string;
  readonly type: WiresharkFieldType;
  readonly role: 'value' | 'bits' | 'capture' | 'refused';
  /** The name Wireshark shows. */
  readonly name: string;
  /** The flag set (value fields) or enumeration (value and bits fields) the field holds. */
  readonly flags?: string;
  readonly enum?: string;
  /** For `bits`: the field it is part of and its mask. */
  readonly parent?: string;
  readonly mask?: number;
}

const PROTO = 'vfio_user';
const CAPTURE_PROTO = 'vfio_user_capture';

/** `vfio_user.dma_map` for VFIO_USER_DMA_MAP. */
export function commandPrefix(name: string): string {
  return `${PROTO}.${name.replace(/^VFIO_USER_/, '').toLowerCase()}`;
}

const structByName = new Map<string, StructSpec>(structs.map((s) => [s.name, s]));
const setByName = new Map(constSets.map((s) => [s.name, s]));

const WIDTH: Readonly<Record<ScalarType, number>> = { u8: 8, u16: 16, u32: 32, u64: 64, s32: 32 };

function isBit(x: number): boolean {
  return x > 0 && (x & (x - 1)) === 0;
}

/** Collects the fields of every message, in a stable order. */
class Fields {
  readonly list: WiresharkField[] = [];
  readonly #byAbbrev = new Map<string, number>();

  add(f: WiresharkField): void {
    const i = this.#byAbbrev.get(f.abbrev);
    if (i === undefined) {
      this.#byAbbrev.set(f.abbrev, this.list.length);
      this.list.push(f);
      return;
    }
    const old = this.list[i]!;
    if (old.type === f.type) return;
    // The same path in two dialects with two widths (DMA_READ count: u64 or u32): show the wider.
    const ints: readonly string[] = ['u8', 'u16', 'u32', 'u64'];
    if (ints.includes(old.type) && ints.includes(f.type)) {
      if (WIDTH[f.type as ScalarType] > WIDTH[old.type as ScalarType]) this.list[i] = { ...old, type: f.type };
      return;
    }
    throw new Error(`wireshark: ${f.abbrev} is both ${old.type} and ${f.type}`);
  }

  scalar(abbrev: string, type: ScalarType, spec: { flags?: string; enum?: string }): void {
    const f: WiresharkField = { abbrev, type, role: 'value', name: abbrev.slice(abbrev.lastIndexOf('.') + 1), ...(spec.flags === undefined ? {} : { flags: spec.flags }), ...(spec.enum === undefined ? {} : { enum: spec.enum }) };
    this.add(f);
    if (spec.flags === undefined || type === 'u64') return;
    const set = setByName.get(spec.flags);
    if (set === undefined) throw new Error(`wireshark: unknown flag set ${spec.flags}`);
    for (const c of set.values) {
      if (isBit(c.value)) this.add({ abbrev: `${abbrev}.${c.name}`, type: 'u32', role: 'bits', name: c.name, parent: abbrev, mask: c.value });
      else if (c.holds !== undefined) this.add({ abbrev: `${abbrev}.${c.name}`, type: 'u32', role: 'bits', name: c.name, parent: abbrev, mask: c.value, enum: c.holds });
    }
  }

  bytes(abbrev: string): void {
    this.add({ abbrev, type: 'bytes', role: 'value', name: abbrev.slice(abbrev.lastIndexOf('.') + 1) });
  }

  struct(prefix: string, name: string): void {
    const s = structByName.get(name);
    if (s === undefined) throw new Error(`wireshark: unknown struct ${name}`);
    for (const f of s.fields) {
      const abbrev = `${prefix}.${f.name}`;
      if (f.type === 'struct') this.struct(abbrev, f.struct!);
      else if (f.type === 'bytes') this.bytes(abbrev);
      else this.scalar(abbrev, f.type, f);
    }
  }

  /** A struct and its flexible member (an array of structs, or bytes). */
  structWithFlex(prefix: string, name: string): void {
    this.struct(prefix, name);
    const flex = structByName.get(name)!.flex;
    if (flex === undefined) return;
    if (typeof flex.element === 'string') this.bytes(`${prefix}.${flex.name}`);
    else if ('struct' in flex.element) this.struct(`${prefix}.${flex.name}`, flex.element.struct);
  }

  /** A struct or union name: the struct's fields, or every member's. */
  structOrUnion(prefix: string, name: string): void {
    if (unions.some((u) => u.name === name)) for (const m of unionSpec(name).members) this.struct(prefix, m.struct);
    else this.struct(prefix, name);
  }

  inner(prefix: string, t: InnerTailSpec | undefined): void {
    if (t === undefined) return;
    if (t.kind === 'bytes') this.bytes(`${prefix}.${t.name}`);
    else this.structOrUnion(`${prefix}.${t.name}`, t.of);
  }

  tail(prefix: string, t: TailSpec): void {
    const at = `${prefix}.${t.name}`;
    switch (t.kind) {
      case 'bytes':
      case 'json':
        this.bytes(at);
        return;
      case 'array':
        this.structOrUnion(at, t.of);
        return;
      case 'optional':
        this.struct(at, t.struct);
        this.inner(at, t.then);
        return;
      case 'chain':
        this.struct(`${at}.header`, t.header);
        for (const c of t.cases) {
          if (c.struct === undefined) continue;
          this.struct(at, c.struct);
          this.inner(at, c.then);
        }
        this.bytes(`${at}.data`);
        return;
      case 'select':
        for (const c of t.cases) {
          if (c.struct === undefined) continue;
          this.struct(at, c.struct);
          this.inner(at, c.then);
        }
        this.bytes(`${at}.bytes`);
        return;
    }
  }

  body(prefix: string, b: BodySpec): void {
    if (b.kind === 'empty') return;
    this.struct(prefix, b.struct);
    if (b.tail !== undefined) this.tail(prefix, b.tail);
  }
}

/** Every field of the generated dissector. */
export function wiresharkFields(): WiresharkField[] {
  const f = new Fields();
  f.add({ abbrev: `${CAPTURE_PROTO}.seq`, type: 'u32', role: 'capture', name: 'seq' });
  f.add({ abbrev: `${CAPTURE_PROTO}.dir`, type: 'u8', role: 'capture', name: 'dir' });
  f.add({ abbrev: `${CAPTURE_PROTO}.socket`, type: 'u8', role: 'capture', name: 'socket' });
  f.add({ abbrev: `${CAPTURE_PROTO}.nfds`, type: 'u32', role: 'capture', name: 'nfds' });
  f.add({ abbrev: `${CAPTURE_PROTO}.conn`, type: 'u32', role: 'capture', name: 'conn' });
  f.add({ abbrev: `${PROTO}.kind`, type: 'string', role: 'value', name: 'kind' });
  for (const h of structLayout('vfio_user_header').fields) f.scalar(`${PROTO}.${h.name}`, h.spec.type as ScalarType, h.spec.name === 'error_no' ? {} : h.spec);
  f.bytes(`${PROTO}.body`);
  f.add({ abbrev: `${PROTO}.refused`, type: 'string', role: 'refused', name: 'refused' });
  for (const c of commands) {
    const p = commandPrefix(c.name);
    f.body(p, c.request);
    f.body(p, c.reply);
    for (const d of dialects) for (const o of d.overrides) if (o.cmd === c.cmd) f.body(p, o.body);
  }
  return f.list;
}

// ---------------------------------------------------------------------------
// Lua text

function luaString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function luaValue(x: unknown, indent = ''): string {
  if (x === null || x === undefined) return 'nil';
  if (typeof x === 'string') return luaString(x);
  if (typeof x === 'number') return String(x);
  if (typeof x === 'boolean') return x ? 'true' : 'false';
  if (Array.isArray(x)) {
    if (x.length === 0) return '{}';
    const inner = x.map((e) => luaValue(e, `${indent}  `));
    const flat = `{ ${inner.join(', ')} }`;
    return flat.length < 100 && !flat.includes('\n') ? flat : `{\n${inner.map((e) => `${indent}  ${e},`).join('\n')}\n${indent}}`;
  }
  const entries = Object.entries(x as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const key = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `[${luaString(k)}]`);
  const inner = entries.map(([k, v]) => `${key(k)} = ${luaValue(v, `${indent}  `)}`);
  const flat = `{ ${inner.join(', ')} }`;
  return flat.length < 100 && !flat.includes('\n') ? flat : `{\n${inner.map((e) => `${indent}  ${e},`).join('\n')}\n${indent}}`;
}

/** A constant's value by C name. */
function constValue(name: string): number {
  for (const set of constSets) for (const c of set.values) if (c.name === name) return c.value;
  throw new Error(`wireshark: unknown constant ${name}`);
}

/** The walker's view of bytes or an array after a nested struct. */
function luaInner(t: InnerTailSpec | undefined): Record<string, unknown> {
  if (t === undefined) return {};
  if (t.kind === 'array') return { thenKind: 'array', thenName: t.name, field: t.length.field, of: t.of, limit: t.limit };
  const len = t.length;
  if (len === 'rest') return { thenKind: 'bytes', thenName: t.name, rest: true };
  if ('fixed' in len) return { thenKind: 'bytes', thenName: t.name, fixed: len.fixed };
  if ('bitmap' in len) return { thenKind: 'bytes', thenName: t.name, length: len.bitmap.length, pageSize: len.bitmap.pageSize, limit: t.limit };
  return { thenKind: 'bytes', thenName: t.name, field: len.field, limit: t.limit };
}

/** The walker's view of a tail, from its declaration in spec/. */
function luaTail(t: TailSpec): unknown {
  const base = { kind: t.kind, name: t.name };
  switch (t.kind) {
    case 'bytes': {
      const len = t.length;
      if (len === 'rest') return { ...base, rest: true };
      if ('fixed' in len) return { ...base, fixed: len.fixed };
      if ('bitmap' in len) return { ...base, lengthField: len.bitmap.length, pageSizeField: len.bitmap.pageSize, limit: t.limit };
      return { ...base, field: len.field, atLeast: t.atLeast, whenField: t.when?.field, whenFlag: t.when === undefined ? undefined : constValue(t.when.flag), limit: t.limit };
    }
    case 'array':
      return {
        ...base,
        struct: unions.some((u) => u.name === t.of) ? undefined : t.of,
        members: unions.some((u) => u.name === t.of) ? unionSpec(t.of).members.map((m) => m.struct) : undefined,
        field: t.length.field,
        limit: t.limit,
        omittable: t.omittable,
        elementField: t.elementMax?.field,
        elementMax: t.elementMax?.max,
      };
    case 'optional': {
      const then = t.then;
      if (then !== undefined && (then.kind !== 'bytes' || then.length === 'rest' || !('field' in then.length))) throw new Error('wireshark: an optional struct is followed only by bytes its field counts');
      return {
        ...base,
        struct: t.struct,
        flagField: t.when.field,
        flag: constValue(t.when.flag),
        checks: (t.checks ?? []).map((c) => ({ ...c })),
        thenName: then?.name,
        thenField: then !== undefined && then.length !== 'rest' && 'field' in then.length ? then.length.field : undefined,
        argszRoom: t.argszRoom,
      };
    }
    case 'select':
      return {
        ...base,
        cases: t.cases.map((c) => ({
          kind: c.kind,
          when: c.when.map((w) => ({ field: w.field, mask: w.mask.reduce((m, x) => m | constValue(x), 0), is: w.is.map(constValue) })),
          struct: c.struct,
          replyBitmap: c.replyBitmap,
          ...luaInner(c.then),
        })),
      };
    case 'chain':
      return {
        ...base,
        header: t.header,
        flagField: t.when.field,
        flag: constValue(t.when.flag),
        offsetField: t.offsetField,
        limit: t.limit,
        cases: t.cases.map((c) => {
          const inner = luaInner(c.then);
          let countAt: number | undefined;
          if (c.struct !== undefined && c.then?.kind === 'array') {
            const f = structLayout(c.struct).fields.find((x) => x.name === (c.then as { length: { field: string } }).length.field);
            if (f === undefined || f.spec.type !== 'u32') throw new Error(`wireshark: ${c.struct}: the count of a capability's array is a u32 field`);
            countAt = f.offset;
          }
          return { kind: c.kind, id: constValue(c.id), struct: c.struct, countAt, ...inner };
        }),
      };
    case 'json':
      return base;
  }
}

/** The walker's view of a body: struct layouts resolved, checks with masks. */
function bodyTable(b: BodySpec): unknown {
  if (b.kind === 'empty') return { kind: 'empty' };
  const t = b.tail;
  const tail = t === undefined ? undefined : luaTail(t);
  const checks = (b.checks ?? []).map((c) => {
    switch (c.kind) {
      case 'known-bits': {
        const set = setByName.get(c.set)!;
        const all = set.values.reduce((m, x) => m | x.value, 0) >>> 0;
        return { kind: c.kind, field: c.field, mask: all };
      }
      case 'one-of':
        return { kind: c.kind, field: c.field, masks: c.masks };
      case 'some-of':
        return { kind: c.kind, field: c.field, mask: c.mask };
      case 'allowed':
        return { kind: c.kind, field: c.field, values: c.values };
      case 'zero':
        return { kind: c.kind, field: c.field };
      case 'not-all':
        return { kind: c.kind, field: c.field, bits: c.bits };
      case 'argsz-covers':
        return { kind: c.kind };
      case 'limit':
        return { kind: c.kind, field: c.field, limit: c.limit };
      default:
        throw new Error(`wireshark: check ${c.kind} on a message struct`);
    }
  });
  // C tail padding the writer puts after the tail (QEMU's sizeof(VFIOUserDMARW) + count).
  const l = structLayout(b.struct);
  const pad = b.padded === true ? l.size - l.fieldsEnd : undefined;
  return { kind: 'struct', struct: b.struct, emptyAllowed: b.emptyAllowed, tail, checks, pad };
}

function structTables(): unknown {
  const out: Record<string, unknown> = {};
  for (const s of structs) {
    const l = structLayout(s.name);
    const flex = s.flex;
    out[s.name] = {
      size: l.fieldsEnd,
      fields: l.fields.map((f) => ({ name: f.name, type: f.spec.type, off: f.offset, len: f.size, struct: f.spec.struct })),
      flex: flex === undefined ? undefined : { name: flex.name, struct: typeof flex.element === 'object' && 'struct' in flex.element ? flex.element.struct : undefined },
    };
  }
  return out;
}

function fieldDefs(fields: readonly WiresharkField[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const proto = f.abbrev.startsWith(`${CAPTURE_PROTO}.`) ? 'CF' : 'F';
    const name = luaString(f.name);
    const vs = f.enum !== undefined ? `VS[${luaString(f.enum)}]` : f.abbrev === `${PROTO}.error_no` ? 'ERRNO' : f.abbrev === `${CAPTURE_PROTO}.dir` ? 'DIR_NAMES' : f.abbrev === `${CAPTURE_PROTO}.socket` ? 'SOCKET_NAMES' : 'nil';
    let ctor: string;
    if (f.role === 'bits') {
      ctor = isBit(f.mask!) ? `ProtoField.bool(${luaString(f.abbrev)}, ${name}, 32, nil, ${f.mask})` : `ProtoField.uint32(${luaString(f.abbrev)}, ${name}, base.DEC, ${vs}, ${f.mask})`;
    } else if (f.type === 'bytes') {
      ctor = `ProtoField.bytes(${luaString(f.abbrev)}, ${name})`;
    } else if (f.type === 'string') {
      ctor = `ProtoField.string(${luaString(f.abbrev)}, ${name})`;
    } else {
      const kind = f.type === 's32' ? 'int32' : f.type === 'u8' ? 'uint8' : f.type === 'u16' ? 'uint16' : f.type === 'u64' ? 'uint64' : 'uint32';
      const b = f.flags !== undefined ? 'base.HEX' : 'base.DEC';
      ctor = `ProtoField.${kind}(${luaString(f.abbrev)}, ${name}, ${b}, ${vs})`;
    }
    out.push(`${proto}[${luaString(f.abbrev)}] = ${ctor}`);
  }
  return out;
}

function capsTable(c: CapabilitySpec): unknown {
  return { type: c.type, min: c.minimum, max: c.maximum, keys: c.keys === undefined ? undefined : Object.fromEntries(c.keys.map((k) => [k.name, capsTable(k)])) };
}

/** generated/wireshark/vfio-user.lua */
export function generateWireshark(): Map<string, string> {
  const fields = wiresharkFields();
  const valueStrings: Record<string, Record<string, string>> = {};
  for (const s of constSets) if (s.kind === 'enum') valueStrings[s.name] = Object.fromEntries(s.values.map((v) => [String(v.value), v.name]));
  const bitsOf: Record<string, string[]> = {};
  for (const f of fields) if (f.role === 'bits') (bitsOf[f.parent!] ??= []).push(f.abbrev);
  const fieldType: Record<string, string> = Object.fromEntries(fields.map((f) => [f.abbrev, f.type]));
  const commandTable: Record<string, unknown> = {};
  for (const c of commands) commandTable[String(c.cmd)] = { name: c.name, prefix: commandPrefix(c.name), sender: c.sender, request: bodyTable(c.request), reply: bodyTable(c.reply) };
  const overrides: Record<string, unknown> = {};
  for (const d of dialects) {
    const o: Record<string, Record<string, unknown>> = {};
    for (const x of d.overrides) (o[String(x.cmd)] ??= {})[x.message] = bodyTable(x.body);
    overrides[d.name] = o;
  }
  const limitTable = Object.fromEntries(limits.map((l) => [l.name, l.default]));
  const lua = [
    banner('generator/wireshark.ts', '--'),
    '--',
    '-- A Wireshark dissector for vfio-user. Load it with',
    '--   wireshark -X lua_script:vfio-user.lua capture.pcapng',
    '--   tshark -X lua_script:vfio-user.lua -r capture.pcapng -V',
    '-- or copy it to ~/.local/lib/wireshark/plugins/. Captures come from',
    '-- `vfio-user pcap` (pcapng with LINKTYPE_WIRESHARK_UPPER_PDU, 252: exported-PDU',
    '-- tags name the dissector vfio_user_capture, which reads a 16-byte pseudo-header',
    '-- -- direction, socket, fd count, connection, seq -- and then the message).',
    '-- For bytes of a Unix-socket stream, "Decode As" vfio_user.',
    '--',
    '-- Field names are the paths of `vfio-user decode --output json`:',
    '-- vfio_user.<command>.<C field>[.<C field>...]. The dialect of each side is a',
    '-- preference (Edit > Preferences > Protocols > VFIO_USER).',
    '',
    `local STRUCTS = ${luaValue(structTables())}`,
    '',
    `local COMMANDS = ${luaValue(commandTable)}`,
    '',
    `local OVERRIDES = ${luaValue(overrides)}`,
    '',
    `local DIALECTS = ${luaValue(dialects.map((d) => d.name))}`,
    `local ERROR_TYPED_AS_COMMAND = ${luaValue(Object.fromEntries(dialects.filter((d) => d.errorTypedAsCommand !== undefined).map((d) => [d.name, true])))}`,
    `local DEFAULT_DIALECT = ${luaString(DEFAULT_DIALECT)}`,
    '',
    `local LIMITS = ${luaValue(limitTable)}`,
    '',
    `local ERRNO_NAMES = ${luaValue(Object.fromEntries(Object.entries(errno).map(([k, v]) => [String(v), k])))}`,
    '',
    `local VS_NAMES = ${luaValue(valueStrings)}`,
    '',
    `local CAPS = { type = "object", keys = { ${capabilities.name} = ${luaValue(capsTable(capabilities), '  ')} } }`,
    '',
    `local BITS = ${luaValue(bitsOf)}`,
    '',
    `local FIELD_TYPE = ${luaValue(fieldType)}`,
    '',
    LUA_PRELUDE,
    ...fieldDefs(fields),
    '',
    LUA_WALKER,
  ].join('\n');
  return new Map([['generated/wireshark/vfio-user.lua', lua]]);
}

const LUA_PRELUDE = `-- Tables keyed by number -------------------------------------------------------

local function numkeys(t)
  local out = {}
  for k, v in pairs(t) do out[tonumber(k)] = v end
  return out
end

COMMANDS = numkeys(COMMANDS)
for name, o in pairs(OVERRIDES) do OVERRIDES[name] = numkeys(o) end
local ERRNO = numkeys(ERRNO_NAMES)
ERRNO[0] = ERRNO[0] or "none"
local VS = {}
for name, t in pairs(VS_NAMES) do VS[name] = numkeys(t) end
local COMMAND_NAMES = {}
for cmd, c in pairs(COMMANDS) do COMMAND_NAMES[cmd] = c.name end
VS["vfio_user_command"] = COMMAND_NAMES
local DIR_NAMES = { [0] = "unknown", [1] = "c2s", [2] = "s2c" }
local SOCKET_NAMES = { [0] = "unknown", [1] = "main", [2] = "twin" }

local vfio = Proto("vfio_user", "vfio-user")
local capture = Proto("vfio_user_capture", "vfio-user capture")

local F = {}
local CF = {}
`;

const LUA_WALKER = `local function values(t)
  local out = {}
  for _, v in pairs(t) do out[#out + 1] = v end
  return out
end
vfio.fields = values(F)
capture.fields = values(CF)

local E_REFUSED = ProtoExpert.new("vfio_user.expert.refused", "The codec refuses this message", expert.group.MALFORMED, expert.severity.ERROR)
local E_ERROR_REPLY = ProtoExpert.new("vfio_user.expert.error_reply", "Error reply", expert.group.RESPONSE_CODE, expert.severity.NOTE)
vfio.experts = { E_REFUSED, E_ERROR_REPLY }

local dialect_enum = {}
for i, name in ipairs(DIALECTS) do dialect_enum[i] = { i, name, i } end
vfio.prefs.client_dialect = Pref.enum("Client dialect", 1, "How the client lays out the messages where implementations disagree", dialect_enum, false)
vfio.prefs.server_dialect = Pref.enum("Server dialect", 1, "How the server lays out the messages where implementations disagree", dialect_enum, false)

local json_dissector = Dissector.get("json")

-- Reading ----------------------------------------------------------------------

local SIZE = { u8 = 1, u16 = 2, u32 = 4, u64 = 8, s32 = 4 }

local function refuse(code, why)
  error({ code = code, why = why }, 0)
end

local function read(tvb, off, ty)
  if ty == "u8" then return tvb(off, 1):le_uint() end
  if ty == "u16" then return tvb(off, 2):le_uint() end
  if ty == "u32" then return tvb(off, 4):le_uint() end
  if ty == "s32" then return tvb(off, 4):le_int() end
  return tvb(off, 8):le_uint64()
end

local function as_number(x)
  if type(x) == "number" then return x end
  return x:tonumber()
end

local function add_value(tree, abbrev, range, value)
  local f = F[abbrev]
  if f == nil then
    tree:add(range, abbrev .. ": " .. tostring(value))
    return nil
  end
  if FIELD_TYPE[abbrev] == "u64" and type(value) == "number" then value = UInt64.new(value) end
  local item = tree:add_le(f, range, value)
  local bits = BITS[abbrev]
  if bits ~= nil then
    for _, b in ipairs(bits) do item:add_le(F[b], range) end
  end
  return item
end

local function add_bytes(tree, abbrev, tvb, off, len)
  if len == 0 then return tree:add(F[abbrev], tvb(off, 0)) end
  return tree:add(F[abbrev], tvb(off, len))
end

-- A struct's scalar and nested fields, added under prefix; returns their values by name.
local function read_struct(tvb, tree, off, sname, prefix)
  local s = STRUCTS[sname]
  local v = {}
  local sub = tree:add(tvb(off, s.size), sname)
  for _, f in ipairs(s.fields) do
    local at = off + f.off
    if f.type == "struct" then
      v[f.name] = read_struct(tvb, sub, at, f.struct, prefix .. "." .. f.name)
    elseif f.type == "bytes" then
      add_bytes(sub, prefix .. "." .. f.name, tvb, at, f.len)
    else
      v[f.name] = read(tvb, at, f.type)
      add_value(sub, prefix .. "." .. f.name, tvb(at, SIZE[f.type]), v[f.name])
    end
  end
  return v, sub
end

local function check_limit(name, value)
  local max = LIMITS[name]
  if type(value) ~= "number" then
    if value > UInt64.new(max) then refuse("ERR_LIMIT", name .. " exceeded") end
  elseif value > max then
    refuse("ERR_LIMIT", name .. " exceeded")
  end
end

local function one_bit(x)
  return x ~= 0 and bit32.band(x, x - 1) == 0
end

local function power_of_two(x)
  if type(x) == "number" then x = UInt64.new(x) end
  return x ~= UInt64.new(0) and x:band(x - 1) == UInt64.new(0)
end

-- ceil(ceil(length / page) / 64) * 8
local function bitmap_bytes(length, page)
  local zero = UInt64.new(0)
  if length == zero then return zero end
  local pages = (length - 1) / page + 1
  return ((pages - 1) / 64 + 1) * 8
end

local function run_checks(b, v, n)
  for _, c in ipairs(b.checks) do
    local x = v[c.field]
    if c.kind == "known-bits" then
      if bit32.band(x, bit32.bnot(c.mask)) ~= 0 then refuse("ERR_BAD_FLAGS", c.field .. ": unknown bits") end
    elseif c.kind == "one-of" then
      local all = 0
      for _, m in ipairs(c.masks) do all = bit32.bor(all, m) end
      if bit32.band(x, bit32.bnot(all)) ~= 0 then refuse("ERR_BAD_FLAGS", c.field .. ": unknown bits") end
      for _, m in ipairs(c.masks) do
        if not one_bit(bit32.band(x, m)) then refuse("ERR_BAD_FLAGS", c.field .. ": needs one bit of each group") end
      end
    elseif c.kind == "some-of" then
      if bit32.band(x, c.mask) == 0 then refuse("ERR_BAD_FLAGS", c.field .. ": needs a bit of the mask") end
    elseif c.kind == "allowed" then
      local ok = false
      for _, a in ipairs(c.values) do if x == a then ok = true end end
      if not ok then refuse("ERR_BAD_FLAGS", c.field .. ": value not allowed") end
    elseif c.kind == "zero" then
      if x ~= 0 then refuse("ERR_BAD_FLAGS", c.field .. " must be 0") end
    elseif c.kind == "not-all" then
      if bit32.band(x, c.bits) == c.bits then refuse("ERR_BAD_FLAGS", c.field .. ": bits exclude each other") end
    elseif c.kind == "argsz-covers" then
      if v.argsz < n then refuse("ERR_ARGSZ", "argsz smaller than the body") end
    elseif c.kind == "limit" then
      check_limit(c.limit, x)
    end
  end
end

-- Tails ------------------------------------------------------------------------

local TAILS = {}

-- A field of a decoded struct by a dotted path (bitmap.size).
local function field_of(v, path)
  for part in string.gmatch(path, "[^.]+") do v = v[part] end
  return v
end

-- Bytes: the rest, a fixed count, a length field, or a dirty bitmap sized by two fields.
TAILS.bytes = function(tvb, tree, o, n, S, t, v, prefix)
  local at = prefix .. "." .. t.name
  if t.rest then
    add_bytes(tree, at, tvb, o + S, n - S)
    return
  end
  if t.fixed ~= nil then
    if n ~= S + t.fixed then refuse("ERR_BODY_LONG", "bytes after the body") end
    add_bytes(tree, at, tvb, o + S, t.fixed)
    return
  end
  if t.pageSizeField ~= nil then
    local length = v[t.lengthField]
    local page = v[t.pageSizeField]
    if not power_of_two(page) then refuse("ERR_BAD_VALUE", t.pageSizeField .. " is not a power of two") end
    local want = bitmap_bytes(length, page)
    if t.limit ~= nil then check_limit(t.limit, want) end
    if UInt64.new(n - S) ~= want then refuse("ERR_TAIL_LENGTH", "the bitmap and length / page size disagree") end
    add_bytes(tree, at, tvb, o + S, n - S)
    return
  end
  if t.limit ~= nil then check_limit(t.limit, v[t.field]) end
  local len = as_number(v[t.field])
  if t.whenFlag ~= nil and bit32.band(v[t.whenField], t.whenFlag) == 0 then len = 0 end
  if t.atLeast then
    if n < S + len then refuse("ERR_TAIL_LENGTH", t.field .. " says more bytes than follow") end
    add_bytes(tree, at, tvb, o + S, n - S)
  else
    if n ~= S + len then refuse("ERR_TAIL_LENGTH", t.field .. " and the bytes that follow disagree") end
    add_bytes(tree, at, tvb, o + S, len)
  end
end

-- An array of structs, or of a union whose member the stride tells.
TAILS.array = function(tvb, tree, o, n, S, t, v, prefix)
  if t.limit ~= nil then check_limit(t.limit, v[t.field]) end
  local cnt = as_number(v[t.field])
  if t.members ~= nil then
    local rest = n - S
    if rest == 0 and t.omittable then return end
    if cnt == 0 then refuse("ERR_BODY_LONG", "entries without a count") end
    local stride = rest / cnt
    local sname
    for _, m in ipairs(t.members) do
      if STRUCTS[m].size == stride then sname = m end
    end
    if sname == nil then refuse("ERR_STRIDE", "entries of no member's size") end
    for i = 0, cnt - 1 do read_struct(tvb, tree, o + S + i * stride, sname, prefix .. "." .. t.name) end
    return
  end
  if t.omittable and n == S then cnt = 0 end
  local size = STRUCTS[t.struct].size
  if n ~= S + cnt * size then refuse("ERR_TAIL_LENGTH", t.field .. " and the entries that follow disagree") end
  for i = 0, cnt - 1 do
    local e = read_struct(tvb, tree, o + S + i * size, t.struct, prefix .. "." .. t.name)
    if t.elementMax ~= nil and as_number(e[t.elementField]) > t.elementMax then refuse("ERR_TAIL_LENGTH", t.elementField .. " above " .. t.elementMax) end
  end
end

-- A struct present when a flag is set, its rules, and the bytes its field counts.
TAILS.optional = function(tvb, tree, o, n, S, t, v, prefix)
  local rest = n - S
  if bit32.band(v[t.flagField], t.flag) == 0 then
    if rest ~= 0 then refuse("ERR_BODY_LONG", "bytes after the body") end
    return
  end
  local T = STRUCTS[t.struct].size
  if rest < T then refuse("ERR_BODY_SHORT", t.struct .. " is cut short") end
  local at = prefix .. "." .. t.name
  local x, sub = read_struct(tvb, tree, o + S, t.struct, at)
  for _, c in ipairs(t.checks) do
    if c.kind == "limit" then
      check_limit(c.limit, field_of(x, c.field))
    elseif c.kind == "power-of-two" then
      if not power_of_two(field_of(x, c.field)) then refuse("ERR_BAD_VALUE", c.field .. " is not a power of two") end
    elseif c.kind == "bitmap-size" then
      if field_of(x, c.field) ~= bitmap_bytes(v[c.length], field_of(x, c.pageSize)) then refuse("ERR_BAD_VALUE", c.field .. " does not fit the window") end
    end
  end
  if t.thenField == nil then
    if rest ~= T then refuse("ERR_BODY_LONG", "bytes after " .. t.struct) end
    if t.argszRoom ~= nil and v.argsz < S + T + as_number(field_of(x, t.argszRoom)) then refuse("ERR_ARGSZ", "argsz leaves no room for what the reply carries") end
    return
  end
  local bytes = as_number(field_of(x, t.thenField))
  if rest ~= T + bytes then refuse("ERR_TAIL_LENGTH", t.thenField .. " and the bytes that follow disagree") end
  add_bytes(sub, at .. "." .. t.thenName, tvb, o + S + T, bytes)
end

-- Whether every test of a payload case holds: the field's bits under the mask are one of the values.
local function case_holds(c, v)
  for _, w in ipairs(c.when) do
    local x = bit32.band(v[w.field], w.mask)
    local any = false
    for _, y in ipairs(w.is) do
      if x == y then any = true end
    end
    if not any then return false end
  end
  return true
end

-- A payload chosen by the fields before it; anything no case takes is raw bytes.
TAILS.select = function(tvb, tree, o, n, S, t, v, prefix)
  local at = prefix .. "." .. t.name
  local d = o + S
  local rest = n - S
  local function need(ok)
    if not ok then refuse("ERR_FEATURE_PAYLOAD", "the payload does not have the size its case needs") end
  end
  for _, c in ipairs(t.cases) do
    if case_holds(c, v) then
      if c.struct == nil then
        need(rest == 0)
        return
      end
      local T = STRUCTS[c.struct].size
      if c.thenKind == nil then
        need(rest == T)
        read_struct(tvb, tree, d, c.struct, at)
        return
      end
      if c.fixed ~= nil then need(rest == T + c.fixed) else need(rest >= T) end
      local x, sub = read_struct(tvb, tree, d, c.struct, at)
      local r = c.replyBitmap
      if r ~= nil and power_of_two(x[r.pageSize]) then check_limit(r.limit, bitmap_bytes(x[r.length], x[r.pageSize])) end
      local thenAt = at .. "." .. c.thenName
      if c.fixed ~= nil then
        add_bytes(sub, thenAt, tvb, d + T, c.fixed)
      elseif c.thenKind == "array" then
        if c.limit ~= nil then check_limit(c.limit, x[c.field]) end
        local cnt = as_number(x[c.field])
        local E = STRUCTS[c.of].size
        if rest ~= T + cnt * E then refuse("ERR_TAIL_LENGTH", c.field .. " and the entries that follow disagree") end
        for i = 0, cnt - 1 do read_struct(tvb, sub, d + T + i * E, c.of, thenAt) end
      elseif c.pageSize ~= nil then
        local page = x[c.pageSize]
        if not power_of_two(page) then refuse("ERR_BAD_VALUE", c.pageSize .. " is not a power of two") end
        local want = bitmap_bytes(x[c.length], page)
        if c.limit ~= nil then check_limit(c.limit, want) end
        need(UInt64.new(rest - T) == want)
        add_bytes(sub, thenAt, tvb, d + T, rest - T)
      elseif c.field ~= nil then
        local len = as_number(x[c.field])
        need(rest == T + len)
        add_bytes(sub, thenAt, tvb, d + T, len)
      else
        add_bytes(sub, thenAt, tvb, d + T, rest - T)
      end
      return
    end
  end
  add_bytes(tree, at .. ".bytes", tvb, d, rest)
end

-- The VERSION JSON, read as strictly as the codec reads it (src/json.ts, src/capabilities.ts).
local function check_utf8(s)
  local i, len = 1, #s
  while i <= len do
    local c = s:byte(i)
    local need, min
    if c < 0x80 then need, min = 0, 0
    elseif c >= 0xc2 and c < 0xe0 then need, min = 1, 0x80
    elseif c >= 0xe0 and c < 0xf0 then need, min = 2, 0x800
    elseif c >= 0xf0 and c < 0xf5 then need, min = 3, 0x10000
    else refuse("ERR_JSON_UTF8", "not UTF-8") end
    if i + need > len then refuse("ERR_JSON_UTF8", "not UTF-8") end
    local cp = need == 0 and c or bit32.band(c, bit32.rshift(0x7f, need + 1))
    for k = 1, need do
      local b = s:byte(i + k)
      if bit32.band(b, 0xc0) ~= 0x80 then refuse("ERR_JSON_UTF8", "not UTF-8") end
      cp = cp * 64 + bit32.band(b, 0x3f)
    end
    if cp < min or cp > 0x10ffff or (cp >= 0xd800 and cp <= 0xdfff) then refuse("ERR_JSON_UTF8", "not UTF-8") end
    i = i + need + 1
  end
end

local BACKSLASH = string.char(92)

local function parse_json(s)
  local pos = 1
  local function syntax() refuse("ERR_JSON_SYNTAX", "not JSON at byte " .. (pos - 1)) end
  local function ws()
    while true do
      local c = s:sub(pos, pos)
      if c == " " or c == "\\t" or c == "\\n" or c == "\\r" then pos = pos + 1 else return end
    end
  end
  local value
  local function str()
    pos = pos + 1
    local parts = {}
    while true do
      local c = s:sub(pos, pos)
      if c == "" then syntax() end
      if c == '"' then pos = pos + 1; return table.concat(parts) end
      if c:byte() < 0x20 then syntax() end
      if c == BACKSLASH then
        local e = s:sub(pos + 1, pos + 1)
        if e == "u" then
          if not s:sub(pos + 2, pos + 5):match("^%x%x%x%x$") then syntax() end
          parts[#parts + 1] = s:sub(pos, pos + 5)
          pos = pos + 6
        elseif e == BACKSLASH or e:match('^["/bfnrt]$') then
          parts[#parts + 1] = s:sub(pos, pos + 1)
          pos = pos + 2
        else syntax() end
      else
        parts[#parts + 1] = c
        pos = pos + 1
      end
    end
  end
  value = function(depth)
    ws()
    local c = s:sub(pos, pos)
    if c == "{" or c == "[" then
      if depth + 1 > LIMITS.maxJsonDepth then refuse("ERR_LIMIT", "maxJsonDepth exceeded") end
    end
    if c == "{" then
      pos = pos + 1
      local obj = { kind = "object", keys = {}, order = {} }
      ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1; return obj end
      while true do
        ws()
        if s:sub(pos, pos) ~= '"' then syntax() end
        local k = str()
        ws()
        if s:sub(pos, pos) ~= ":" then syntax() end
        pos = pos + 1
        local v = value(depth + 1)
        if obj.keys[k] ~= nil then refuse("ERR_JSON_DUPLICATE_KEY", "key " .. k .. " twice") end
        obj.keys[k] = v
        obj.order[#obj.order + 1] = k
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "}" then return obj end
        if d ~= "," then syntax() end
      end
    elseif c == "[" then
      pos = pos + 1
      ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1; return { kind = "array" } end
      while true do
        value(depth + 1)
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "]" then return { kind = "array" } end
        if d ~= "," then syntax() end
      end
    elseif c == '"' then
      str()
      return { kind = "string" }
    elseif s:sub(pos, pos + 3) == "true" then pos = pos + 4; return { kind = "boolean" }
    elseif s:sub(pos, pos + 4) == "false" then pos = pos + 5; return { kind = "boolean" }
    elseif s:sub(pos, pos + 3) == "null" then pos = pos + 4; return { kind = "null" }
    else
      local text = s:match("^-?%d+%.?%d*[eE]?[+-]?%d*", pos)
      if text == nil then syntax() end
      if not (text:match("^-?0$") or text:match("^-?[1-9]%d*$") or text:match("^-?0%.%d+$") or text:match("^-?[1-9]%d*%.%d+$")
        or text:match("^-?0[eE][+-]?%d+$") or text:match("^-?[1-9]%d*[eE][+-]?%d+$") or text:match("^-?0%.%d+[eE][+-]?%d+$") or text:match("^-?[1-9]%d*%.%d+[eE][+-]?%d+$")) then
        syntax()
      end
      pos = pos + #text
      local n = tonumber(text)
      if n == nil or n == math.huge or n == -math.huge then syntax() end
      return { kind = "number", value = n }
    end
  end
  local root = value(0)
  ws()
  if pos <= #s then syntax() end
  return root
end

local function check_caps(node, v, path)
  for _, k in ipairs(v.order) do
    local child = node.keys and node.keys[k]
    if child ~= nil then
      local x = v.keys[k]
      local ok
      if child.type == "object" then ok = x.kind == "object"
      elseif child.type == "boolean" then ok = x.kind == "boolean"
      else
        ok = x.kind == "number" and x.value == math.floor(x.value) and math.abs(x.value) <= 9007199254740991
          and x.value >= (child.min or -9007199254740991) and x.value <= (child.max or 9007199254740991)
      end
      if not ok then refuse("ERR_CAPS_TYPE", path .. k .. " has the wrong type") end
      if child.type == "object" then check_caps(child, x, path .. k .. ".") end
    end
  end
end

TAILS.json = function(tvb, tree, o, n, S, t, v, prefix, pinfo)
  local len = n - S
  if len == 0 then
    add_bytes(tree, prefix .. "." .. t.name, tvb, o + S, 0)
    return
  end
  local text = len - 1
  check_limit("maxJsonBytes", len)
  if tvb(o + S + len - 1, 1):uint() ~= 0 then refuse("ERR_JSON_NUL", "the JSON does not end in a NUL byte") end
  for i = 0, text - 1 do
    if tvb(o + S + i, 1):uint() == 0 then refuse("ERR_JSON_NUL", "a NUL inside the JSON") end
  end
  local s = text > 0 and tvb(o + S, text):raw() or ""
  check_utf8(s)
  local root = parse_json(s)
  if root.kind ~= "object" then refuse("ERR_CAPS_TYPE", "the JSON is not an object") end
  check_caps(CAPS, root, "")
  add_bytes(tree, prefix .. "." .. t.name, tvb, o + S, text)
  if json_dissector ~= nil and text > 0 then
    pcall(function() json_dissector:call(tvb(o + S, text):tvb(), pinfo, tree) end)
  end
end

-- The capability chain must tile the bytes after the struct; each capability is chosen by its header's id.
TAILS.chain = function(tvb, tree, o, n, S, t, v, prefix)
  if bit32.band(v[t.flagField], t.flag) == 0 then
    if n ~= S then refuse("ERR_BODY_LONG", "bytes after the struct") end
    return
  end
  if n == S then refuse("ERR_CAP_CHAIN", "the flag is set but no capability follows") end
  local H = STRUCTS[t.header].size
  local function case_of(id)
    for _, c in ipairs(t.cases) do
      if c.id == id then return c end
    end
    return nil
  end
  local positions, seen = {}, {}
  local pos = v[t.offsetField]
  while pos ~= 0 do
    if #positions >= LIMITS[t.limit] then refuse("ERR_LIMIT", t.limit .. " exceeded") end
    if seen[pos] then refuse("ERR_CAP_CHAIN", "the chain loops") end
    if pos < S or pos + 8 > n then refuse("ERR_CAP_CHAIN", "a capability outside the body") end
    seen[pos] = true
    positions[#positions + 1] = pos
    pos = tvb(o + pos + 4, 4):le_uint()
  end
  if #positions == 0 then refuse("ERR_CAP_CHAIN", "the flag is set but the first offset is 0") end
  local sorted = {}
  for i, p in ipairs(positions) do sorted[i] = p end
  table.sort(sorted)
  if sorted[1] ~= S then refuse("ERR_CAP_CHAIN", "bytes that belong to no capability") end
  local size_at = {}
  for i, p in ipairs(sorted) do
    local stop = sorted[i + 1] or n
    local c = case_of(tvb(o + p, 2):le_uint())
    local size
    if c == nil then
      size = stop - p
      if size < H then refuse("ERR_CAP_CHAIN", "capabilities overlap") end
    elseif c.struct == nil then
      size = H
    else
      local T = STRUCTS[c.struct].size
      if c.thenKind == "array" then
        if stop - p < T then refuse("ERR_CAP_CHAIN", c.struct .. " cut short") end
        local cnt = tvb(o + p + c.countAt, 4):le_uint()
        if c.limit ~= nil then check_limit(c.limit, cnt) end
        size = T + cnt * STRUCTS[c.of].size
        if p + size > stop then refuse("ERR_CAP_CHAIN", c.thenName .. " run past the next capability") end
      else
        size = T
        if p + size > stop then refuse("ERR_CAP_CHAIN", c.struct .. " cut short") end
      end
    end
    if p + size ~= stop then refuse("ERR_CAP_CHAIN", "bytes that belong to no capability") end
    size_at[p] = size
  end
  local at = prefix .. "." .. t.name
  for _, p in ipairs(positions) do
    local cc = o + p
    local c = case_of(tvb(cc, 2):le_uint())
    if c ~= nil and c.struct ~= nil then
      local x, sub = read_struct(tvb, tree, cc, c.struct, at)
      if c.thenKind == "array" then
        local E = STRUCTS[c.of].size
        local T = STRUCTS[c.struct].size
        for a = 0, x[c.field] - 1 do read_struct(tvb, sub, cc + T + a * E, c.of, at .. "." .. c.thenName) end
      end
    else
      local _, sub = read_struct(tvb, tree, cc, t.header, at .. ".header")
      if c == nil then add_bytes(sub, at .. ".data", tvb, cc + H, size_at[p] - H) end
    end
  end
end

-- Messages ---------------------------------------------------------------------

-- The struct's C tail padding after the tail: zero bytes.
local function check_zero_pad(tvb, o, pad)
  for i = 0, pad - 1 do
    if tvb(o + i, 1):uint() ~= 0 then refuse("ERR_BAD_VALUE", "a padding byte after the body is not 0") end
  end
end

local function dissect_body(tvb, tree, o, n, b, prefix, pinfo)
  if b.kind == "empty" then
    if n ~= 0 then refuse("ERR_EMPTY_BODY", "a body where none belongs") end
    return
  end
  if b.emptyAllowed and n == 0 then return end
  local s = STRUCTS[b.struct]
  if n < s.size then refuse("ERR_BODY_SHORT", "the body is shorter than " .. b.struct) end
  local v = read_struct(tvb, tree, o, b.struct, prefix)
  run_checks(b, v, n)
  local t = b.tail
  local pad = b.pad or 0
  if t == nil then
    if n < s.size + pad then refuse("ERR_BODY_SHORT", "the body is shorter than sizeof(" .. b.struct .. ")") end
    if n ~= s.size + pad then refuse("ERR_BODY_LONG", "bytes after " .. b.struct) end
    check_zero_pad(tvb, o + s.size, pad)
    return
  end
  TAILS[t.kind](tvb, tree, o, n - pad, s.size, t, v, prefix, pinfo)
  check_zero_pad(tvb, o + n - pad, pad)
end

local function dialect_of(side)
  local i = side == "client" and vfio.prefs.client_dialect or vfio.prefs.server_dialect
  return DIALECTS[i] or DEFAULT_DIALECT
end

-- dir: "c2s", "s2c" or nil (then the sender follows from the command).
local function dissect_message(tvb, pinfo, root, m0, avail, dir)
  local tree = root:add(vfio, tvb(m0, math.min(avail, math.max(avail, 0))))
  local ok, err = pcall(function()
    if avail < 16 then refuse("ERR_NEED_MORE", "a header needs 16 bytes") end
    local msg_id = tvb(m0, 2):le_uint()
    local cmd = tvb(m0 + 2, 2):le_uint()
    local msg_size = tvb(m0 + 4, 4):le_uint()
    local flags = tvb(m0 + 8, 4):le_uint()
    local error_no = tvb(m0 + 12, 4):le_uint()
    local typ = bit32.band(flags, 0xf)
    local is_error = bit32.band(flags, 0x20) ~= 0
    local kind = typ == 0 and "command" or "reply"
    if typ == 1 and is_error then kind = "error" end
    local c = COMMANDS[cmd]
    if typ == 0 and is_error then
      -- Dialects whose error replies were once typed as commands (ERROR with type bits 0).
      local replier = (dir == "c2s" and "client") or (dir == "s2c" and "server") or ((c and c.sender == "server") and "client" or "server")
      if ERROR_TYPED_AS_COMMAND[dialect_of(replier)] then kind = "error" end
    end
    local cname = c and c.name or ("UNKNOWN(" .. cmd .. ")")
    tree:append_text(", " .. cname .. " " .. kind .. ", msg_id " .. msg_id)
    pinfo.cols.info:append(cname .. " " .. kind .. " id=" .. msg_id .. "  ")
    if msg_size < 16 then refuse("ERR_MSG_SIZE_SMALL", "msg_size below 16") end
    if msg_size > LIMITS.maxMessageSize then refuse("ERR_MESSAGE_TOO_LARGE", "msg_size above maxMessageSize") end
    if avail < msg_size then refuse("ERR_NEED_MORE", "the message is cut short") end
    if avail > msg_size then refuse("ERR_MSG_SIZE_MISMATCH", "bytes after msg_size") end
    tree:add(F["vfio_user.kind"], tvb(m0 + 8, 4), kind)
    add_value(tree, "vfio_user.msg_id", tvb(m0, 2), msg_id)
    add_value(tree, "vfio_user.cmd", tvb(m0 + 2, 2), cmd)
    add_value(tree, "vfio_user.msg_size", tvb(m0 + 4, 4), msg_size)
    add_value(tree, "vfio_user.flags", tvb(m0 + 8, 4), flags)
    add_value(tree, "vfio_user.error_no", tvb(m0 + 12, 4), error_no)
    local o = m0 + 16
    local n = msg_size - 16
    if kind == "error" then
      tree:add_proto_expert_info(E_ERROR_REPLY, "error reply: " .. (ERRNO[error_no] or tostring(error_no)))
      if error_no > LIMITS.maxErrorNo then refuse("ERR_ERRNO_RANGE", "error_no above maxErrorNo") end
      add_bytes(tree, "vfio_user.body", tvb, o, n)
      return
    end
    if typ > 1 or is_error then refuse("ERR_BAD_TYPE", "flags hold no message type") end
    if c == nil then refuse("ERR_UNKNOWN_COMMAND", "unknown command") end
    local sender = c.sender
    if dir == "c2s" then sender = "client" elseif dir == "s2c" then sender = "server"
    elseif kind == "reply" then sender = (c.sender == "client") and "server" or "client" end
    local which = kind == "command" and "request" or "reply"
    local over = OVERRIDES[dialect_of(sender)]
    local b = (over and over[cmd] and over[cmd][which]) or c[which]
    dissect_body(tvb, tree, o, n, b, c.prefix, pinfo)
  end)
  if not ok then
    local code = type(err) == "table" and err.code or "ERR_DISSECTOR"
    local why = type(err) == "table" and err.why or tostring(err)
    tree:add(F["vfio_user.refused"], tvb(m0, 0), code)
    tree:add_proto_expert_info(E_REFUSED, code .. ": " .. why)
  end
end

function vfio.dissector(tvb, pinfo, root)
  pinfo.cols.protocol = "VFIO-USER"
  pinfo.cols.info:clear()
  local len = tvb:len()
  local o = 0
  while o < len do
    local size = 0
    if len - o >= 16 then size = tvb(o + 4, 4):le_uint() end
    if size < 16 or size > len - o then size = len - o end
    dissect_message(tvb, pinfo, root, o, size, nil)
    o = o + size
  end
  return len
end

local KNOWN_NFDS, KNOWN_CONN = 1, 2

function capture.dissector(tvb, pinfo, root)
  pinfo.cols.protocol = "VFIO-USER"
  pinfo.cols.info:clear()
  if tvb:len() < 16 then return 0 end
  local t = root:add(capture, tvb(0, 16))
  local dir = tvb(1, 1):uint()
  local known = tvb(3, 1):uint()
  t:add_le(CF["vfio_user_capture.seq"], tvb(12, 4))
  t:add_le(CF["vfio_user_capture.dir"], tvb(1, 1))
  t:add_le(CF["vfio_user_capture.socket"], tvb(2, 1))
  if bit32.band(known, KNOWN_NFDS) ~= 0 then t:add_le(CF["vfio_user_capture.nfds"], tvb(4, 4)) end
  if bit32.band(known, KNOWN_CONN) ~= 0 then t:add_le(CF["vfio_user_capture.conn"], tvb(8, 4)) end
  local d = DIR_NAMES[dir]
  if d == "c2s" then pinfo.cols.src = "client"; pinfo.cols.dst = "server"
  elseif d == "s2c" then pinfo.cols.src = "server"; pinfo.cols.dst = "client" end
  if d ~= "c2s" and d ~= "s2c" then d = nil end
  dissect_message(tvb, pinfo, root, 16, tvb:len() - 16, d)
  return tvb:len()
end
`;

/** Every `vfio_user.*` abbrev whose type is bytes (for comparing tshark's output). */
export function bytesFields(): Set<string> {
  return new Set(wiresharkFields().filter((f) => f.type === 'bytes').map((f) => f.abbrev));
}

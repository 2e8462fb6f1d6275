/**
 * `vfio-user probe SOCKET`: connects to a vfio-user server with the
 * package's client, negotiates, and describes the device: its VERSION and
 * capabilities, DEVICE_GET_INFO, every region (flags, size, offset,
 * capabilities, whether an fd came with it), every IRQ index, and whether it
 * supports migration (DEVICE_FEATURE MIGRATION) and the iommufd extension.
 */
import { closeSync } from 'node:fs';
import { CONST_SETS } from '../../generated/ts/constants.js';
import { VfioUserError } from '../errors.js';
import { jsonValue } from './json-form.js';
import type { Output, Values } from './commands.js';
import { InputError, UsageError } from './errors.js';
import { flagNames } from './text.js';

/** What probe learned about a device. */
export interface ProbeResult {
  readonly socket: string;
  readonly version: { readonly major: number; readonly minor: number };
  readonly capabilities: unknown;
  readonly iommufd: boolean;
  readonly twin_socket: boolean;
  readonly device: { readonly flags: number; readonly num_regions: number; readonly num_irqs: number };
  readonly regions: readonly Record<string, unknown>[];
  readonly irqs: readonly Record<string, unknown>[];
  readonly migration: { readonly supported: boolean; readonly flags?: string; readonly error_no?: number };
}

function enumName(set: string, value: number): string | null {
  const hit = CONST_SETS[set]?.values.find(([, v]) => v === value);
  return hit === undefined ? null : hit[0];
}

/** Connects to `socket`, asks the device everything it describes itself with, and closes. */
export async function probe(socket: string): Promise<ProbeResult> {
  const { connect } = await import('../unix/index.js');
  const client = await connect(socket, { capabilities: { iommufd: { supported: true } } });
  try {
    const info = await client.getDeviceInfo();
    const regions: Record<string, unknown>[] = [];
    for (let i = 0; i < info.num_regions; i++) {
      const { info: r, fd } = await client.getRegionInfo(i);
      if (fd !== null) closeSync(fd);
      regions.push({ index: i, name: enumName('region_index', i), ...(jsonValue(r) as Record<string, unknown>), fd: fd !== null });
    }
    const irqs: Record<string, unknown>[] = [];
    for (let i = 0; i < info.num_irqs; i++) {
      const q = await client.getIrqInfo(i);
      irqs.push({ name: enumName('irq_index', i), ...(jsonValue(q) as Record<string, unknown>) });
    }
    let migration: ProbeResult['migration'];
    try {
      migration = { supported: true, flags: String(await client.getMigrationFlags()) };
    } catch (e) {
      if (!(e instanceof Error) || (e as { code?: string }).code !== 'ERR_REMOTE') throw e;
      migration = { supported: false, error_no: (e as { errno?: number }).errno ?? 0 };
    }
    return {
      socket,
      version: client.version,
      capabilities: jsonValue(client.serverCapabilities),
      iommufd: client.negotiated.iommufd,
      twin_socket: client.twinSocket,
      device: { flags: info.flags, num_regions: info.num_regions, num_irqs: info.num_irqs },
      regions,
      irqs,
      migration,
    };
  } finally {
    client.close();
  }
}

function size(n: bigint): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let x = Number(n);
  while (x >= 1024 && u < units.length - 1 && x % 1024 === 0) {
    x /= 1024;
    u++;
  }
  return `${x} ${units[u]}`;
}

/** The device as a person reads it. */
export function probeText(p: ProbeResult): string[] {
  const out: string[] = [];
  out.push(`${p.socket}: vfio-user ${p.version.major}.${p.version.minor}`);
  out.push(`  capabilities: ${JSON.stringify(p.capabilities)}`);
  out.push(`  iommufd: ${p.iommufd ? 'yes' : 'no'}   twin socket: ${p.twin_socket ? 'yes' : 'no'}   migration: ${p.migration.supported ? `yes (${flagNames('migration_flags', BigInt(p.migration.flags ?? '0'))})` : 'no'}`);
  out.push(`  device: ${flagNames('device_flags', p.device.flags)}, ${p.device.num_regions} regions, ${p.device.num_irqs} IRQ indexes`);
  out.push('  regions:');
  for (const r of p.regions) {
    const bytes = BigInt(r['size'] as string);
    const caps = (r['caps'] as Record<string, unknown>[] | undefined) ?? [];
    const capText = caps.map((c) => {
      if (c['kind'] === 'sparse_mmap') return `sparse mmap ${((c['areas'] as Record<string, string>[]) ?? []).map((a) => `0x${BigInt(a['offset']!).toString(16)}+0x${BigInt(a['size']!).toString(16)}`).join(', ')}`;
      if (c['kind'] === 'type') return `type ${String(c['type'])}/${String(c['subtype'])}`;
      return String(c['kind']);
    });
    const name = (r['name'] as string | null) ?? `region ${String(r['index'])}`;
    if (bytes === 0n) {
      out.push(`    ${String(r['index']).padStart(2)} ${name}: absent`);
      continue;
    }
    out.push(`    ${String(r['index']).padStart(2)} ${name}: ${size(bytes)} (0x${bytes.toString(16)}) ${flagNames('region_info_flags', r['flags'] as number)}${r['fd'] === true ? ', fd' : ''}${capText.length > 0 ? `; ${capText.join('; ')}` : ''}`);
  }
  out.push('  IRQs:');
  for (const q of p.irqs) {
    const count = q['count'] as number;
    out.push(`    ${String(q['index']).padStart(2)} ${(q['name'] as string | null) ?? ''}: ${count} vector${count === 1 ? '' : 's'}${count > 0 ? ` ${flagNames('irq_info_flags', q['flags'] as number)}` : ''}`);
  }
  return out;
}

/** `vfio-user probe SOCKET [--output text|json]`. */
export async function probeCommand(values: Values, positionals: readonly string[], out: Output): Promise<number> {
  const socket = positionals[0];
  if (socket === undefined) throw new UsageError('probe needs a SOCKET', 'probe');
  if (positionals.length > 1) throw new UsageError(`one SOCKET only; got ${positionals.length}`, 'probe');
  const output = values['json'] === true ? 'json' : (values['output'] ?? 'text');
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be one of text, json; got '${String(output)}'`, 'probe');
  let p: ProbeResult;
  try {
    p = await probe(socket);
  } catch (e) {
    if (e instanceof VfioUserError) throw e;
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_')) throw new InputError(`probe ${socket}: ${code}: ${(e as Error).message}`);
    throw new InputError(`cannot probe ${socket}: ${(e as Error).message}`);
  }
  out.write(output === 'json' ? `${JSON.stringify(p)}\n` : `${probeText(p).join('\n')}\n`);
  return 0;
}

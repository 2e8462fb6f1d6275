/**
 * The bodies of the server's DMA_READ and DMA_WRITE commands in any dialect,
 * and the check that a reply answers one. The layout comes from spec/: the
 * struct a dialect uses for the command (vfio_user_dma_region_access with a
 * u64 `addr` and u64 `count` by default; QEMU's VFIOUserDMARW with `offset`
 * and a 32-bit `count`), so a server writes what its dialect's peer reads.
 */
import { dialects, commands, structs } from '../spec.js';
import type { DialectName } from '../options.js';
import { VFIO_USER_DMA_READ, VFIO_USER_DMA_WRITE } from '../../generated/ts/constants.js';

/** VFIO_USER_DMA_READ and VFIO_USER_DMA_WRITE. */
export type DmaCmd = typeof VFIO_USER_DMA_READ | typeof VFIO_USER_DMA_WRITE;

/** How a dialect writes the address and count of a DMA command. */
interface DmaLayout {
  /** The field that holds the address: `addr` or `offset`. */
  readonly addressField: string;
  /** Whether `count` is a u64 (bigint) or narrower (number). */
  readonly wideCount: boolean;
}

const layouts = new Map<string, DmaLayout>();

/** The struct of `cmd`'s request in `dialect`: the dialect's override, else the command's own. */
function requestStruct(dialect: DialectName, cmd: DmaCmd): string {
  const override = dialects.find((d) => d.name === dialect)?.overrides.find((o) => o.cmd === cmd && o.message === 'request');
  const body = override?.body ?? commands.find((c) => c.cmd === cmd)?.request;
  if (body === undefined || body.kind !== 'struct') throw new Error(`no request struct for command ${cmd}`);
  return body.struct;
}

function layout(dialect: DialectName, cmd: DmaCmd): DmaLayout {
  const key = `${dialect}/${cmd}`;
  let l = layouts.get(key);
  if (l === undefined) {
    const name = requestStruct(dialect, cmd);
    const struct = structs.find((s) => s.name === name);
    const count = struct?.fields.find((f) => f.name === 'count');
    const address = struct?.fields.find((f) => f.name !== 'count');
    if (struct === undefined || count === undefined || address === undefined) throw new Error(`struct ${name} has no address and count`);
    l = { addressField: address.name, wideCount: count.type === 'u64' };
    layouts.set(key, l);
  }
  return l;
}

/** The body of a DMA_READ (no data) or DMA_WRITE (with `data`) command as `dialect` writes it. */
export function dmaCommandBody(dialect: DialectName, cmd: DmaCmd, addr: bigint, count: number, data?: Uint8Array): never {
  const l = layout(dialect, cmd);
  const body: Record<string, unknown> = { [l.addressField]: addr, count: l.wideCount ? BigInt(count) : count };
  if (data !== undefined) body['data'] = data;
  return body as never;
}

/**
 * Whether a decoded DMA reply body answers a command for `count` bytes at
 * `addr`: its address and count echo the command's (a body-less reply, as
 * QEMU sends to DMA_WRITE, echoes nothing and passes), and a DMA_READ reply
 * carries exactly `count` bytes of data.
 */
export function dmaReplyAnswers(cmd: DmaCmd, body: unknown, addr: bigint, count: number): boolean {
  if (body === null) return cmd === VFIO_USER_DMA_WRITE;
  const b = body as { readonly addr?: bigint; readonly offset?: bigint; readonly count?: bigint | number; readonly data?: Uint8Array };
  const address = b.addr ?? b.offset;
  if (address !== addr || BigInt(b.count ?? -1) !== BigInt(count)) return false;
  return cmd === VFIO_USER_DMA_WRITE || b.data?.length === count;
}

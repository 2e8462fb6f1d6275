/**
 * What a server's implementation refuses although the protocol lets it
 * through (spec/dialects.ts `serverRefuses`): the connection model checks a
 * command against its server dialect's refusals, so the checker, the server
 * and the client agree on them.
 */
import type { DialectSpec, ErrnoName } from '../spec.js';

/** A refusal: the errno and why. */
export interface Refusal {
  readonly errno: ErrnoName;
  readonly why: string;
}

/** The window that overlaps [addr, addr + size) without being exactly it, or null. */
function overlapping(windows: Iterable<{ readonly addr: bigint; readonly size: bigint }>, addr: bigint, size: bigint): { readonly addr: bigint; readonly size: bigint } | null {
  const end = addr + size;
  for (const w of windows) if (addr < w.addr + w.size && w.addr < end && !(w.addr === addr && w.size === size)) return w;
  return null;
}

/**
 * A command the receiving server's implementation refuses although the
 * protocol lets it through (spec/dialects.ts `serverRefuses`): null when it
 * serves it. `deviceState` is the migration state and `windows` the DMA
 * windows mapped, as far as the conversation shows.
 */
export function checkServerRefusals(
  server: DialectSpec,
  cmd: number,
  body: unknown,
  deviceState: number,
  windows: Iterable<{ readonly addr: bigint; readonly size: bigint }> = [],
): Refusal | null {
  const field = (name: string): number | null => {
    const x = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
    return typeof x === 'number' ? x : null;
  };
  for (const r of server.serverRefuses ?? []) {
    switch (r.kind) {
      case 'only-in-states':
        if (r.states.includes(deviceState) && !r.commands.includes(cmd)) return { errno: r.errno, why: r.why };
        break;
      case 'argsz-below': {
        const argsz = field('argsz');
        const x = field(r.field);
        if (r.cmd === cmd && argsz !== null && x !== null && argsz < r.plus + x) return { errno: r.errno, why: `${r.why} (argsz ${argsz}, ${r.field} ${x})` };
        break;
      }
      case 'command-in-states':
        if (r.cmd === cmd && !r.states.includes(deviceState)) return { errno: r.errno, why: `${r.why} (state ${deviceState})` };
        break;
      case 'map-overlap': {
        const b = body as { addr?: unknown; size?: unknown } | null;
        if (r.cmd !== cmd || typeof b?.addr !== 'bigint' || typeof b.size !== 'bigint') break;
        const addr = b.addr;
        const clash = overlapping(windows, addr, b.size);
        if (clash !== null) return { errno: r.errno, why: `${r.why} (0x${addr.toString(16)}+0x${b.size.toString(16)} against 0x${clash.addr.toString(16)}+0x${clash.size.toString(16)})` };
        break;
      }
      case 'bits-without': {
        const x = field(r.field);
        if (r.cmd === cmd && x !== null && (x & r.all) === r.all && (x & r.without) === 0) return { errno: r.errno, why: r.why };
        break;
      }
    }
  }
  return null;
}

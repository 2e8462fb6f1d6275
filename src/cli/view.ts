/**
 * What `decode` shows of a capture: the filters (--cmd, --conn, --errors),
 * the per-command summary (--stats), the relative-time column and colours.
 */
import { commands } from '../spec.js';
import { commandName, FLAG_ERROR, FLAG_TYPE_MASK } from '../codec.js';
import type { Decoded } from './decoded.js';
import { UsageError } from './errors.js';

/** Which messages decode keeps. */
export interface Filter {
  /** Command numbers kept; null keeps every command. */
  readonly cmds: ReadonlySet<number> | null;
  /** Connections kept (as written in the capture); null keeps every connection. */
  readonly conns: ReadonlySet<string> | null;
  /** Keep only error replies and messages that did not decode. */
  readonly errors: boolean;
}

const byName = new Map<string, number>();
for (const c of commands) {
  byName.set(c.name.toLowerCase(), c.cmd);
  byName.set(c.name.replace(/^VFIO_USER_/, '').toLowerCase(), c.cmd);
}

/**
 * The command numbers of a `--cmd` list: names with or without `VFIO_USER_`,
 * any case, or numbers, separated by commas.
 * @throws UsageError for a name no command has
 */
export function parseCommands(list: string, subcommand: string): Set<number> {
  const out = new Set<number>();
  for (const word of list.split(',')) {
    const w = word.trim();
    if (w === '') continue;
    if (/^[0-9]+$/.test(w)) {
      out.add(Number(w));
      continue;
    }
    const n = byName.get(w.toLowerCase());
    if (n === undefined) throw new UsageError(`--cmd: unknown command name '${w}' (try DMA_MAP or VFIO_USER_DMA_MAP)`, subcommand);
    out.add(n);
  }
  return out;
}

/** Whether decode shows `d`. */
export function keep(d: Decoded, f: Filter): boolean {
  if (f.cmds !== null && (d.header === null || !f.cmds.has(d.header.cmd))) return false;
  if (f.conns !== null && (d.record.conn === null || !f.conns.has(String(d.record.conn)))) return false;
  if (f.errors && d.message !== null && (d.message.flags & FLAG_ERROR) === 0) return false;
  return true;
}

/** One row of --stats. */
interface Row {
  commands: number;
  replies: number;
  errors: number;
  undecoded: number;
  bytes: number;
  fds: number;
}

/** Counts messages per command for --stats. */
export class Stats {
  readonly #rows = new Map<number, Row>();
  #undecodable = 0;

  add(d: Decoded): void {
    if (d.header === null) {
      this.#undecodable++;
      return;
    }
    let row = this.#rows.get(d.header.cmd);
    if (row === undefined) {
      row = { commands: 0, replies: 0, errors: 0, undecoded: 0, bytes: 0, fds: 0 };
      this.#rows.set(d.header.cmd, row);
    }
    row.bytes += d.record.bytes.length;
    row.fds += d.record.nfds ?? 0;
    if (d.message === null) row.undecoded++;
    if ((d.header.flags & FLAG_ERROR) !== 0) row.errors++;
    else if ((d.header.flags & FLAG_TYPE_MASK) === 0) row.commands++;
    else row.replies++;
  }

  /** The table: one line per command in command order, then the totals. */
  lines(): string[] {
    const head = ['command', 'commands', 'replies', 'errors', 'undecoded', 'bytes', 'fds'];
    const body: string[][] = [];
    const total: Row = { commands: 0, replies: 0, errors: 0, undecoded: 0, bytes: 0, fds: 0 };
    for (const [cmd, r] of [...this.#rows].sort((a, b) => a[0] - b[0])) {
      body.push([commandName(cmd), ...[r.commands, r.replies, r.errors, r.undecoded, r.bytes, r.fds].map(String)]);
      for (const k of Object.keys(total) as (keyof Row)[]) total[k] += r[k];
    }
    total.undecoded += this.#undecodable;
    if (this.#undecodable > 0) body.push(['(no header)', '0', '0', '0', String(this.#undecodable), '', '']);
    body.push(['total', ...[total.commands, total.replies, total.errors, total.undecoded, total.bytes, total.fds].map(String)]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const fmt = (r: readonly string[]): string => r.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
    return [fmt(head), ...body.map(fmt)];
  }
}

/** The relative-time column: seconds since the first message that has a time, `+S.UUUUUU`. */
export class Clock {
  #start: number | null = null;

  /** The column for a record's time; blanks when the capture has none. */
  column(time: number | null | undefined): string {
    if (time === undefined || time === null) return ''.padStart(12);
    this.#start ??= time;
    return `+${(time - this.#start).toFixed(6)}`.padStart(12);
  }
}

/** ANSI colours, on only when asked for and allowed. */
export interface Colours {
  readonly on: boolean;
}

/**
 * Whether to colour: `--color always|never|auto` (auto: only on a terminal,
 * and never when the NO_COLOR environment variable is set and not empty).
 */
export function useColour(option: string | undefined, isTty: boolean, env: NodeJS.ProcessEnv, subcommand: string): boolean {
  if (option === 'always') return true;
  if (option === 'never') return false;
  if (option !== undefined && option !== 'auto') throw new UsageError(`--color must be one of auto, always, never; got '${option}'`, subcommand);
  const noColor = env['NO_COLOR'];
  return isTty && (noColor === undefined || noColor === '');
}

/** A decoded line coloured by kind: errors red, undecodable red bold, replies dim. */
export function colourLine(line: string, d: Decoded, on: boolean): string {
  if (!on) return line;
  if (d.message === null) return `\x1b[1;31m${line}\x1b[0m`;
  if ((d.message.flags & FLAG_ERROR) !== 0) return `\x1b[31m${line}\x1b[0m`;
  if ((d.message.flags & FLAG_TYPE_MASK) !== 0) return `\x1b[2m${line}\x1b[0m`;
  return line;
}

/**
 * The `vfio-user` command as a function: {@link main} runs a command line
 * against the standard streams it is given, so a program (or a test) can run
 * it in its own process. src/cli/main.ts runs it on the process's streams.
 *
 * Exit status: 0 ok; 1 violations or failures; 2 usage or input error.
 * Errors the user can fix are printed on stderr without a stack trace.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkCommand, corpusCommand, decodeCommand, encodeCommand, layoutCommand, pcapCommand, verifyCommand, type Output, type Values } from './commands.js';
import { VfioUserError } from '../errors.js';
import { probeCommand } from './probe.js';
import { proxyCommand } from './proxy.js';
import { InputError, optionWords, UsageError } from './errors.js';
import { HELP, MAIN_HELP } from './help.js';

type OptionSpec = { readonly type: 'string' | 'boolean'; readonly short?: string };

const HELP_OPTION: Record<string, OptionSpec> = { help: { type: 'boolean', short: 'h' } };
const CAPTURE_OPTIONS: Record<string, OptionSpec> = {
  input: { type: 'string' },
  dialect: { type: 'string' },
  'client-dialect': { type: 'string' },
  'server-dialect': { type: 'string' },
  dir: { type: 'string' },
  drafts: { type: 'boolean' },
  follow: { type: 'boolean', short: 'f' },
  'max-line-bytes': { type: 'string' },
};
const FILTERS: Record<string, OptionSpec> = {
  cmd: { type: 'string' },
  conn: { type: 'string' },
  errors: { type: 'boolean' },
  stats: { type: 'boolean' },
  full: { type: 'boolean' },
  color: { type: 'string' },
};
const OUTPUT: Record<string, OptionSpec> = { output: { type: 'string' } };
const VERBOSE: Record<string, OptionSpec> = { verbose: { type: 'boolean', short: 'v' } };

type Run = (values: Values, positionals: readonly string[], out: Output) => number | Promise<number>;

const SUBCOMMANDS: Readonly<Record<string, { readonly options: Record<string, OptionSpec>; readonly run: Run }>> = {
  decode: { options: { ...CAPTURE_OPTIONS, ...OUTPUT, ...VERBOSE, ...FILTERS }, run: decodeCommand },
  pcap: { options: { ...CAPTURE_OPTIONS, write: { type: 'string', short: 'w' } }, run: pcapCommand },
  verify: { options: { ...CAPTURE_OPTIONS, ...VERBOSE }, run: verifyCommand },
  check: { options: { ...CAPTURE_OPTIONS, ...OUTPUT, ...VERBOSE }, run: checkCommand },
  encode: {
    options: {
      ...OUTPUT,
      dialect: { type: 'string' },
      'client-dialect': { type: 'string' },
      'server-dialect': { type: 'string' },
      drafts: { type: 'boolean' },
      'allow-large': { type: 'boolean' },
      'max-line-bytes': { type: 'string' },
    },
    run: encodeCommand,
  },
  layout: { options: { format: { type: 'string' }, ...OUTPUT }, run: layoutCommand },
  probe: { options: { ...OUTPUT, json: { type: 'boolean' } }, run: probeCommand },
  proxy: {
    options: {
      listen: { type: 'string' },
      connect: { type: 'string' },
      capture: { type: 'string' },
      pcapng: { type: 'string' },
      check: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      dialect: { type: 'string' },
      'client-dialect': { type: 'string' },
      'server-dialect': { type: 'string' },
      drafts: { type: 'boolean' },
    },
    run: proxyCommand,
  },
  corpus: { options: {}, run: corpusCommand },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** The streams a command line runs against: standard output (with its TTY flag and the environment), standard error and standard input. */
export interface Io extends Output {
  readonly stderr: { write(text: string): unknown };
}

/** Runs the command line `argv` (without node and the script) against `io`; returns the exit status. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    return fail(e, io);
  }
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(MAIN_HELP);
    return 2;
  }
  if (name === '--help' || name === '-h') {
    io.write(MAIN_HELP);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.write(`${version()}\n`);
    return 0;
  }
  if (name === 'help') {
    const topic = rest[0];
    io.write(topic === undefined ? MAIN_HELP : (HELP[topic] ?? MAIN_HELP));
    return topic === undefined || HELP[topic] !== undefined ? 0 : 2;
  }
  const sub = SUBCOMMANDS[name];
  if (sub === undefined) throw new UsageError(`unknown command '${name}'`);
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: { ...HELP_OPTION, ...sub.options }, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (e) {
    throw new UsageError(optionWords(e as Error & { code?: string }), name);
  }
  if (parsed.values['help'] === true) {
    io.write(HELP[name]!);
    return 0;
  }
  return sub.run(parsed.values, parsed.positionals, io);
}

function fail(e: unknown, io: Io): number {
  if (e instanceof VfioUserError) {
    io.stderr.write(`vfio-user: ${e.message} (${e.code})\n`);
    return 2;
  }
  if (e instanceof UsageError) {
    io.stderr.write(`vfio-user: ${e.message}\n`);
    io.stderr.write(`Try 'vfio-user ${e.subcommand === undefined ? '' : `${e.subcommand} `}--help'.\n`);
    return 2;
  }
  if (e instanceof InputError) {
    io.stderr.write(`vfio-user: ${e.message}\n`);
    return 2;
  }
  io.stderr.write(`vfio-user: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 2;
}

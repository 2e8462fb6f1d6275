#!/usr/bin/env node
/**
 * The `vfio-user` command: decode, verify, check and encode vfio-user
 * captures; print the struct layout; write the fuzz corpus.
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

const stdout: Output = { write: (chunk) => void process.stdout.write(chunk), isTTY: process.stdout.isTTY === true, env: process.env };

/** Runs the command line `argv` (without node and the script); returns the exit status. */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(MAIN_HELP);
    return 2;
  }
  if (name === '--help' || name === '-h') {
    process.stdout.write(MAIN_HELP);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (name === 'help') {
    const topic = rest[0];
    process.stdout.write(topic === undefined ? MAIN_HELP : (HELP[topic] ?? MAIN_HELP));
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
    process.stdout.write(HELP[name]!);
    return 0;
  }
  return sub.run(parsed.values, parsed.positionals, stdout);
}

function fail(e: unknown): number {
  if (e instanceof VfioUserError) {
    process.stderr.write(`vfio-user: ${e.message} (${e.code})\n`);
    return 2;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`vfio-user: ${e.message}\n`);
    process.stderr.write(`Try 'vfio-user ${e.subcommand === undefined ? '' : `${e.subcommand} `}--help'.\n`);
    return 2;
  }
  if (e instanceof InputError) {
    process.stderr.write(`vfio-user: ${e.message}\n`);
    return 2;
  }
  process.stderr.write(`vfio-user: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 2;
}

// A reader that stops early (`| head`) closes the pipe: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    process.exitCode = fail(e);
  },
);

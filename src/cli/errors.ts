/**
 * The two errors the command reports to its user without a stack trace.
 * Both end the command with exit status 2.
 */

/** The command line is wrong: an unknown option, a missing argument, a bad value. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The subcommand whose `--help` the message points to, if any. */
  readonly subcommand: string | undefined;

  constructor(message: string, subcommand?: string) {
    super(message);
    this.subcommand = subcommand;
  }
}

/** The input cannot be read: a missing file, a malformed capture line, a JSON message that does not encode. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** node:util's parseArgs errors in the command's own words: "unknown option '--x'", "option '--cmd' needs a value". */
export function optionWords(e: Error & { code?: string }): string {
  const m = /'([^']+)'/.exec(e.message);
  const opt = m?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${opt}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(e.message) ? `option '${opt.split(' ')[0] ?? opt}' needs a value` : `option '${opt}' takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${opt}'`;
    default:
      return e.message;
  }
}

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

import type { ExecutionContext } from 'ava';
import { VfioUserError, VfioUserInvalidError, type ErrorCode } from '../../src/index.js';

/**
 * Runs `fn`, asserts it throws one of the package's errors with `code`, and
 * returns the error for further assertions.
 */
export function throwsCode(t: ExecutionContext, fn: () => unknown, code: ErrorCode): VfioUserError {
  let caught: unknown = undefined;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof VfioUserError)) {
    t.fail(`expected a VfioUserError ${code}, got ${caught === undefined ? 'no error' : String(caught)}`);
    throw new Error('unreachable');
  }
  t.is(caught.code as string, code as string);
  return caught;
}

/** Asserts `fn` throws a VfioUserInvalidError with `code` at `offset`, and returns it. */
export function expectInvalid(t: ExecutionContext, fn: () => unknown, code: ErrorCode, offset: number): VfioUserInvalidError {
  const error = t.throws(fn, { instanceOf: VfioUserInvalidError });
  t.is(error.code, code);
  t.is(error.offset, offset);
  return error;
}

/** The own property names of Object.prototype, sorted: to show that parsing did not pollute it. */
export function prototypeSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

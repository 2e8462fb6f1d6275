import type { ExecutionContext } from 'ava';
import { VfioUserError, type ErrorCode } from '../../src/index.js';

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

/**
 * A fast-check property as an ava assertion: it held on every run, and it
 * ran as many times as asked (so a property that never ran cannot pass).
 */
import type { ExecutionContext } from 'ava';
import fc from 'fast-check';

export function holds<Ts>(t: ExecutionContext, property: fc.IProperty<Ts>, params: fc.Parameters<Ts> = {}): void {
  const details = fc.check(property, params);
  t.false(details.failed, fc.defaultReportMessage(details) ?? 'the property failed');
  t.is(details.numRuns, params.numRuns ?? 100, 'runs of the property');
}

import test from 'ava';
import { fileURLToPath } from 'node:url';
import { fuzz } from './fuzz/engine.js';
import { fuzzSession } from './fuzz/session.js';

const corpusDir = fileURLToPath(new URL('../../generated/corpus', import.meta.url));

test('100,000 mutated inputs: only the package\'s errors escape, fds all come back, the framer never stalls', (t) => {
  const result = fuzz({ inputs: 100_000, seed: 20261124, corpusDir });
  t.deepEqual(result.findings.slice(0, 5), []);
  t.is(result.inputs, 100_000);
  // The mutator reaches both valid messages and many distinct error paths.
  t.true(result.decoded > 1000, `${result.decoded} valid inputs`);
  t.true(result.codes.size >= 15, `codes seen: ${[...result.codes.keys()].join(', ')}`);
  t.log(`${result.decoded} valid; codes: ${[...result.codes].map(([c, n]) => `${c}=${n}`).join(' ')}`);
});

test('session fuzzing: 300 conversations from the corpus against the example server: no escape, catalogue codes only, every connection ends, fds back', async (t) => {
  const result = await fuzzSession({ conversations: 300, seed: 20261206, corpusDir });
  t.deepEqual(result.findings.slice(0, 5), []);
  t.is(result.fdsAfter, result.fdsBefore);
  // The conversations reach deep state (probes answered after many commands) and many refusals.
  t.true(result.probed > 50, `${result.probed} probes answered`);
  t.true(result.errnos.size >= 3, `errnos: ${[...result.errnos.keys()].join(', ')}`);
  t.log(`${result.messages} messages, ${result.probed} probes answered; violations: ${[...result.codes].map(([c, n]) => `${c}=${n}`).join(' ')}; error replies: ${[...result.errnos].map(([c, n]) => `${c}=${n}`).join(' ')}`);
});

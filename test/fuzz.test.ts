import test from 'ava';
import { fileURLToPath } from 'node:url';
import { fuzz } from './fuzz/engine.js';

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

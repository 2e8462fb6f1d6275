/**
 * The second step of `npm run generate` (scripts/generate.mjs): writes every
 * generated artifact from spec/. The first step, generator/main-code.ts, has
 * written generated/ts/ already, which this step's imports of the runtime
 * need. With `--check`, writes nothing and exits 1 when any file would change.
 */
import { generateAll } from './all.js';
import { writeGenerated } from './write.js';

writeGenerated(generateAll());

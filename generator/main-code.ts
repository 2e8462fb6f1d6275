/**
 * The first step of `npm run generate` (scripts/generate.mjs): writes
 * generated/ts/ from spec/ alone, so that the runtime, and with it the rest
 * of the generator, compiles even when generated/ is empty. With `--check`,
 * writes nothing and exits 1 when any file would change.
 */
import { generateCode } from './code.js';
import { writeGenerated } from './write.js';

writeGenerated(generateCode());

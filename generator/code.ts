/**
 * The generated code: generated/ts/, what the runtime in src/ is compiled
 * against. It is written from spec/ alone (nothing here imports src/ or
 * generated/), so `npm run generate` writes it first and only then compiles
 * the rest of the generator, whose Interoperability chapter and captures use
 * the runtime's interop model and capture writer.
 */
import { generateLayout } from './layout.js';
import { generateTs } from './ts.js';
import { generateTypes } from './types.js';

/** generated/ts/*.ts by path relative to the package root. */
export function generateCode(): Map<string, string> {
  const files = new Map<string, string>();
  for (const gen of [generateTs, generateTypes, generateLayout]) {
    for (const [path, content] of gen()) files.set(path, content);
  }
  return files;
}

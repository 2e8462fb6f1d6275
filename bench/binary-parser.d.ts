/**
 * binary-parser 2.3.0 ships its types at dist/binary_parser.d.ts, which its
 * package.json "exports" does not point to under NodeNext resolution; this
 * re-exports them for the ESM entry.
 */
declare module 'binary-parser' {
  export { Parser } from 'binary-parser/dist/binary_parser.js';
}

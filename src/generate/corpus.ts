/** Generates generated/corpus/ (fuzz seeds and their manifest) from the fixture catalogue. */
export function generateCorpus(): Map<string, string | Uint8Array> {
  return new Map();
}

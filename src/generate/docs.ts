/** Generates generated/docs/protocol.md from spec/. */
export function generateDocs(): Map<string, string> {
  return new Map();
}

/** Generates generated/schema/capabilities.schema.json from spec/capabilities.ts. */
export function generateSchema(): Map<string, string> {
  return new Map();
}

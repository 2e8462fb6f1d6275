/**
 * Generates generated/schema/capabilities.schema.json: a JSON Schema
 * (draft 2020-12) of the VERSION capabilities JSON, from spec/capabilities.ts.
 *
 * Every key of the spec becomes a property with its JSON type, default,
 * range and description. Unknown keys are allowed at every level, because a
 * peer must ignore keys it does not know.
 */
import { capabilities } from '../spec/capabilities.js';
import type { CapabilitySpec, Origin } from '../spec/types.js';
import { banner } from './banner.js';

const GEN = 'generator/schema.ts';

/** Path of the schema, relative to the package root. */
export const SCHEMA_PATH = 'generated/schema/capabilities.schema.json';

/** The schema's `$id`. */
export const SCHEMA_ID = 'https://vfio-user-protocol/capabilities.schema.json';

/** Who defines or uses a capability key, in words, by its spec origin. */
export const CAPABILITY_ORIGIN: Readonly<Record<Origin, string>> = {
  'vfio-user': 'libvfio-user (include/vfio-user.h)',
  'linux/vfio.h': 'the kernel (<linux/vfio.h>)',
  legacy: 'legacy: removed from the protocol',
  iommufd: 'the iommufd extension (libvfio-user pull request #833, not merged)',
  qemu: 'QEMU (hw/vfio-user/protocol.h)',
  draft: 'this package\'s draft extension, off by default',
};

/** A JSON Schema node, as plain data. */
type SchemaNode = { [key: string]: unknown };

function describe(spec: CapabilitySpec): string {
  return spec.origin === undefined ? spec.doc : `${spec.doc} Origin: ${CAPABILITY_ORIGIN[spec.origin]}.`;
}

function node(spec: CapabilitySpec): SchemaNode {
  const out: SchemaNode = { type: spec.type, description: describe(spec) };
  if (spec.default !== undefined) out['default'] = spec.default;
  if (spec.minimum !== undefined) out['minimum'] = spec.minimum;
  if (spec.maximum !== undefined) out['maximum'] = spec.maximum;
  if (spec.type === 'object') {
    const properties: SchemaNode = {};
    for (const key of spec.keys ?? []) properties[key.name] = node(key);
    out['properties'] = properties;
    out['additionalProperties'] = true;
  }
  return out;
}

/** The schema as a plain object. */
export function capabilitiesSchema(): SchemaNode {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    $comment: banner(GEN, '#').replace(/^# /, ''),
    title: 'vfio-user VERSION capabilities',
    description:
      'The JSON text that ends the body of a VFIO_USER_VERSION request or reply (before its NUL byte). ' +
      'Every key is optional; a value describes what the sender can receive. Unknown keys are allowed and must be ignored.',
    type: 'object',
    properties: { [capabilities.name]: node(capabilities) },
    additionalProperties: true,
  };
}

/** Generated files, by path relative to the package root. */
export function generateSchema(): Map<string, string> {
  return new Map([[SCHEMA_PATH, `${JSON.stringify(capabilitiesSchema(), null, 2)}\n`]]);
}

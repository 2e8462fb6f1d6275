/**
 * Generates generated/ts/types.ts: the runtime's types that restate spec
 * facts — the codec's `Limits`, the session's `SessionLimits`, the dialect
 * names, the VERSION capability objects, the error codes and the errno
 * numbers by name — so that no
 * hand-written type has to be kept in step with spec/.
 */
import { capabilities } from '../spec/capabilities.js';
import { dialects } from '../spec/dialects.js';
import { errno } from '../spec/errno.js';
import { errorCodes } from '../spec/errors.js';
import { limits, sessionLimits } from '../spec/limits.js';
import type { CapabilitySpec } from '../spec/types.js';
import { banner } from './banner.js';

const GEN = 'generator/types.ts';
const PATH = 'generated/ts/types.ts';

/** A JSDoc comment at `indent`, one sentence group per line as the spec wrote it. */
function jsdoc(text: string, indent: string): string {
  return `${indent}/** ${text.replace(/\*\//g, '*\\/')} */`;
}

function limitsInterface(name: string, doc: string, specs: readonly { name: string; default: number; doc: string }[]): string[] {
  return [
    jsdoc(doc, ''),
    `export interface ${name} {`,
    ...specs.flatMap((l) => [jsdoc(`${l.doc} Default ${l.default}.`, '  '), `  readonly ${l.name}: number;`]),
    '}',
  ];
}

function pascal(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_, _u: string, c: string) => c.toUpperCase());
}

function capabilityType(key: CapabilitySpec): string {
  switch (key.type) {
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return `${pascal(key.name)}Capability`;
    default:
      throw new Error(`types: capability ${key.name} of type ${String(key.type)}`);
  }
}

/** The interfaces of a capability object and of every object below it, innermost first. */
function capabilityInterfaces(node: CapabilitySpec, name: string, doc: string): string[] {
  const keys = node.keys ?? [];
  const inner = keys.filter((k) => k.type === 'object').flatMap((k) => capabilityInterfaces(k, capabilityType(k), `\`${node.name}.${k.name}\`: ${k.doc}`));
  const members = keys.flatMap((k) => {
    const dflt = k.default === undefined ? (k.type === 'object' ? '' : ' No default.') : ` Default ${String(k.default)}.`;
    return [jsdoc(`${k.doc}${dflt}`, '  '), `  ${k.name}?: ${capabilityType(k)};`];
  });
  return [
    ...inner,
    jsdoc(doc, ''),
    `export interface ${name} {`,
    ...members,
    jsdoc(`Keys of this object not known to spec/capabilities.ts, in order.`, '  '),
    '  extra?: JsonObject;',
    '}',
    '',
  ];
}

function union(name: string, doc: string, values: readonly string[]): string[] {
  return [jsdoc(doc, ''), `export type ${name} =`, ...values.map((v, i) => `  | '${v}'${i === values.length - 1 ? ';' : ''}`), ''];
}

export function generateTypes(): Map<string, string> {
  const out = [
    banner(GEN, '//'),
    '',
    "import type { JsonObject } from '../../src/json.js';",
    '',
    ...limitsInterface('Limits', 'Every limit on a length taken from the wire (spec/limits.ts `limits`).', limits),
    '',
    ...limitsInterface('SessionLimits', 'Every limit on what a peer can make a client or server hold (spec/limits.ts `sessionLimits`).', sessionLimits),
    '',
    ...union(
      'DialectName',
      'The dialect names of spec/dialects.ts.',
      dialects.map((d) => d.name),
    ),
    ...capabilityInterfaces(capabilities, 'Capabilities', `The \`capabilities\` object of the VERSION JSON: ${capabilities.doc} Every key is optional.`),
    ...union(
      'ErrorCode',
      'The codes of the codec\'s errors (`VfioUserError`), from spec/errors.ts.',
      errorCodes.filter((e) => e.class !== 'session').map((e) => e.code),
    ),
    jsdoc('errno numbers by name, Linux numbering (spec/errno.ts): what error replies carry and device handlers throw.', ''),
    'export const ERRNO = Object.freeze({',
    ...Object.entries(errno).map(([name, n]) => `  ${name}: ${n},`),
    '});',
    '',
    ...union(
      'SessionErrorCode',
      'The codes of the session layer\'s own errors (`VfioUserSessionError`), from spec/errors.ts.',
      errorCodes.filter((e) => e.class === 'session').map((e) => e.code),
    ),
  ];
  return new Map([[PATH, out.join('\n')]]);
}

import test from 'ava';
import { readFileSync } from 'node:fs';
import { capabilities } from '../spec/capabilities.js';
import { commands } from '../spec/commands.js';
import { iommufdChapter } from '../spec/docs/iommufd.js';
import { constSets } from '../spec/constants.js';
import { dialects } from '../spec/dialects.js';
import { errorCodes } from '../spec/errors.js';
import { fixtures } from '../spec/fixtures/index.js';
import { limits } from '../spec/limits.js';
import { structs, unions } from '../spec/structs.js';
import type { CapabilitySpec } from '../spec/types.js';
import { DOCS_PATH, generateDocs, githubSlug, Slugger } from '../generator/docs.js';
import { structLayout } from '../generator/layout.js';

const doc = generateDocs().get(DOCS_PATH) ?? '';
const lines = doc.split('\n');

/** Lines outside fenced code blocks, with their index. */
function proseLines(): { line: string; i: number }[] {
  const out: { line: string; i: number }[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return;
    }
    if (!fenced) out.push({ line, i });
  });
  return out;
}

function headings(): string[] {
  return proseLines()
    .map(({ line }) => /^#{1,6} (.+)$/.exec(line)?.[1])
    .filter((h): h is string => h !== undefined);
}

/** The lines of the section under a heading, up to the next heading of the same or a higher level. */
function section(heading: string): string[] {
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && l.replace(/^#+ /, '') === heading);
  if (start < 0) return [];
  const level = (/^#+/.exec(lines[start] ?? '')?.[0] ?? '').length;
  const out: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(#+) /.exec(lines[i] ?? '');
    if (m !== null && (m[1] ?? '').length <= level) break;
    out.push(lines[i] ?? '');
  }
  return out;
}

/** Splits a table row into cells at the `|` that are not escaped. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim());
}

test('the committed generated/docs/protocol.md is what generateDocs() writes', (t) => {
  const committed = readFileSync(new URL(`../../${DOCS_PATH}`, import.meta.url), 'utf8');
  t.is(committed, doc, 'run npm run generate');
});

test('the output is deterministic and starts with the provenance banner', (t) => {
  t.is(generateDocs().get(DOCS_PATH), doc);
  t.is(lines[0], '<!-- Generated from spec/ by generator/docs.ts (npm run generate). Do not edit. -->');
  t.true(doc.endsWith('\n') && !doc.endsWith('\n\n'));
});

test('githubSlug follows GitHub\'s anchor rules', (t) => {
  t.is(githubSlug('Flag sets and enumerations'), 'flag-sets-and-enumerations');
  t.is(githubSlug('1. VFIO_USER_VERSION'), '1-vfio_user_version');
  t.is(githubSlug('sub_region (union)'), 'sub_region-union');
  t.is(githubSlug('Dialect: libvfio-user'), 'dialect-libvfio-user');
  t.is(githubSlug('VFIOUserDMARW'), 'vfiouserdmarw');
  t.is(githubSlug('a  b'), 'a--b');
  const s = new Slugger();
  t.deepEqual(['Request', 'Reply', 'Request', 'Request'].map((h) => s.slug(h)), ['request', 'reply', 'request-1', 'request-2']);
});

test('every internal link resolves to a heading', (t) => {
  const s = new Slugger();
  const anchors = new Set(headings().map((h) => s.slug(h)));
  const targets = [...doc.matchAll(/\]\(#([^)]*)\)/g)].map((m) => m[1] ?? '');
  t.true(targets.length > 100);
  for (const target of new Set(targets)) t.true(anchors.has(target), `#${target}`);
});

test('no link leaves the document', (t) => {
  t.deepEqual([...doc.matchAll(/\]\((?!#)([^)]*)\)/g)].map((m) => m[1]), []);
  t.notRegex(doc, /https?:\/\//);
});

test('the contents list every section and command', (t) => {
  const toc = section('Contents').join('\n');
  for (const h of ['Overview', 'Message header', 'Header flags', 'Error replies', 'Capabilities', 'Limits', 'Commands', 'The iommufd extension', 'Structures', 'Flag sets and enumerations', 'Dialects', 'Error codes of this package']) {
    t.true(toc.includes(`[${h}](#${githubSlug(h)})`), h);
  }
  for (const c of commands) t.true(toc.includes(`[${c.cmd}. ${c.name}](#${githubSlug(`${c.cmd}. ${c.name}`)})`), c.name);
});

test('every command has its section, in number order, with request, reply, fds, errors, examples and reference', (t) => {
  const all = headings();
  const positions = [...commands].sort((a, b) => a.cmd - b.cmd).map((c) => all.indexOf(`${c.cmd}. ${c.name}`));
  for (const p of positions) t.true(p >= 0);
  t.deepEqual(positions, [...positions].sort((a, b) => a - b));
  for (const c of commands) {
    const body = section(`${c.cmd}. ${c.name}`).join('\n');
    for (const h of ['#### Request', '#### Reply', '#### File descriptors', '#### Errors', '#### Examples']) t.true(body.includes(h), `${c.name}: ${h}`);
    t.true(body.includes(`- Number: ${c.cmd}`), c.name);
    t.true(body.includes(`- Sent by: the ${c.sender}`), c.name);
    t.true(body.includes('- Reference: '), c.name);
    for (const e of c.errors) t.true(body.includes(e.errno === 'any' ? '| any |' : `\`${e.errno}\``), `${c.name}: ${e.errno}`);
  }
});

test('request and reply tables give offsets relative to the body, nested fields expanded', (t) => {
  const unmap = section('3. VFIO_USER_DMA_UNMAP').join('\n');
  t.regex(unmap, /^\| 0 \| 4 \| `u32` \| `argsz` \|/m);
  t.regex(unmap, /^\| 24 \| 8 \| `u64` \| `bitmap\.pgsize` \|/m);
  t.regex(unmap, /^\| 40 \| `bitmap\.size` \| `u8\[\]` \| `bitmap\.data` \|/m);
  const write = section('10. VFIO_USER_REGION_WRITE').join('\n');
  t.regex(write, /^\| 16 \| `count` \| `u8\[\]` \| `data` \|/m);
  const reset = section('13. VFIO_USER_DEVICE_RESET').join('\n');
  t.regex(reset, /No body/);
});

test('every struct and union has its section with sizeof and every field at its offset', (t) => {
  const all = new Set(headings());
  for (const s of structs) {
    t.true(all.has(s.name), s.name);
    const body = section(s.name).join('\n');
    const l = structLayout(s.name);
    t.true(body.includes(`sizeof ${l.size}`), `${s.name} sizeof`);
    t.true(body.includes(s.packed ? 'packed, sizeof' : 'not packed'), `${s.name} packed`);
    if (s.origin === 'linux/vfio.h') t.true(body.includes('&lt;linux/vfio.h&gt;'), `${s.name} origin`);
    for (const f of l.fields) t.true(body.includes(`| ${f.offset} | ${f.size} |`) && body.includes(`\`${f.name}\``), `${s.name}.${f.name}`);
  }
  for (const u of unions) t.true(all.has(`${u.name} (union)`), u.name);
});

test('every flag set and enumeration is listed with every value (flags in hex)', (t) => {
  for (const set of constSets) {
    const body = section(set.name).join('\n');
    t.not(body, '', set.name);
    for (const v of set.values) {
      const value = set.kind === 'flags' ? `0x${v.value.toString(16)}` : String(v.value);
      t.regex(body, new RegExp(`${v.name}\\S* \\| ${value} \\|`), `${set.name}.${v.name}`);
    }
  }
});

test('capabilities, limits, dialects and error codes are all there', (t) => {
  const caps = section('Capabilities').join('\n');
  const walk = (spec: CapabilitySpec, path: string): void => {
    t.true(caps.includes(`\`${path}\``), path);
    for (const k of spec.keys ?? []) walk(k, `${path}.${k.name}`);
  };
  walk(capabilities, capabilities.name);
  const lim = section('Limits').join('\n');
  for (const l of limits) t.true(lim.includes(`| \`${l.name}\` | ${l.default} |`), l.name);
  for (const d of dialects) {
    const body = section(`Dialect: ${d.name}`).join('\n');
    t.not(body, '', d.name);
    for (const e of d.evidence) t.true(body.includes(e.slice(0, 20).replace(/</g, '&lt;')), `${d.name} evidence`);
  }
  const codes = section('Error codes of this package').join('\n');
  for (const e of errorCodes) t.true(codes.includes(`| \`${e.code}\` | \`${e.class}\` | \`${e.errno}\``), e.code);
});

test('the iommufd chapter: every part of spec/docs, the topics it must cover, and links to commands 19-29', (t) => {
  const body = section('The iommufd extension').join('\n');
  for (const part of iommufdChapter) {
    t.true(body.includes(`### ${part.title}`), part.title);
    for (const para of part.paragraphs) t.true(body.includes(para), `${part.title}: ${para.slice(0, 40)}`);
  }
  // The topics the chapter exists for.
  for (const topic of [/server chooses/, /check every address/, /BIND/, /ATTACH_PT/, /`argsz` in those\s+replies is 0/, /device ids/, /IOAS_COPY has a number/, /UNMAP_ALL/, /nothing is written back/, /draft/i, /pull request #833/, /unmerged/]) {
    t.regex(body, topic);
  }
  for (const c of commands.filter((x) => x.status === 'iommufd' || x.status === 'draft')) t.true(body.includes(`](#${githubSlug(`${c.cmd}. ${c.name}`)})`), c.name);
});

test('every fixture appears with each hex group on its own line beside its comment', (t) => {
  t.log(`${fixtures.length} fixture(s)`);
  for (const f of fixtures) {
    const cmd = f.message['cmd'];
    const home = typeof cmd === 'number' && commands.some((c) => c.cmd === cmd) ? section(`${cmd}. ${commands.find((c) => c.cmd === cmd)?.name ?? ''}`) : section('Other examples');
    t.true(home.join('\n').includes(`\`${f.name}\``), `${f.name} in its command's section`);
    for (const [comment, hex] of f.bytes) {
      t.true(
        home.some((l) => l.startsWith(hex) && l.endsWith(`# ${comment}`.trimEnd())),
        `${f.name}: ${comment}`,
      );
    }
  }
  t.true(fixtures.length > 50, `${fixtures.length} fixtures`);
});

test('tables are well formed: every row has as many cells as its header', (t) => {
  let tables = 0;
  let fenced = false;
  let width = -1;
  for (const line of lines) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced || !line.startsWith('|')) {
      width = -1;
      continue;
    }
    const n = cells(line).length;
    if (width < 0) {
      width = n;
      tables++;
    } else {
      t.is(n, width, line.slice(0, 80));
    }
  }
  t.true(tables > 50);
});

test('prose holds no raw HTML and no stray emphasis markers from spec text', (t) => {
  let lines = 0;
  for (const { line, i } of proseLines()) {
    if (i === 0) continue;
    lines++;
    const text = line.replace(/`[^`]*`/g, '');
    t.notRegex(text, /<[a-zA-Z/!]/, `line ${i + 1}`);
    t.notRegex(text, /(?<!\\)\*(?!\*)\S[^*]*(?<!\\)\*(?!\*)/, `line ${i + 1}`);
  }
  t.true(lines > 500, `${lines} lines of prose`);
});

import test from 'ava';
import { fixtures } from '../spec/fixtures/index.js';
import { iommufdSequence } from '../spec/fixtures/iommufd.js';
import { Conversation, decode, encode, negotiate, parseVersionJson, type Side, type Violation } from '../src/index.js';
import { throwsCode } from './helpers/errors.js';
import { fixtureBytes } from './helpers/fixture.js';

const byName = new Map(fixtures.map((f) => [f.name, f]));
function bytesOf(name: string): Uint8Array {
  const f = byName.get(name);
  if (f === undefined) throw new Error(`no fixture ${name}`);
  return fixtureBytes(f);
}
function fdsOf(name: string): number {
  return byName.get(name)?.fds ?? 0;
}

/** Feeds fixtures in order (requests from the client, replies from the server). */
function converse(names: readonly string[], conv = new Conversation()): Violation[] {
  const out: Violation[] = [];
  names.forEach((name, seq) => {
    const bytes = bytesOf(name);
    const from: Side = (bytes[8]! & 0xf) === 0 ? 'client' : 'server';
    const r = conv.observe({ seq, from, bytes, fds: fdsOf(name) });
    if (r.error !== null) throw r.error;
    out.push(...r.violations);
  });
  return out;
}

test('the PR #833 typical sequence, as fixtures, is a legal conversation', (t) => {
  const conv = new Conversation();
  t.deepEqual(converse(iommufdSequence, conv), []);
  t.true(conv.iommufd);
  t.is(conv.outstanding, 0);
});

test('the PR\'s error replies are legal answers to the requests they refuse', (t) => {
  const start = iommufdSequence.slice(0, 10); // through IOAS_MAP
  // IOAS_MAP with two fds, answered EINVAL (same msg_id in the fixtures).
  const twoFds = byName.get('iommufd-ioas-map-request-two-fds')!;
  const einval = byName.get('iommufd-ioas-map-error-einval')!;
  t.is(fixtureBytes(twoFds)[0], fixtureBytes(einval)[0], 'the error replies to the two-fds request');
  t.deepEqual(converse([...start, twoFds.name, einval.name]), []);
});

test('without a VERSION advertising iommufd, the sequence breaks the gate at every accepted iommufd command', (t) => {
  // A VERSION exchange without JSON: both sides keep every default, iommufd off.
  t.is(byName.get('version-request-no-json')?.message['msg_id'], byName.get('version-reply-no-json')?.message['msg_id']);
  const rest = iommufdSequence.slice(2);
  const violations = converse(['version-request-no-json', 'version-reply-no-json', ...rest]);
  const gated = violations.filter((v) => v.code === 'ERR_IOMMUFD_NOT_NEGOTIATED').map((v) => v.cmd);
  t.deepEqual(gated, [24, 19, 25, 21, 22, 26, 20]);
});

test('negotiate: iommufd is on only when both sides advertise it; a non-boolean value is an error', (t) => {
  const json = (s: string): Uint8Array => new TextEncoder().encode(`${s}\0`);
  const yes = parseVersionJson(json('{"capabilities":{"iommufd":{"supported":true}}}'), 0, { maxJsonBytes: 65536, maxJsonDepth: 32 });
  const no = parseVersionJson(json('{"capabilities":{}}'), 0, { maxJsonBytes: 65536, maxJsonDepth: 32 });
  t.true(negotiate(yes, yes).iommufd);
  t.false(negotiate(yes, no).iommufd);
  t.false(negotiate(no, yes).iommufd);
  t.false(negotiate(yes, null).iommufd);
  throwsCode(t, () => parseVersionJson(json('{"capabilities":{"iommufd":{"supported":"true"}}}'), 0, { maxJsonBytes: 65536, maxJsonDepth: 32 }), 'ERR_CAPS_TYPE');
});

test('ALLOC_IOAS and BIND replies with argsz 0, as the PR\'s server sends them, decode', (t) => {
  const alloc = decode(bytesOf('iommufd-alloc-ioas-reply'));
  const bind = decode(bytesOf('iommufd-bind-reply'));
  t.is(alloc.kind, 'reply');
  if (alloc.kind === 'reply' && alloc.cmd === 19 && alloc.body !== null) {
    t.is(alloc.body.argsz, 0);
    t.is(alloc.body.out_ioas_id, 1);
  } else t.fail();
  if (bind.kind === 'reply' && bind.cmd === 24 && bind.body !== null) {
    t.is(bind.body.argsz, 0);
    t.is(bind.body.out_devid, 1);
  } else t.fail();
});

const draftNames = fixtures.filter((f) => f.drafts === true).map((f) => f.name);

test('drafts are off by default: commands 27-29 are unknown and FIXED_IOVA is an unknown bit', (t) => {
  t.true(draftNames.length >= 10);
  for (const name of draftNames) {
    const bytes = bytesOf(name);
    const m = decode(bytes, { drafts: true });
    t.deepEqual(encode(m, { drafts: true }), bytes);
    const cmd = m.cmd;
    if (m.kind === 'error' || cmd === 1) {
      t.notThrows(() => decode(bytes));
    } else if (cmd >= 27) {
      const e = throwsCode(t, () => decode(bytes), 'ERR_UNKNOWN_COMMAND');
      t.is(e.offset, 2);
      throwsCode(t, () => encode(m), 'ERR_ENCODE_SHAPE');
    } else if (m.kind === 'command' && cmd === 21) {
      const e = throwsCode(t, () => decode(bytes), 'ERR_BAD_FLAGS');
      t.is(e.offset, 20);
    }
  }
});

const draftConversation = [
  'draft-version-request',
  'draft-version-reply',
  'iommufd-bind-request',
  'iommufd-bind-reply',
  'iommufd-alloc-ioas-request',
  'iommufd-alloc-ioas-reply',
  'draft-iommufd-ioas-map-fixed-iova-request',
  'draft-iommufd-ioas-map-fixed-iova-reply',
  'draft-iommufd-ioas-iova-ranges-request',
  'draft-iommufd-ioas-iova-ranges-reply',
  'draft-iommufd-ioas-set-dirty-tracking-request',
  'draft-iommufd-ioas-set-dirty-tracking-reply',
  'draft-iommufd-ioas-get-dirty-bitmap-request',
  'draft-iommufd-ioas-get-dirty-bitmap-reply',
];

test('draft features are legal when both sides advertise them', (t) => {
  const conv = new Conversation();
  t.deepEqual(converse(draftConversation, conv), []);
  t.deepEqual(conv.negotiated?.iommufdDrafts, { fixed_iova: true, iova_ranges: true, dirty_tracking: true });
});

test('draft features are violations under plain iommufd negotiation', (t) => {
  const plain = ['iommufd-version-request', 'iommufd-version-reply', ...draftConversation.slice(2)];
  const violations = converse(plain).filter((v) => v.code === 'ERR_IOMMUFD_NOT_NEGOTIATED');
  t.deepEqual(
    violations.map((v) => v.cmd),
    [21, 27, 28, 29],
  );
  t.regex(violations[0]!.message, /iommufd\.fixed_iova/);
});

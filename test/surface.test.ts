/**
 * The public surface: what `.` and `./session` export at run time. A change
 * here is a change of the package's API, made on purpose: `.` holds the
 * codec, framer, builders, errors, capabilities and checker; the named
 * constants and the interop model have entries of their own; the session's
 * internals (boundary scanner, endpoint, DMA bookkeeping) are not exported.
 */
import test from 'ava';
import * as root from '../src/index.js';
import * as session from '../src/session/index.js';
import * as unix from '../src/unix/index.js';

test('`.` exports the codec, framer, builders, errors, capabilities and checker', (t) => {
  t.deepEqual(Object.keys(root).sort(), [
    'Conversation',
    'DEFAULT_LIMITS',
    'FLAG_ERROR',
    'FLAG_NO_REPLY',
    'FLAG_TYPE_MASK',
    'FLAG_TYPE_REPLY',
    'FrameDecoder',
    'HEADER_SIZE',
    'VfioUserCaptureError',
    'VfioUserEncodeError',
    'VfioUserError',
    'VfioUserInvalidError',
    'VfioUserLimitError',
    'VfioUserProtocolError',
    'VfioUserTruncatedError',
    'bitmapBytes',
    'checkIommufdGate',
    'command',
    'commandName',
    'createBitmap',
    'decode',
    'decodeAt',
    'dirtyPages',
    'effectiveCapabilities',
    'emitVersionJson',
    'encode',
    'encodeInto',
    'encodingLength',
    'errorReply',
    'isDirty',
    'migrationPath',
    'negotiate',
    'parseVersionJson',
    'parseVersionJsonFull',
    'reply',
    'resolveOptions',
    'setDirty',
  ]);
});

test('./session and ./unix keep the session internals to themselves', (t) => {
  const internals = ['MessageStarts', 'Endpoint', 'ReceivedFds', 'DmaWindows', 'DirtyPages', 'Ioas', 'markDirty', 'dirtyBitmap', 'signalFd', 'peerFdKind', 'overSessionLimit'];
  for (const entry of [session, unix]) {
    const names = new Set(Object.keys(entry));
    t.true(names.has('Server') && names.has('Client'), 'the entry exports Server and Client');
    t.deepEqual(
      internals.filter((n) => names.has(n)),
      [],
    );
  }
});

/**
 * The Unix transport's addon and its helpers: eventfd, memfd, O_NONBLOCK,
 * accept failures that never throw, and the one error of a missing addon.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventfd, EventfdWatcher, memfd, readEventfd, setNonBlocking, signalEventfd, socketPair } from '../src/unix/index.js';
import { signalFd } from '../src/session/peerfds.js';

const here = fileURLToPath(new URL('.', import.meta.url));

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

test('eventfd: signals add up in the counter; a read resets it; an empty non-blocking read is 0n', (t) => {
  const fd = eventfd();
  t.is(readEventfd(fd), 0n);
  t.true(signalEventfd(fd));
  t.true(signalEventfd(fd, 2n));
  t.is(readEventfd(fd), 3n);
  t.is(readEventfd(fd), 0n);
  // The counter's maximum is 2^64 - 2: one more would block, so a non-blocking write says false.
  t.true(signalEventfd(fd, 0xfffffffffffffffen));
  t.false(signalEventfd(fd, 1n));
  closeSync(fd);
});

test('EventfdWatcher reports each read of the counter and its running total', async (t) => {
  const fd = eventfd();
  const seen: bigint[] = [];
  const watcher = new EventfdWatcher(fd, (value) => seen.push(value));
  signalEventfd(fd);
  await watcher.waitFor(1n);
  signalEventfd(fd, 4n);
  await watcher.waitFor(5n);
  t.is(watcher.total, 5n);
  t.deepEqual(seen, [1n, 4n]);
  watcher.close();
});

test('memfd: a file of the size asked for; setNonBlocking on a socket', (t) => {
  const fd = memfd('test', 0x3000);
  t.is(fstatSync(fd).size, 0x3000);
  t.is(writeSync(fd, Uint8Array.of(1), 0, 1, 0x2fff), 1);
  closeSync(fd);
  const [a, b] = socketPair();
  t.notThrows(() => setNonBlocking(a, false));
  t.notThrows(() => setNonBlocking(a, true));
  t.throws(() => setNonBlocking(-1), { code: 'EBADF' });
  closeSync(a);
  closeSync(b);
});

test('accept failing with EMFILE is reported as ERR_ACCEPT and the listener goes on', async (t) => {
  const child = `${here}helpers/accept-child.js`;
  const r = await run('sh', ['-c', `ulimit -n 64 && exec "${process.execPath}" "${child}"`]);
  t.is(r.code, 0, r.err);
  const result = JSON.parse(r.out) as { errors: { code: string; cause: string }[]; accepted: boolean };
  t.deepEqual(result, { errors: [{ code: 'ERR_ACCEPT', cause: 'EMFILE' }], accepted: true });
});

test('without its addon, ./unix fails with ERR_ADDON_MISSING and the session layer still loads', async (t) => {
  const unix = new URL('../src/unix/index.js', import.meta.url).href;
  const session = new URL('../src/session/index.js', import.meta.url).href;
  const script = `
    const { channelPair } = await import(${JSON.stringify(session)});
    const { connect, eventfd } = await import(${JSON.stringify(unix)});
    const codes = [typeof channelPair];
    try { await connect('/nonexistent.sock'); } catch (e) { codes.push(e.code); }
    try { eventfd(); } catch (e) { codes.push(e.code); }
    console.log(JSON.stringify(codes));`;
  const r = await run(process.execPath, ['--input-type=module', '-e', script], { VFIO_USER_ADDON: '/nonexistent/vfio_user_unix.node' });
  t.is(r.code, 0, r.err);
  t.deepEqual(JSON.parse(r.out), ['function', 'ERR_ADDON_MISSING', 'ERR_ADDON_MISSING']);
});

test('an eventfd signalled again while its first write is on the thread pool gets both signals', async (t) => {
  const fd = eventfd();
  const watcher = new EventfdWatcher(fd);
  t.true(signalFd(fd));
  // The first write has not called back yet: the second is queued, written after it, not dropped.
  t.true(signalFd(fd));
  await watcher.waitFor(2n);
  t.is(watcher.total, 2n);
  watcher.close();
});

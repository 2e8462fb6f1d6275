/**
 * Run with --expose-gc by test/session.test.ts: connects to a Unix-socket
 * server and closes again, collecting garbage right after every close.
 * The native socket (a libuv poll handle) must never be freed while libuv
 * still closes it: that would abort the process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, serve, Server } from '../../src/unix/index.js';
import { TempFiles, TestDevice } from './session-peer.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const files = new TempFiles();
const dir = mkdtempSync(join(tmpdir(), 'vfu-gc-'));
const server = new Server(new TestDevice(files.file(0x2000)));
const listener = await serve(join(dir, 's.sock'), server);
const rounds = 20;
for (let i = 0; i < rounds; i++) {
  const client = await connect(join(dir, 's.sock'));
  await client.getDeviceInfo();
  client.close();
  gc();
  await client.whenClosed;
  gc();
  await Promise.all(server.connections.map((c) => c.whenClosed));
  gc();
}
await listener.close();
gc();
process.stdout.write(`${rounds} connections closed\n`);
files.remove();
rmSync(dir, { recursive: true, force: true });

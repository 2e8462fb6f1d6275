/**
 * Run by test/transport.test.ts with a low RLIMIT_NOFILE: fills the fd table,
 * leaves room for one connect, and checks that the listener reports the
 * failed accept (ERR_ACCEPT, cause EMFILE) instead of throwing, then accepts
 * the same pending connection once fds are free again. Prints one JSON line.
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectChannel, listen, type VfioUserSessionError } from '../../src/unix/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vfu-accept-'));
const errors: { code: string; cause: string | undefined }[] = [];
const filler: number[] = [];
let reported!: () => void;
const firstError = new Promise<void>((resolve) => (reported = resolve));
let accepted!: () => void;
const connection = new Promise<void>((resolve) => (accepted = resolve));
const listener = await listen(
  join(dir, 's.sock'),
  (channel) => {
    channel.close();
    accepted();
  },
  {
    acceptBackoffMs: 20,
    onError: (e: VfioUserSessionError) => {
      errors.push({ code: e.code, cause: (e.cause as NodeJS.ErrnoException | undefined)?.code });
      reported();
    },
  },
);
for (;;) {
  try {
    filler.push(openSync('/dev/null', 'r'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EMFILE') throw e;
    break;
  }
}
closeSync(filler.pop()!);
const client = await connectChannel(join(dir, 's.sock'));
await firstError;
for (const fd of filler.splice(0, 8)) closeSync(fd);
await connection;
client.close();
for (const fd of filler) closeSync(fd);
await listener.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ errors: errors.slice(0, 1), accepted: true })}\n`);

/**
 * The Unix transport against a real peer: libvfio-user's gpio-pci-idio-16
 * sample (../shared/peers, or $VFIO_USER_PEERS) served on a socket, our
 * client negotiating with it (libvfio-user master grants the twin socket:
 * its end of a socket pair arrives as the VERSION reply's fd), mapping a
 * memfd for DMA and installing an eventfd for INTx, both passed as
 * SCM_RIGHTS. Skips, saying why, when the peers are absent.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, eventfd, memfd } from '../src/unix/index.js';
import { whenListening } from './helpers/peers.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const peers = process.env['VFIO_USER_PEERS'] ?? resolve(root, '..', 'shared', 'peers');
const gpio = join(peers, 'libvfio-user', 'samples', 'gpio-pci-idio-16');
const library = join(peers, 'libvfio-user', 'lib', 'libvfio-user.so.0.0.1');

if (!existsSync(gpio) || !existsSync(library)) {
  test.skip(`our client over the Unix transport against libvfio-user's gpio sample (peers not found at ${peers})`, () => undefined);
} else {
  test('our client over the Unix transport against libvfio-user\'s gpio sample: twin socket, a memfd mapped, an eventfd installed', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'vfu-peer-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    // The library's own soname link, in case the copy of the peers flattened it.
    mkdirSync(join(dir, 'lib'));
    symlinkSync(library, join(dir, 'lib', 'libvfio-user.so.0'));
    const path = join(dir, 'gpio.sock');
    const listening = new Promise<void>((done) => {
      const w = watch(dir, () => {
        if (existsSync(path)) {
          w.close();
          done();
        }
      });
    });
    const server = spawn(gpio, ['-R', '-M', '-v', path], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LD_LIBRARY_PATH: join(dir, 'lib') } });
    const exited = new Promise<void>((done) => server.once('exit', () => done()));
    t.teardown(() => server.kill('SIGKILL'));
    let log = '';
    const waiters: { text: string; done: () => void }[] = [];
    server.stderr.on('data', (c: Buffer) => {
      log += c.toString();
      for (const w of waiters.filter((x) => log.includes(x.text))) w.done();
    });
    const logged = (text: string): Promise<void> => (log.includes(text) ? Promise.resolve() : new Promise((done) => waiters.push({ text, done })));
    await Promise.race([listening, exited]);
    t.true(existsSync(path), log);
    await whenListening(path);

    const client = await connect(path, { timeoutMs: 5000 });
    t.true(client.twinSocket, 'libvfio-user master grants the twin socket: a socket pair end passed with the VERSION reply');
    t.deepEqual(await client.getDeviceInfo(), { argsz: 16, flags: 3, num_regions: 9, num_irqs: 5 });
    const bar2 = await client.getRegionInfo(2);
    t.is(bar2.info.size, 256n);
    t.is((await client.regionRead(2, 0n, 1)).length, 1);
    const memory = memfd('dma', 0x10000);
    await client.dmaMap({ flags: 3, addr: 0x100000n, size: 0x10000n }, memory);
    await logged('mapped DMA region iova=[0x100000, 0x110000)');
    const irq = eventfd();
    await client.setIrqs({ flags: 0x24, index: 0, start: 0, count: 1 }, [irq]);
    await logged('setting IRQ INTx flags=0x24');
    client.close();
    await client.whenClosed;
    closeSync(memory);
    closeSync(irq);
    server.kill('SIGTERM');
    await exited;
  });
}

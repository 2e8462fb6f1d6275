/**
 * QEMU 10.2.2 with the guest of ../shared/peers: the command line that boots
 * it against a vfio-user socket, and its debug console (port 0x402), which
 * QEMU sends to a Unix socket of the test's.
 */
import type { ExecutionContext } from 'ava';
import { createServer, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { peer, type Child } from './peers.js';

/**
 * QEMU's arguments for booting `guest/<image>` with its vfio-user-pci device
 * on `socket`; the debug console goes to `<dir>/debugcon.sock` (listen there
 * with {@link DebugConsole.listen} first), the serial port to
 * `<dir>/serial.log`. With `memfd`, guest RAM is a shared memfd, so QEMU maps
 * it for the server with fds; without, every DMA travels as a message.
 *
 * TCG even where KVM works: nested KVM on these machines takes 3-8 s for
 * SeaBIOS, TCG half a second. A virtio disk and no default devices: with
 * the q35's SATA drives SeaBIOS waits about 32 s for AHCI commands that time
 * out.
 */
export function guestArgs(dir: string, image: string, socket: string, memfd: boolean): string[] {
  return [
    ...['-machine', 'q35', '-accel', 'tcg', '-nodefaults', '-m', '256M', '-display', 'none'],
    ...['-serial', `file:${join(dir, 'serial.log')}`, '-chardev', `socket,id=dbg,path=${join(dir, 'debugcon.sock')}`, '-device', 'isa-debugcon,iobase=0x402,chardev=dbg'],
    ...(memfd ? ['-object', 'memory-backend-memfd,id=mem,size=256M,share=on', '-machine', 'memory-backend=mem'] : []),
    ...['-drive', `file=${peer(`guest/${image}`)},format=raw,if=virtio,snapshot=on`],
    ...['-device', JSON.stringify({ driver: 'vfio-user-pci', id: 'vu0', socket: { path: socket, type: 'unix' } })],
  ];
}

/** The `key=0x12345678` lines of a console text, by key (the key keeps its "what: " prefix); a later line wins. */
export function consoleValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const m of text.matchAll(/^(.+)=0x([0-9a-f]{8})$/gm)) values.set(m[1]!, parseInt(m[2]!, 16));
  return values;
}

/**
 * The guest's debug console (port 0x402, where SeaBIOS writes too), which
 * QEMU sends to a Unix socket of the test's: its text so far, and waits for
 * a text to appear, woken by what arrives.
 */
export class DebugConsole {
  text = '';
  readonly #server: NetServer;
  readonly #waiters = new Set<() => void>();

  private constructor(server: NetServer) {
    this.#server = server;
    server.on('connection', (s) => {
      s.setEncoding('utf8');
      s.on('data', (chunk: string) => {
        this.text += chunk;
        for (const w of this.#waiters) w();
      });
    });
  }

  /** Listens on `path`; QEMU connects to it as `-chardev socket,path=...`. */
  static async listen(t: ExecutionContext, path: string): Promise<DebugConsole> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
    t.teardown(() => void server.close());
    return new DebugConsole(server);
  }

  /** Resolves when the console holds `text` `times` times; rejects when `child` ends first or after `timeoutMs`. */
  until(text: string, child: Child, timeoutMs: number, times = 1): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error: Error | null): void => {
        this.#waiters.delete(check);
        clearTimeout(timer);
        if (error === null) resolve();
        else reject(error);
      };
      const check = (): void => {
        if (this.text.split(text).length > times) done(null);
      };
      const timer = setTimeout(() => done(new Error(`no "${text}" within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.add(check);
      void child.exited.then(() => done(new Error(`QEMU ended before "${text}":\n${child.output}`)));
      check();
    });
  }
}

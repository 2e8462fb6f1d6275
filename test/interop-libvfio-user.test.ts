/**
 * Live interoperability with libvfio-user master (../shared/peers, see
 * test/helpers/peers.ts): the example client against the sample server and
 * the gpio sample, and libvfio-user's unmodified sample client against a
 * sample-compatible device on this package's Server, migration to a second
 * server of ours included. Every session is captured and must pass `check`
 * and `verify`. Each test skips, saying why, without the peers.
 */
import test, { type ExecutionContext } from 'ava';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VFIO_PCI_CONFIG_REGION_INDEX, VFIO_USER_DEVICE_RESET, VFIO_USER_DEVICE_STATE_STOP, VFIO_USER_DEVICE_STATE_STOP_COPY, VFIO_USER_REGION_READ } from '../src/constants.js';
import { command, decode, type Message } from '../src/index.js';
import { connect, ERRNO, VfioUserRemoteError } from '../src/unix/index.js';
import { CaptureFile, checkAndVerify, Child, cmdOf, isReply, libDir, missing, peer, readCapture, root, scratch, startLibvfioUser } from './helpers/peers.js';
import { startSampleServer } from './helpers/sample-server.js';

const exampleClient = join(root, 'dist/examples/device/client.js');

/** Runs the example client against `socket`; resolves with its output once it exited 0. */
async function runExampleClient(t: ExecutionContext, socket: string, capture: string, extra: readonly string[] = []): Promise<string> {
  const client = new Child(t, process.execPath, [exampleClient, '--socket', socket, '--capture', capture, ...extra]);
  const { code } = await client.exited;
  t.is(code, 0, client.output);
  t.regex(client.output, /\d+ steps, 0 failed; the capture has 0 protocol violations/);
  return client.output;
}

const gpioMissing = missing('libvfio-user/samples/gpio-pci-idio-16', 'libvfio-user/lib');
(gpioMissing === null ? test : test.skip)(`example client against libvfio-user's gpio sample (-M)${gpioMissing === null ? '' : ` [skipped: ${gpioMissing}]`}`, async (t) => {
  t.timeout(60000);
  const dir = scratch(t, 'gpio');
  const socket = join(dir, 'gpio.sock');
  const capture = join(dir, 'gpio.jsonl');
  const server = await startLibvfioUser(t, dir, 'libvfio-user/samples/gpio-pci-idio-16', ['-M', '-v'], socket);
  await runExampleClient(t, socket, capture);
  const n = await checkAndVerify(t, capture, { client: 'default', server: 'libvfio-user' }, 40);
  t.log(`gpio sample: ${n} messages`);
  server.kill();
});

const serverMissing = missing('libvfio-user/samples/server', 'libvfio-user/lib');
(serverMissing === null ? test : test.skip)(`libvfio-user's sample server refuses what the model of its dialect refuses in STOP and STOP_COPY${serverMissing === null ? '' : ` [skipped: ${serverMissing}]`}`, async (t) => {
  t.timeout(60000);
  const dir = scratch(t, 'stopped');
  const socket = join(dir, 'stopped.sock');
  const capture = new CaptureFile(join(dir, 'stopped.jsonl'));
  const server = await startLibvfioUser(t, dir, 'libvfio-user/samples/server', ['-v'], socket);
  const client = await connect(socket, { twinSocket: false, serverDialect: 'libvfio-user', tap: capture.clientTap(0) });
  const reset = command(VFIO_USER_DEVICE_RESET, 0, null);
  const read = command(VFIO_USER_REGION_READ, 0, { offset: 0n, region: VFIO_PCI_CONFIG_REGION_INDEX, count: 4 });
  /** What the server answered (its errno name, or `ok`) and what the client's model predicted (the errno of its first rule, or `ok`). */
  const outcome = async (message: Message, send: () => Promise<unknown>): Promise<[string, string]> => {
    const rule = client.model.check('client', message, 0)[0];
    const predicted = rule === undefined ? 'ok' : (rule.errno ?? 'EINVAL');
    try {
      await send();
      return ['ok', predicted];
    } catch (e) {
      if (!(e instanceof VfioUserRemoteError)) throw e;
      return [e.errno === ERRNO.EINVAL ? 'EINVAL' : String(e.errno), predicted];
    }
  };
  t.deepEqual(await outcome(read, () => client.regionRead(VFIO_PCI_CONFIG_REGION_INDEX, 0n, 4)), ['ok', 'ok'], 'RUNNING');
  await client.setDeviceState(VFIO_USER_DEVICE_STATE_STOP);
  t.deepEqual(await outcome(reset, () => client.reset()), ['EINVAL', 'EINVAL'], 'DEVICE_RESET in STOP');
  t.deepEqual(await outcome(read, () => client.regionRead(VFIO_PCI_CONFIG_REGION_INDEX, 0n, 4)), ['ok', 'ok'], 'REGION_READ in STOP');
  await client.setDeviceState(VFIO_USER_DEVICE_STATE_STOP_COPY);
  t.deepEqual(await outcome(reset, () => client.reset()), ['EINVAL', 'EINVAL'], 'DEVICE_RESET in STOP_COPY');
  t.deepEqual(await outcome(read, () => client.regionRead(VFIO_PCI_CONFIG_REGION_INDEX, 0n, 4)), ['EINVAL', 'EINVAL'], 'REGION_READ in STOP_COPY');
  client.close();
  capture.close();
  await server.exited;
  await checkAndVerify(t, capture.path, { client: 'default', server: 'libvfio-user' }, 10);
});

(serverMissing === null ? test : test.skip)(`example client against libvfio-user's sample server, in the sample's migration convention${serverMissing === null ? '' : ` [skipped: ${serverMissing}]`}`, async (t) => {
  t.timeout(60000);
  const dir = scratch(t, 'sample');
  const socket = join(dir, 'sample.sock');
  const capture = join(dir, 'sample.jsonl');
  const server = await startLibvfioUser(t, dir, 'libvfio-user/samples/server', ['-v'], socket);
  const out = await runExampleClient(t, socket, capture, ['--libvfio-user-sample']);
  t.regex(out, /ok {4}MIG_DATA_WRITE the STOP_COPY part/);
  t.regex(out, /ok {4}SET MIG_DEVICE_STATE RUNNING/);
  const n = await checkAndVerify(t, capture, { client: 'default', server: 'libvfio-user' }, 100);
  t.log(`sample server: ${n} messages`);
  // The sample pads its MIG_DATA_READ replies to the size asked.
  const padded = readCapture(capture).filter((r) => cmdOf(r) === 17 && isReply(r)).map((r) => decode(Buffer.from(r.hex, 'hex')));
  t.true(padded.some((m) => m.kind === 'reply' && m.cmd === 17 && m.body.size < m.body.data.length));
  server.kill();
  await server.exited;
});

const clientMissing = missing('libvfio-user/samples/client', 'libvfio-user/lib');
(clientMissing === null ? test : test.skip)(`libvfio-user's sample client against the sample-compatible device on our Server, migration target included${clientMissing === null ? '' : ` [skipped: ${clientMissing}]`}`, async (t) => {
  t.timeout(90000);
  const dir = scratch(t, 'cclient');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  // The client starts `server` from its own directory as its migration target: ours.
  copyFileSync(peer('libvfio-user/samples/client'), join(bin, 'client'));
  chmodSync(join(bin, 'client'), 0o755);
  writeFileSync(join(bin, 'server'), `#!/bin/sh\nexec '${process.execPath}' '${join(root, 'dist/test/helpers/sample-server.js')}' "$@"\n`, { mode: 0o755 });
  const socket = join(dir, 'device.sock');
  const source = new CaptureFile(join(dir, 'source.jsonl'));
  const target = join(dir, 'target.jsonl');
  // The sample client asks for an interrupt 1 s ahead, then sets the timer 10 s ahead before it migrates: the
  // source's timer must not fire before STOP_COPY stops it (real time here), and the target, which then waits
  // for it, is sped up.
  const lines: string[] = [];
  const s = await startSampleServer(socket, { capture: source, log: (l) => void lines.push(l) });
  t.teardown(() => s.close());
  const client = new Child(t, join(bin, 'client'), [socket], {
    cwd: dir,
    env: { ...process.env, LD_LIBRARY_PATH: libDir(dir, 'libvfio-user'), VFU_SAMPLE_CAPTURE: target, VFU_SAMPLE_CONN: '1', VFU_SAMPLE_TIME_SCALE: '0.1' },
  });
  const { code } = await client.exitedWithin(60000, () => `our source server:\n${lines.join('\n')}\n${s.problems.join('\n')}`);
  await s.firstClosed;
  source.close();
  const log = `${client.output}\n${lines.join('\n')}\n${s.problems.join('\n')}`;
  // The process started as the client becomes the migration target after its fork; it reports how the client process ended.
  t.is(code, 0, log);
  t.regex(client.output, /client process \d+ exited with status 0/, log);
  t.regex(client.output, /client left after 1 DMA rounds, 0 mismatches/, log);
  // Both connections saw the device's interrupt.
  t.is(client.output.match(/^client: INTx triggered!$/gm)?.length, 2, log);
  t.is(s.device.dmaRounds, 1, log);
  t.is(s.device.dmaMismatches, 0, log);
  t.deepEqual(s.problems, []);
  const dialects = { client: 'libvfio-user', server: 'default' };
  const a = await checkAndVerify(t, source.path, dialects, 100);
  const b = await checkAndVerify(t, target, dialects, 40);
  t.log(`sample client: ${a} + ${b} = ${a + b} messages on two connections`);
  for (const path of [source.path, target]) {
    const records = readCapture(path);
    // The device asked for message DMA on the lowest window: DMA_WRITE and DMA_READ went as messages.
    t.true(records.some((r) => cmdOf(r) === 12 && r.dir === 's2c' && !isReply(r)), `DMA_WRITE in ${path}`);
    t.true(records.some((r) => cmdOf(r) === 11 && r.dir === 's2c' && !isReply(r)), `DMA_READ in ${path}`);
  }
  // The last STOP_COPY read is short: padded to the size asked, as the client reads it.
  const reads = readCapture(source.path).filter((r) => cmdOf(r) === 17 && isReply(r)).map((r) => decode(Buffer.from(r.hex, 'hex')));
  t.true(reads.some((m) => m.kind === 'reply' && m.cmd === 17 && m.body.size < m.body.data.length));
});

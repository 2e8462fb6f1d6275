/**
 * `vfio-user probe`: against the example device served in this process, and
 * against libvfio-user's samples/server and gpio-pci-idio-16 from the peers
 * folder (skipped, with the reason, when they are absent).
 */
import test from 'ava';
import { join } from 'node:path';
import { ExampleDevice } from '../examples/device/device.js';
import { probe, probeCommand, probeText } from '../src/cli/probe.js';
import type { Output } from '../src/cli/commands.js';
import { InputError, UsageError } from '../src/cli/errors.js';
import { serve, Server } from '../src/unix/index.js';
import { missing, scratch, startLibvfioUser } from './helpers/peers.js';

function sink(): Output & { text(): string } {
  const chunks: string[] = [];
  return { write: (c) => void chunks.push(String(c)), text: () => chunks.join('') };
}

test('probe describes the example device: regions with flags, sizes and caps, IRQs, migration, iommufd', async (t) => {
  const dir = scratch(t, 'probe');
  const socket = join(dir, 'device.sock');
  const device = new ExampleDevice();
  const listener = await serve(socket, new Server(device));
  t.teardown(async () => {
    await listener.close();
    device.close();
  });
  const p = await probe(socket);
  t.is(p.device.num_regions, p.regions.length);
  t.is(p.device.num_irqs, p.irqs.length);
  t.true(p.iommufd);
  t.true(p.migration.supported);
  const bar1 = p.regions[1]!;
  t.is(bar1['name'], 'VFIO_PCI_BAR1_REGION_INDEX');
  t.true(bar1['fd']);
  const caps = bar1['caps'] as { kind: string; areas: unknown[] }[];
  t.is(caps[0]?.kind, 'sparse_mmap');
  t.true(caps[0]!.areas.length >= 1);
  const text = probeText(p).join('\n');
  t.regex(text, /VFIO_PCI_BAR1_REGION_INDEX: 16 KiB \(0x4000\) READ\|WRITE\|MMAP\|CAPS, fd; sparse mmap/);
  t.regex(text, /iommufd: yes/);
  const json = sink();
  t.is(await probeCommand({ json: true }, [socket], json), 0);
  const back = JSON.parse(json.text()) as { regions: unknown[]; device: { num_regions: number } };
  t.is(back.regions.length, back.device.num_regions);
});

test('probe without a socket is a usage error; a socket nobody listens on an input error', async (t) => {
  t.true((await t.throwsAsync(probeCommand({}, [], sink()))) instanceof UsageError);
  const dir = scratch(t, 'probe-none');
  t.true((await t.throwsAsync(probeCommand({}, [join(dir, 'nobody.sock')], sink()))) instanceof InputError);
});

for (const [name, args] of [
  ['samples/server', ['-v']],
  ['samples/gpio-pci-idio-16', ['-v']],
] as const) {
  const why = missing(`libvfio-user/${name}`, 'libvfio-user/lib');
  (why === null ? test : test.skip)(`probe describes libvfio-user's ${name}${why === null ? '' : ` [skipped: ${why}]`}`, async (t) => {
    t.timeout(30000);
    const dir = scratch(t, 'probe-peer');
    const socket = join(dir, 'peer.sock');
    const server = await startLibvfioUser(t, dir, `libvfio-user/${name}`, args, socket);
    const p = await probe(socket);
    t.is(p.device.num_regions, 9);
    t.is(p.regions.length, 9);
    t.is(p.irqs.length, p.device.num_irqs);
    t.false(p.iommufd, 'libvfio-user master has no iommufd');
    t.is(p.regions[7]!['name'], 'VFIO_PCI_CONFIG_REGION_INDEX');
    t.is(p.regions[7]!['size'], '256');
    t.log(probeText(p).join('\n'));
    server.kill();
  });
}

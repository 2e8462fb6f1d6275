// Run by scripts/test-install.sh in a project that installed the packed
// tarball: a vfio-user client and server over a Unix socket (listen and
// connect), and a region's memfd passed with its reply (SCM_RIGHTS), written
// on one side of the socket and read back on the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, memfd, preadFd, pwriteFd, serve, Server } from 'vfio-user-protocol/unix';

const dir = mkdtempSync(join(tmpdir(), 'vfu-install-'));
const bar = memfd('bar0', 0x1000);
const device = {
  flags: 2,
  regions: [{ flags: 7, size: 0x1000n, fd: bar, offset: 0n }],
  irqs: [],
  regionRead: (_c, _i, offset, count) => preadFd(bar, offset, count),
  regionWrite: (_c, _i, offset, data) => pwriteFd(bar, offset, data),
};
const server = new Server(device);
const listener = await serve(join(dir, 's.sock'), server);
const client = await connect(join(dir, 's.sock'));
const info = await client.getDeviceInfo();
const { fd } = await client.getRegionInfo(0);
if (fd === null) throw new Error('no fd came with the region info');
pwriteFd(fd, 0x10n, Uint8Array.of(1, 2, 3, 4));
const back = await client.regionRead(0, 0x10n, 4);
if (back.join() !== '1,2,3,4') throw new Error(`read back ${back.join()}`);
client.close();
await client.whenClosed;
await listener.close();
rmSync(dir, { recursive: true, force: true });
console.log(`unix round trip ok: num_regions=${info.num_regions}, fd passed, twin socket ${client.twinSocket}`);

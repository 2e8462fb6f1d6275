/**
 * The benchmark's inputs: one message per command 1-26 and kind (command,
 * reply) that has a body, the empty DEVICE_RESET command, an empty reply, an
 * error reply and a 1 MiB REGION_WRITE, all taken from the fixture catalogue
 * (spec/fixtures): the messages of the default dialect that the tests, the
 * protocol document and the corpus use, and the corpus's 1 MiB edge case.
 *
 * The bytes are placed back to back, at unaligned offsets, into one receive
 * buffer. The benchmark decodes subarrays of that buffer, as a transport
 * delivers them, and re-encodes the decoded messages (whose tails are views
 * into the receive buffer) into one send buffer.
 */
import { decode } from '../src/codec.js';
import type { ResolvedOptions } from '../src/options.js';
import type { Message } from '../generated/ts/messages.js';
import { edgeCases, fixtures } from '../spec/fixtures/index.js';
import { fixtureBytes, hexToBytes } from '../test/helpers/fixture.js';

/** One message of the benchmark. */
export interface CodecCase {
  /** Row label, e.g. `DMA_MAP command`. */
  readonly name: string;
  /** The fixture (or corpus edge case) the bytes come from. */
  readonly fixture: string;
  /** The bytes, a subarray of the shared receive buffer. */
  readonly bytes: Uint8Array;
  /** The package's decoding of `bytes` (tails are views into the receive buffer): the encode input. */
  readonly message: Message;
  /** typed-struct and binary-parser versions exist for this message. */
  readonly libraries: boolean;
}

/** Rows: label, fixture name (`edge:` for a corpus edge case), and whether the libraries cover it. */
const ROWS: readonly (readonly [string, string, boolean])[] = [
  ['VERSION command (JSON)', 'iommufd-version-request', false],
  ['VERSION reply (JSON)', 'version-reply-libvfio-user-twin-socket', false],
  ['DMA_MAP command', 'dma-map-request-fd', true],
  ['DMA_MAP reply (empty)', 'dma-map-reply', false],
  ['DMA_UNMAP command (bitmap)', 'dma-unmap-request-dirty-bitmap', false],
  ['DMA_UNMAP reply (bitmap 8 B)', 'dma-unmap-reply-dirty-bitmap', true],
  ['DEVICE_GET_INFO command', 'device-get-info-request', false],
  ['DEVICE_GET_INFO reply', 'device-get-info-reply', false],
  ['GET_REGION_INFO command', 'device-get-region-info-request', false],
  ['GET_REGION_INFO reply (sparse caps)', 'device-get-region-info-reply-bar1-sparse', true],
  ['GET_REGION_IO_FDS command', 'device-get-region-io-fds-request', false],
  ['GET_REGION_IO_FDS reply (2 x 48 B)', 'device-get-region-io-fds-reply-48', false],
  ['GET_IRQ_INFO command', 'device-get-irq-info-request', false],
  ['GET_IRQ_INFO reply', 'device-get-irq-info-reply', false],
  ['SET_IRQS command (eventfd)', 'device-set-irqs-request-msix-eventfd', false],
  ['REGION_READ command', 'region-read-request-config', false],
  ['REGION_READ reply (4 B)', 'region-read-reply-config', false],
  ['REGION_WRITE command (8 B)', 'region-write-request-bar0', true],
  ['REGION_WRITE command (1 MiB)', 'edge:max-size', true],
  ['REGION_WRITE reply', 'region-write-reply-bar0', false],
  ['DMA_READ command', 'dma-read-request', false],
  ['DMA_READ reply (8 B)', 'dma-read-reply', false],
  ['DMA_WRITE command (8 B)', 'dma-write-request', false],
  ['DMA_WRITE reply', 'dma-write-reply', false],
  ['DEVICE_RESET command (no body)', 'device-reset-request', false],
  ['DIRTY_PAGES command (GET_BITMAP)', 'dirty-pages-request-get-bitmap', false],
  ['DIRTY_PAGES reply (bitmap 8 B)', 'dirty-pages-reply-get-bitmap', false],
  ['REGION_WRITE_MULTI command (2 writes)', 'region-write-multi-request-qemu', false],
  ['REGION_WRITE_MULTI reply', 'region-write-multi-reply', false],
  ['DEVICE_FEATURE command (SET mig_state)', 'device-feature-request-set-mig-state-pre-copy', false],
  ['DEVICE_FEATURE reply (GET migration)', 'device-feature-reply-get-migration', false],
  ['MIG_DATA_READ command', 'mig-data-read-request', false],
  ['MIG_DATA_READ reply (16 B)', 'mig-data-read-reply', false],
  ['MIG_DATA_WRITE command (16 B)', 'mig-data-write-request', false],
  ['IOMMUFD_ALLOC_IOAS command', 'iommufd-alloc-ioas-request', false],
  ['IOMMUFD_ALLOC_IOAS reply', 'iommufd-alloc-ioas-reply', false],
  ['IOMMUFD_DESTROY_IOAS command', 'iommufd-destroy-ioas-request', false],
  ['IOMMUFD_IOAS_MAP command', 'iommufd-ioas-map-request', true],
  ['IOMMUFD_IOAS_MAP reply', 'iommufd-ioas-map-reply', false],
  ['IOMMUFD_IOAS_UNMAP command', 'iommufd-ioas-unmap-request', false],
  ['IOMMUFD_IOAS_COPY command', 'iommufd-ioas-copy-request', false],
  ['IOMMUFD_BIND command', 'iommufd-bind-request', false],
  ['IOMMUFD_BIND reply', 'iommufd-bind-reply', false],
  ['IOMMUFD_ATTACH_PT command', 'iommufd-attach-pt-request', false],
  ['IOMMUFD_DETACH_PT command', 'iommufd-detach-pt-request', false],
  ['error reply (EINVAL)', 'device-get-info-error-einval', false],
];

/** A fixture's or edge case's bytes. */
function bytesOfFixture(name: string): Uint8Array {
  if (name.startsWith('edge:')) {
    const e = edgeCases.find((x) => x.name === name.slice('edge:'.length));
    if (e === undefined) throw new Error(`bench: no edge case ${name}`);
    const head = hexToBytes(e.bytes.map(([, h]) => h).join(' '));
    const out = new Uint8Array(head.length + (e.zeros ?? 0));
    out.set(head);
    return out;
  }
  const f = fixtures.find((x) => x.name === name);
  if (f === undefined) throw new Error(`bench: no fixture ${name}`);
  return fixtureBytes(f);
}

/** Where each message goes: back to back from an odd offset, each start moved by 3 bytes to stay unaligned. */
export function buildCases(opt: ResolvedOptions): { cases: CodecCase[]; receive: Uint8Array } {
  const encoded = ROWS.map(([name, fixture, libraries]) => ({ name, fixture, bytes: bytesOfFixture(fixture), libraries }));
  let size = 3;
  for (const e of encoded) size += e.bytes.length + 3;
  const receive = new Uint8Array(new ArrayBuffer(size));
  let at = 3;
  const cases: CodecCase[] = [];
  for (const e of encoded) {
    receive.set(e.bytes, at);
    const bytes = receive.subarray(at, at + e.bytes.length);
    cases.push({ name: e.name, fixture: e.fixture, bytes, message: decode(bytes, opt), libraries: e.libraries });
    at += e.bytes.length + 3;
  }
  return { cases, receive };
}

/**
 * The guest program's own race without shared memory: its first DMA_STATUS
 * read may come before QEMU has served the device's DMA_READ. This tells,
 * from the capture, whether that happened and the device answered truthfully.
 */
import type { Message } from '../../src/index.js';
import { BAR0, REG } from '../../examples/device/device.js';
import { VFIO_USER_DMA_READ, VFIO_USER_REGION_READ, VFIO_USER_REGION_WRITE } from '../../src/constants.js';

/** One message of a connection, decoded, with who sent it. */
export interface SeenMessage {
  readonly from: 'client' | 'server';
  readonly nfds: number;
  readonly message: Message;
}

/**
 * Whether the guest's first DMA_STATUS read after its first DMA command came
 * before QEMU answered the device's DMA_READ, and the device answered that
 * read with 0: the guest's own race (see test/interop-qemu.test.ts), with the device
 * telling the truth.
 */
export function statusReadBeforeDmaReply(m: readonly SeenMessage[]): boolean {
  const regionAt = (x: (typeof m)[number], cmd: number, offset: number): boolean =>
    x.from === 'client' && x.message.kind === 'command' && x.message.cmd === cmd && x.message.body !== null && 'region' in x.message.body && x.message.body.region === BAR0 && x.message.body.offset === BigInt(offset);
  const start = m.findIndex((x) => regionAt(x, VFIO_USER_REGION_WRITE, REG.DMA_CMD));
  const dmaRead = m.findIndex((x, i) => i > start && x.from === 'server' && x.message.kind === 'command' && x.message.cmd === VFIO_USER_DMA_READ);
  if (start < 0 || dmaRead < 0) return false;
  const dmaId = m[dmaRead]!.message.msg_id;
  const replied = m.findIndex((x, i) => i > dmaRead && x.from === 'client' && x.message.kind === 'reply' && x.message.cmd === VFIO_USER_DMA_READ && x.message.msg_id === dmaId);
  const read = m.findIndex((x, i) => i > start && regionAt(x, VFIO_USER_REGION_READ, REG.DMA_STATUS));
  if (read < 0 || (replied >= 0 && replied < read)) return false;
  const readId = m[read]!.message.msg_id;
  const answer = m.find((x, i) => i > read && x.from === 'server' && x.message.kind === 'reply' && x.message.cmd === VFIO_USER_REGION_READ && x.message.msg_id === readId)?.message;
  const data = answer?.kind === 'reply' && answer.cmd === VFIO_USER_REGION_READ ? answer.body?.data : undefined;
  return data !== undefined && data.length === 4 && data.every((b) => b === 0);
}

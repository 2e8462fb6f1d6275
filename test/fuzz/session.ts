/**
 * A stateful fuzzer of the session layer: a peer in the client's place
 * drives a Server (the example device) over an in-memory channel with
 * conversations built from the corpus: a VERSION (usually valid, sometimes
 * mutated), then a run of messages that are whole corpus seeds (valid
 * commands of every kind, so state builds up: windows, logging, IRQs,
 * migration, IOAS) or mutations of them, sent in random chunks, some with
 * fds (a file or a pipe), then a probe (DEVICE_GET_INFO), then the peer
 * closes.
 *
 * The rule it enforces: nothing escapes as an uncaught exception or an
 * unhandled rejection; every violation the server reports carries a code of
 * the catalogue (spec/errors.ts); every connection ends within 5 s of its
 * peer going; the server's fds come back to where they were.
 */
import { closeSync, readdirSync } from 'node:fs';
import { errorCodes } from '../../spec/errors.js';
import { ExampleDevice } from '../../examples/device/device.js';
import { pipePair } from '../helpers/pipes.js';
import { command, decode, encode, FrameDecoder } from '../../src/index.js';
import { channelPair, Server, type Channel } from '../../src/session/index.js';
import { dupFd } from '../../src/unix/index.js';
import { loadSeeds, mutate, Rng } from './engine.js';
import { TempFiles } from '../helpers/session-peer.js';

/** A conversation that broke the rule. */
export interface SessionFinding {
  readonly iteration: number;
  readonly error: string;
}

/** The result of a session fuzzing run. */
export interface SessionFuzzResult {
  readonly conversations: number;
  readonly messages: number;
  readonly findings: SessionFinding[];
  /** Conversations whose probe was answered (the others ended with the connection closed). */
  readonly probed: number;
  /** Violation codes the server reported, with counts. */
  readonly codes: Map<string, number>;
  /** Error replies by errno. */
  readonly errnos: Map<number, number>;
  /** The server's fds before and after. */
  readonly fdsBefore: number;
  readonly fdsAfter: number;
}

const KNOWN = new Set<string>(errorCodes.map((c) => c.code));
const PROBE_ID = 0xfffe;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const openFds = (): number => readdirSync('/proc/self/fd').length;

function versionOf(rng: Rng): Uint8Array {
  const caps: Record<string, unknown> = { max_msg_fds: rng.pick([0, 1, 8]), max_data_xfer_size: rng.pick([4096, 1048576]) };
  if (rng.next() < 0.5) caps.iommufd = { supported: true };
  if (rng.next() < 0.1) caps.max_data_xfer_size = 0;
  return encode(command(1, 0, { major: 0, minor: 2, data: utf8(JSON.stringify({ capabilities: caps })), json: null }));
}

/** Sends `bytes` in random chunks (the in-memory channel delivers each send as one chunk). */
function sendChunked(rng: Rng, ch: Channel, bytes: Uint8Array, fds: number[]): void {
  let o = 0;
  let first = true;
  while (o < bytes.length) {
    const n = rng.next() < 0.7 ? bytes.length - o : 1 + rng.int(bytes.length - o);
    ch.send(bytes.subarray(o, o + n), first ? fds : []);
    first = false;
    o += n;
  }
}

/** Fuzzes the session layer for `conversations` conversations. */
export async function fuzzSession(options: { conversations: number; seed: number; corpusDir?: string; onProgress?: (done: number) => void }): Promise<SessionFuzzResult> {
  const rng = new Rng(options.seed);
  const { seeds } = loadSeeds(options.corpusDir);
  // Valid client commands to build state with; mutations of them (and of any seed) to break it.
  const commands = seeds.filter((s) => {
    try {
      const m = decode(s);
      return m.kind === 'command' && m.cmd !== 1;
    } catch {
      return false;
    }
  });
  const findings: SessionFinding[] = [];
  const codes = new Map<string, number>();
  const errnos = new Map<number, number>();
  let iteration = 0;
  const escaped = (e: unknown): void => void findings.push({ iteration, error: `escaped: ${(e as Error)?.stack ?? String(e)}` });
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
  const files = new TempFiles();
  const device = new ExampleDevice();
  const server = new Server(device, {
    // DMA_READ/DMA_WRITE the device sends this peer go unanswered: give up on them quickly.
    timeoutMs: 50,
    sessionLimits: { handshakeTimeoutMs: 0, maxOutputBytes: 1 << 20 },
    onViolation: (_c, e) => {
      const code = (e as { code?: string }).code;
      if (code === undefined || !KNOWN.has(code)) findings.push({ iteration, error: `a violation without a catalogue code: ${e.name}: ${e.message}` });
      else codes.set(code, (codes.get(code) ?? 0) + 1);
    },
  });
  const memory = files.file(1 << 16);
  const pipe = pipePair();
  const fdsBefore = openFds();
  let messages = 0;
  let probed = 0;
  try {
    for (iteration = 0; iteration < options.conversations; iteration++) {
      const [ours, theirs] = channelPair({ maxChunk: rng.pick([1 << 20, 4096, 7]), dupFd });
      const conn = server.accept(theirs);
      const decoder = new FrameDecoder({ limits: { maxMsgFds: 64 }, allowUnknownCommands: true });
      let answered!: () => void;
      const probe = new Promise<void>((r) => (answered = r));
      ours.start({
        data: (chunk, fds) => {
          for (const fd of fds) closeSync(fd);
          decoder.push(chunk);
          try {
            for (let f = decoder.next(); f !== null; f = decoder.next()) {
              if (f.message.kind === 'error') errnos.set(f.message.error_no, (errnos.get(f.message.error_no) ?? 0) + 1);
              if (f.message.msg_id === PROBE_ID && f.message.cmd === 4) answered();
            }
          } catch {
            // A reply the fuzzing peer cannot frame is of no interest here.
          }
        },
        closed: () => answered(),
      });
      sendChunked(rng, ours, rng.next() < 0.9 ? versionOf(rng) : mutate(rng, versionOf(rng), rng.pick(commands)), []);
      const n = 1 + rng.int(24);
      for (let i = 0; i < n; i++) {
        const seed = rng.pick(commands);
        const bytes = rng.next() < 0.92 ? seed : mutate(rng, seed, rng.pick(seeds));
        const fds = rng.next() < 0.15 ? [rng.next() < 0.5 ? memory : pipe.writeFd] : [];
        sendChunked(rng, ours, bytes, fds);
        messages++;
      }
      ours.send(encode(command(4, PROBE_ID, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 })), []);
      let timer: NodeJS.Timeout | undefined;
      // A mutated msg_size can swallow the probe (the framer skips or waits for the bytes it announced),
      // and a DMA_READ the device sends this peer is never answered: an unanswered probe is no finding.
      const outcome = await Promise.race([probe.then(() => 'done'), new Promise<string>((r) => (timer = setTimeout(() => r('waiting'), 150)))]);
      clearTimeout(timer);
      if (outcome === 'done' && !conn.isClosed) probed++;
      ours.close();
      const ended = await Promise.race([conn.whenClosed.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 5000)))]);
      clearTimeout(timer);
      if (!ended) findings.push({ iteration, error: 'the connection did not end within 5 s of its peer closing' });
      options.onProgress?.(iteration + 1);
    }
  } finally {
    process.off('uncaughtException', escaped);
    process.off('unhandledRejection', escaped);
  }
  const fdsAfter = openFds();
  if (fdsAfter !== fdsBefore) findings.push({ iteration, error: `the server holds ${fdsAfter - fdsBefore} fds more than before` });
  closeSync(pipe.readFd);
  closeSync(pipe.writeFd);
  files.remove();
  device.close();
  return { conversations: options.conversations, messages, findings, probed, codes, errnos, fdsBefore, fdsAfter };
}

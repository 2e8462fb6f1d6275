#!/usr/bin/env node
/**
 * The `vfio-user` command: decode, verify, check and encode vfio-user
 * captures; print the struct layout; write the fuzz corpus. Runs
 * {@link main} on the process's standard streams.
 */
import { main } from './cli.js';

// A reader that stops early (`| head`) closes the pipe: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const io = {
  write: (chunk: string | Uint8Array) => void process.stdout.write(chunk),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  stderr: process.stderr,
  stdin: process.stdin,
};
process.exitCode = await main(process.argv.slice(2), io);

// AVA runs the compiled tests (npm test builds first; scripts/run-tests.mjs runs AVA).
// Files run in parallel, each in its own process. The slowest files start first, so
// that waiting on QEMU guests, npm installs and child processes overlaps the rest of
// the suite instead of ending it; the others follow in name order.
const slowFirst = [
  'interop-qemu',
  'proxy',
  'install',
  'api-docs',
  'regenerate',
  'wireshark',
  'session',
  'hostile',
  'fuzz',
  'json-fast',
  'json',
  'interop-libvfio-user',
];

const rank = (file) => {
  const name = file.replace(/^.*[\\/]/, '').replace(/\.test\.[cm]?[jt]s$/, '');
  const i = slowFirst.indexOf(name);
  return i < 0 ? slowFirst.length : i;
};

export default {
  typescript: {
    rewritePaths: { 'test/': 'dist/test/' },
    compile: false,
  },
  files: ['test/**/*.test.ts'],
  timeout: '5m',
  workerThreads: false,
  concurrency: 3,
  sortTestFiles: (a, b) => rank(a) - rank(b) || a.localeCompare(b, [], { numeric: true }),
};

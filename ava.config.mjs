// AVA runs the compiled tests (npm test builds first; scripts/run-tests.mjs runs AVA).
// Files run in parallel, each in its own process. The slowest files start first, so
// that waiting on npm installs, QEMU guests and child processes overlaps the rest of
// the suite instead of ending it (ranked by each file's time alone); the others follow
// in name order.
const slowFirst = [
  'install',
  'regenerate',
  'api-docs',
  'proxy',
  'interop-qemu',
  'hostile',
  'fuzz',
  'interop-libvfio-user',
  'e2e',
  'capabilities',
  'properties',
  'wireshark',
  'session',
  'json-fast',
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

// Test files named on the command line run alone; otherwise the whole suite runs.
const named = process.argv.slice(2).some((a) => /\.test\.ts$/.test(a));

module.exports = {
  'node-option': ['import=tsx'],
  spec: named
    ? []
    : [
        'sdk/src/**/*.test.ts',
        'core/src/**/*.test.ts',
        'core/test/**/*.test.ts',
        'plugins/*/test/**/*.test.ts',
        'themes/*/test/**/*.test.ts',
        'examples/*/test/**/*.test.ts',
        'test/**/*.test.ts',
      ],
  reporter: './test/support/reporter.cjs',
  timeout: 60000,
  exit: true,
};

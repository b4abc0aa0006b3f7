// Spec output, then one summary line CI reads: "N passed, N failed, N skipped".
const Mocha = require('mocha');

class SmileReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const s = runner.stats;
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}

module.exports = SmileReporter;

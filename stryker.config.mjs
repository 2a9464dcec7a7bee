// StrykerJS: mutation testing of src/core, run by `npm run mutation [-- PATH...]`
// (scripts/mutation.mjs sets `mutate` from PATH). Not part of `npm test`: a run
// takes minutes per folder on a 2-core machine.
//
// Stryker mutates the TypeScript sources in a sandbox copy, `buildCommand`
// compiles that copy to out/ once (all mutants are switched at run time), and
// the mocha runner runs the compiled unit tests against it.
// scripts/mutation.mjs gives each PATH its own report folder.
const reportDir = process.env.IOT_AUTHZ_MUTATION_REPORT || 'reports/mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  mochaOptions: {
    // scripts/mutation.mjs narrows this to the tests of the folder being mutated.
    spec: process.env.IOT_AUTHZ_MUTATION_SPEC ? process.env.IOT_AUTHZ_MUTATION_SPEC.split(',') : ['out/test/unit/**/*.test.js'],
    // The real-process handler tests wait on kill timers: seconds per mutant,
    // with mutants of the timers themselves ending as timeouts. They stay in
    // the unit stage; mutation runs use the rest (see README, Tests).
    ignore: ['out/test/unit/core/emulator/handler.test.js'],
    require: ['out/test/unit/mutation-hooks.js'],
    'no-config': true,
    'no-package': true,
  },
  // Only what the unit tests need: the integration, e2e and bench sources are not compiled.
  buildCommand: 'tsc -p tsconfig.mutation.json',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  // A cache, not a source file: it holds results keyed by the exact source and
  // test texts, so it is stale after any change on another branch and would
  // conflict on every merge. Kept per checkout, git-ignored.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 10000,
  // The first, instrumented run of the tests can take minutes when the 2 cores are busy.
  dryRunTimeoutMinutes: 30,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['out', 'dist', '.vscode-test', 'reports', 'test-results', '*.vsix'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/mutation.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, maxTestsToLog: 0 },
  thresholds: { high: 85, low: 75, break: null },
  mutate: ['src/core/policy/**/*.ts', 'src/core/tokens/**/*.ts', 'src/core/keys/**/*.ts', 'src/core/authoring/rules/**/*.ts', 'src/core/emulator/**/*.ts'],
};

// Root hooks for mutation runs only (stryker.config.mjs requires this file): Stryker
// switches mutants on in one long-lived test process, so module-level caches filled
// by an earlier test would otherwise answer for the mutated code.
import { clearPatternCaches } from '../../src/core/policy/variables';

export const mochaHooks = {
  beforeEach(): void {
    clearPatternCaches();
  },
};

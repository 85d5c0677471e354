import { MEASURING_TESTS, suiteConfig } from './vitest.config.js';

/** The tests that measure a whole process, one file at a time, with the machine to themselves. */
export default suiteConfig(MEASURING_TESTS, [], false);

import { type BundleResult, type BundleTask, checkBundle } from './bundle-check.js';

/** A worker thread of the verifier's pool (verify-tree.ts): checks one entry bundle per task. */
export default function run(task: BundleTask): BundleResult {
  return checkBundle(task);
}

/**
 * Where the test tools are: `.tools/bin`, filled by `npm run setup`. In CI
 * (`CI=true`) a missing tool fails the tests that need it; elsewhere those
 * tests are skipped with a message saying how to get the tool.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The nearest folder above `start` holding a `package.json`: the repository,
 * whether this file runs from `test/harness/` (vitest) or compiled under
 * `dist/test/harness/` (the benchmarks start the test API server too).
 */
function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no package.json above ${start}`);
    }
    dir = parent;
  }
  return dir;
}

/** Root of this repository. */
export const REPO_ROOT = findRepoRoot(__dirname);
/** Folder the setup script links every tool into. */
export const TOOLS_BIN = path.join(REPO_ROOT, ".tools", "bin");
/**
 * The shared reference folder beside the clone (`VMPOOLS_REFERENCE_DIR`
 * overrides it). Optional: only cross-checks against upstream files read it,
 * and they skip, also in CI, when it is absent. Nothing else may depend on it.
 */
export const REFERENCE_DIR = process.env["VMPOOLS_REFERENCE_DIR"] ?? path.resolve(REPO_ROOT, "../shared/reference");

/** Tools the end-to-end tests drive. */
export type ToolName = "pulumi" | "pulumi-language-nodejs" | "pulumi-resource-pulumi-nodejs" | "node" | "etcd" | "kube-apiserver" | "ovirt-sdk-python" | "ansible-playbook";

/** Path of a tool in `.tools/bin`, or undefined when setup has not provided it. */
export function findTool(name: ToolName): string | undefined {
  const candidate = path.join(TOOLS_BIN, name);
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
    return candidate;
  } catch {
    return undefined;
  }
}

/** Whether the tests run in CI, where a missing tool is a failure, never a skip. */
export const IN_CI = process.env["CI"] === "true";

/**
 * Decides whether tests needing `tools` can run. Returns the list of missing
 * tools; throws in CI when any is missing.
 */
export function missingTools(...tools: ToolName[]): ToolName[] {
  const missing = tools.filter((t) => findTool(t) === undefined);
  if (missing.length > 0 && IN_CI) {
    throw new Error(`CI=true and ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing from ${TOOLS_BIN}; run 'npm run setup' first`);
  }
  if (missing.length > 0) {
    console.warn(`skipping: ${missing.join(", ")} not in ${TOOLS_BIN}; run 'npm run setup' to build them`);
  }
  return missing;
}

/**
 * Path of `sub` inside {@link REFERENCE_DIR} when it exists. When it does not,
 * warns that the tests for `what` are skipped and why, and returns undefined.
 * Unlike a missing tool this is never a failure, in CI neither: the reference
 * folder holds upstream files a clone cannot carry, not a tool setup builds.
 */
export function optionalReference(sub: string, what: string): string | undefined {
  const dir = path.join(REFERENCE_DIR, sub);
  if (fs.existsSync(dir)) {
    return dir;
  }
  console.warn(`skipping ${what}: the reference folder ${dir} does not exist (it sits beside a full checkout, not in a clone; set VMPOOLS_REFERENCE_DIR to point elsewhere)`);
  return undefined;
}

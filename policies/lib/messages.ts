/**
 * Violation messages from the provider's named rules, worded as `check()`
 * words its failures, so a reviewer reads the same sentence in a policy
 * report as in a failed `up`. Example: `{ path: ["prestarted"], value: 5,
 * message: "must be between 0 and the pool's size (3)" }` -> `'prestarted'
 * must be between 0 and the pool's size (3) (got 5)`.
 */
import { describeValue } from "../../provider/check";
import type { RuleIssue } from "../../provider/schemas/kubevirt-rules";

/** One rule issue as a violation message. */
export function formatIssue(issue: RuleIssue): string {
  return `'${issue.path.join(".")}' ${issue.message} (got ${describeValue(issue.value)})`;
}

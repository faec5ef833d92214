/**
 * `vm-pool-names`: a pool name the backend accepts, and VM names that fit.
 * On oVirt the engine's pool name pattern and its 64-character VM names
 * (`MaxVmNameLength`), or 15 characters for Windows templates, whose VM
 * name becomes the computer name through sysprep (`MaxVmNameLengthSysprep`,
 * reference §2.3); each `AddVm` past the limit fails, after the pool exists.
 * On KubeVirt a DNS-1123 label and VM names `<pool>-<index>` within 63.
 *
 * A pool does not say which OS its template holds, so Windows templates are
 * named in the config, by pattern.
 */
import { z } from "zod";

import { validateKubevirtVmNames } from "../../provider/schemas/kubevirt-rules";
import { validateOvirtPoolName, validateOvirtSysprepVmNames, validateOvirtVmNames } from "../../provider/schemas/ovirt-rules";
import { validateVmoperatorPoolName } from "../../provider/schemas/vmoperator-backend";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { formatIssue } from "../lib/messages";
import { findMatchingPattern } from "../lib/patterns";
import { known, readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-names`. */
export const vmPoolNamesConfig = z.strictObject({
  /**
   * oVirt templates (names or ids) that hold Windows, whose pools' VM names
   * must fit 15 characters; `*` matches anything, letter case is ignored.
   * @default ["win*", "*windows*"]
   */
  windowsTemplates: z.array(z.string().min(1)).default(["win*", "*windows*"]).describe("oVirt templates (name or id patterns, * = anything) that hold Windows: their VM names must fit 15 characters."),
});

/** Settings of `vm-pool-names`, with defaults applied. */
export type VmPoolNamesConfig = z.infer<typeof vmPoolNamesConfig>;

/** The policy. */
export const vmPoolNames = defineResourcePolicy({
  name: "vm-pool-names",
  description: "Checks whether a pool's name is valid on its backend and every VM name it generates fits (64 characters on oVirt, 15 for Windows templates; 63 on KubeVirt).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: "Shorten the pool name or its '?' mask, or use only the characters the backend allows.",
  resourceType: VM_POOL_TYPE,
  config: vmPoolNamesConfig,
  check(resource, config, report) {
    const pool = readVmPoolFields(resource.props);
    if (pool.name.state === "invalid") {
      pool.name.issues.forEach((issue) => {
        report(formatIssue(issue));
      });
      return;
    }
    const name = known(pool.name);
    const size = known(pool.size);
    const kind = known(pool.kind);
    if (name === undefined || kind === undefined) {
      return;
    }
    if (kind === "vmoperator") {
      validateVmoperatorPoolName(name).forEach((issue) => {
        report(formatIssue(issue));
      });
      return;
    }
    if (kind === "kubevirt") {
      if (size !== undefined) {
        validateKubevirtVmNames(name, size).forEach((issue) => {
          report(formatIssue(issue));
        });
      }
      return;
    }
    const poolNameIssues = validateOvirtPoolName(name);
    poolNameIssues.forEach((issue) => {
      report(formatIssue(issue));
    });
    // An empty pool is a size problem, check()'s to report; a bad name has no VM names to measure.
    if (size === undefined || size < 1 || poolNameIssues.length > 0) {
      return;
    }
    const tooLong = validateOvirtVmNames(name, size);
    tooLong.forEach((issue) => {
      report(formatIssue(issue));
    });
    const template = known(pool.template);
    const pattern = template === undefined ? undefined : findMatchingPattern(template, config.windowsTemplates);
    if (template !== undefined && pattern !== undefined && tooLong.length === 0) {
      validateOvirtSysprepVmNames(name, size).forEach((issue) => {
        report(`${formatIssue(issue)}; template '${template}' holds Windows ('${pattern}' in 'windowsTemplates')`);
      });
    }
  },
});

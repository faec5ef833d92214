/**
 * `kubevirt-selector-matches-labels`: a KubeVirt pool's selector selects its
 * own VMs and only them. The provider generates `spec.selector` from the VM
 * labels, so it always matches the template; what can still go wrong is a
 * `kubevirt.io/vmpool` label naming another pool, on the VMs (the selector
 * then claims that pool's VMs too) or on the VMIs (Services then route that
 * pool's traffic here).
 */
import { z } from "zod";

import { validateKubevirtPoolLabel } from "../../provider/schemas/kubevirt-rules";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { formatIssue } from "../lib/messages";
import { known, readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `kubevirt-selector-matches-labels`: none. */
export const kubevirtSelectorMatchesLabelsConfig = z.strictObject({});

/** The policy. */
export const kubevirtSelectorMatchesLabels = defineResourcePolicy({
  name: "kubevirt-selector-matches-labels",
  description: "Checks whether a KubeVirt pool's selector, generated from its VM labels, matches its own VMs and no other pool's.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: "Let the 'kubevirt.io/vmpool' label name this pool, or use a label of your own for a grouping shared by several pools.",
  resourceType: VM_POOL_TYPE,
  config: kubevirtSelectorMatchesLabelsConfig,
  check(resource, _config, report) {
    const pool = readVmPoolFields(resource.props);
    const name = known(pool.name);
    const spec = known(pool.vmSpec);
    if (known(pool.kind) !== "kubevirt" || name === undefined || spec === undefined || pool.vmLabels.state === "unknown" || pool.vmLabels.state === "invalid") {
      return;
    }
    validateKubevirtPoolLabel(name, known(pool.vmLabels), spec).forEach((issue) => {
      report(formatIssue(issue));
    });
  },
});

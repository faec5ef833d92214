/**
 * `vm-pool-spice-proxy`: an overridden SPICE proxy in the form the engine
 * takes, `protocol://host:port` (seed 000, "Overridden SPICE proxy
 * address"). A malformed one is stored as given and only fails when a user
 * opens a console.
 */
import { z } from "zod";

import { validateSpiceProxy } from "../../provider/schemas/pool-rules";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { formatIssue } from "../lib/messages";
import { readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-spice-proxy`: none. */
export const vmPoolSpiceProxyConfig = z.strictObject({});

/** The policy. */
export const vmPoolSpiceProxy = defineResourcePolicy({
  name: "vm-pool-spice-proxy",
  description: "Checks whether an oVirt pool's SPICE proxy is an address protocol://host:port.",
  severity: "low",
  enforcementLevel: "mandatory",
  remediationSteps: "Write 'backend.spiceProxy' as protocol://host:port, e.g. http://proxy.example.com:3128, or leave it out to use the engine's.",
  resourceType: VM_POOL_TYPE,
  config: vmPoolSpiceProxyConfig,
  check(resource, _config, report) {
    const proxy = readVmPoolFields(resource.props).spiceProxy;
    const issues = proxy.state === "invalid" ? proxy.issues : proxy.state === "known" ? validateSpiceProxy(proxy.value) : [];
    issues.forEach((issue) => {
      report(formatIssue(issue));
    });
  },
});

/**
 * `vm-pool-vm-settings`: an oVirt pool's VM settings (`backend.vm`) hold
 * together as `check()` demands, reviewed before anything exists: host CPU
 * pass-through only with migration off, NUMA `preferred` with one node and
 * NUMA not at all through a pool, guaranteed ≤ memory ≤ maximum, storage,
 * cloud-init or sysprep, sysprep VM names within 15 characters, USB not on
 * a stateless pool storing an initial-run password. The provider's own
 * rules, so review and `check()` agree.
 */
import { z } from "zod";

import { validateOvirtVmSettings } from "../../provider/schemas/ovirt-vm-rules";
import { ovirtVmSettingsSchema } from "../../provider/schemas/ovirt-vm-settings";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import { defineResourcePolicy } from "../lib/define-policy";
import { readPath } from "../lib/inputs";
import { formatIssue } from "../lib/messages";
import { known, readField, readVmPoolFields } from "../lib/vm-pool-fields";

/** Settings of `vm-pool-vm-settings`: none. */
export const vmPoolVmSettingsConfig = z.strictObject({});

/** The policy. */
export const vmPoolVmSettings = defineResourcePolicy({
  name: "vm-pool-vm-settings",
  description: "Checks whether an oVirt pool's VM settings (backend.vm) hold together and can reach its VMs through the engine.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps: "Follow the message: e.g. set 'backend.vm.host.migrationMode' to \"none\" for host CPU pass-through, shorten the pool name for sysprep, or move passwords into the sysprep file.",
  resourceType: VM_POOL_TYPE,
  config: vmPoolVmSettingsConfig,
  check(resource, _config, report) {
    const fields = readVmPoolFields(resource.props);
    if (known(fields.kind) !== "ovirt") {
      return;
    }
    const vm = readField(ovirtVmSettingsSchema.optional(), readPath(resource.props, "backend", "vm"), ["backend", "vm"]);
    if (vm.state === "invalid") {
      vm.issues.forEach((issue) => {
        report(formatIssue(issue));
      });
      return;
    }
    const name = known(fields.name);
    const size = known(fields.size);
    const stateful = readField(z.boolean(), readPath(resource.props, "stateful"), ["stateful"]);
    const autoStorageSelect = readField(z.boolean(), readPath(resource.props, "backend", "autoStorageSelect"), ["backend", "autoStorageSelect"]);
    if (vm.state !== "known" || name === undefined || size === undefined) {
      return;
    }
    validateOvirtVmSettings({ name, size, stateful: known(stateful) ?? false, backend: { vm: vm.value, autoStorageSelect: known(autoStorageSelect) ?? false } }).forEach((issue) => {
      report(formatIssue(issue));
    });
  },
});

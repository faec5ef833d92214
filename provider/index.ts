/**
 * pulumi-vmpools: pools of virtual machines as Pulumi resources.
 */
export { VmPool, VM_POOL_TYPE, type VmPoolArgs, type KubevirtBackendArgs, type OvirtBackendArgs } from "./vm-pool";
export { vmPoolInputsSchema, type VmPoolInputs, type BackendKind } from "./schemas/vm-pool";
export { validateKubevirtVmNames, validateKubevirtVmTemplate, type RuleIssue } from "./schemas/kubevirt-rules";
export { validateOvirtPoolName, validateOvirtVmNames } from "./schemas/ovirt-rules";
export { validatePrestarted, validateSpiceProxy } from "./schemas/pool-rules";

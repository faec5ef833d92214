/**
 * pulumi-vmpools: pools of virtual machines as Pulumi resources.
 */
export { VmPool, VM_POOL_TYPE, type VmPoolArgs, type KubevirtBackendArgs, type OvirtBackendArgs, type VmoperatorBackendArgs } from "./vm-pool";
export { vmPoolInputsSchema, type VmPoolInputs, type BackendKind } from "./schemas/vm-pool";
export { validateKubevirtVmNames, validateKubevirtVmTemplate, type RuleIssue } from "./schemas/kubevirt-rules";
export { validateOvirtPoolName, validateOvirtVmNames } from "./schemas/ovirt-rules";
export { validatePrestarted, validateSpiceProxy } from "./schemas/pool-rules";
export { TrustedCluster, TRUSTED_CLUSTER_TYPE, type TrustedClusterArgs, type OvirtTrustedClusterArgs, type KubevirtTrustedClusterArgs } from "./trusted-cluster";
export { PoolPermission, POOL_PERMISSION_TYPE, type PoolPermissionArgs } from "./pool-permission";
export { trustedClusterInputsSchema, trustedPlacementSchema, type TrustedClusterInputs, type TrustedPlacement } from "./schemas/trusted-cluster";
export { poolPermissionInputsSchema, type PoolPermissionInputs } from "./schemas/pool-permission";
export { validateTrustedClusterServices, validateOvirtClusterName, DEFAULT_ATTESTATION_LABEL } from "./schemas/cluster-rules";
export { OVIRT_ADMIN_ROLES, EVERYONE_GROUP, KUBEVIRT_POOL_ROLES, KUBERNETES_ALL_USERS_GROUPS, isAdminRole, validatePermissionPrincipal, validateKubevirtPoolRole } from "./schemas/permission-rules";
export { validatePrestartedRange, validatePrestartedPoolType, validateMaxVmsPerUser } from "./schemas/pool-rules";
export { validateOvirtSysprepVmNames, MAX_OVIRT_SYSPREP_VM_NAME } from "./schemas/ovirt-rules";
export { isKubevirtServicePool, calculateKubevirtForceShrink, calculateKubevirtUpdateStrategy, calculateKubevirtSortPolicy, DEFAULT_KUBEVIRT_SORT_POLICY, KUBEVIRT_SORT_POLICIES, KUBEVIRT_UPDATE_STRATEGIES } from "./schemas/kubevirt-pool-policy";
export { validateKubevirtAutoscaling } from "./schemas/kubevirt-scaling-rules";
export { validateOvirtVmSettings, validatePassThroughHostCpu, validateNumaTuneMode, validateNumaReachable, validateMemory, validateStorage, validateInitialRun } from "./schemas/ovirt-vm-rules";
export { ovirtVmSettingsSchema, vmUpdatePolicySchema, type OvirtVmSettings, type VmUpdatePolicy } from "./schemas/ovirt-vm-settings";
export { initialRunSchema, type InitialRun } from "./schemas/ovirt-initial-run";

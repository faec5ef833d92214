/**
 * The engine messages the sandbox answers with: English text from the engine's
 * `AppErrors.properties` and error type from `EngineMessage.java` (oVirt
 * engine commit 0111fc6), carried as a table of facts. A conformance test
 * checks every entry against those files.
 */
/** An engine error type; it decides the HTTP status. */
export type ErrorType =
  | "BAD_PARAMETERS"
  | "CONFLICT"
  | "CONSTRAINT_VIOLATION"
  | "INCOMPATIBLE_VERSION"
  | "NOT_SUPPORTED"
  | "ATTESTATION_SERVER_ERROR"
  | "NO_AUTHENTICATION"
  | "NO_PERMISSION"
  | "INTERNAL_ERROR"
  | "DATA_CORRUPTION";

/** Validation and execution messages: key -> error type and text with `${action}`/`${type}` placeholders. */
export const ENGINE_MESSAGES = {
  ACTION_TYPE_FAILED_NAME_ALREADY_USED: { type: "CONFLICT", text: "Cannot ${action} ${type}. The ${type} name is already in use, please choose a unique name and try again." },
  VM_POOL_CANNOT_CREATE_WITH_NO_VMS: { type: "CONSTRAINT_VIOLATION", text: "Cannot create Pool with 0 VMs" },
  VM_POOL_CANNOT_CREATE_FROM_BLANK_TEMPLATE: { type: "CONFLICT", text: "VM-Pool must be based on  non-blank Template." },
  ACTION_TYPE_FAILED_PRESTARTED_VMS_CANNOT_EXCEED_VMS_COUNT: { type: "CONFLICT", text: "Cannot ${action} ${type}. Number of Prestarted VMs cannot exceed the number of VMs in the Pool." },
  ACTION_TYPE_FAILED_INVALID_POOL_NAME: { type: "BAD_PARAMETERS", text: "Can not ${action} ${type}. The given name is invalid for pool name. Only lower-case and upper-case letters, numbers, '_', '-', '.', and one mask sequence are allowed." },
  ACTION_TYPE_FAILED_ATTRIBUTE_PATH: { type: "BAD_PARAMETERS", text: "Attribute: ${path}" },
  VALIDATION_VM_POOLS_NUMBER_OF_MAX_ASSIGNED_VMS_OUT_OF_RANGE: { type: "BAD_PARAMETERS", text: "Number of max assigned VMs per user must be between 1 and 32,767." },
  VALIDATION_VM_POOLS_NAME_NOT_NULL: { type: "BAD_PARAMETERS", text: "Pool name is required" },
  VM_POOL_CANNOT_DECREASE_VMS_FROM_POOL: { type: "BAD_PARAMETERS", text: "Cannot decrease VMs from VM-Pool." },
  VM_POOL_CANNOT_CHANGE_POOL_NAME: { type: "BAD_PARAMETERS", text: "Cannot change VM-Pool name." },
  VM_POOL_CANNOT_CHANGE_POOL_TYPE: { type: "BAD_PARAMETERS", text: "Cannot change VM-Pool type." },
  VM_POOL_CANNOT_CHANGE_POOL_STATEFUL_OPTION: { type: "BAD_PARAMETERS", text: "Cannot change VM-Pool stateful option." },
  VM_POOL_CANNOT_CHANGE_AUTO_STORAGE_SELECT: { type: "BAD_PARAMETERS", text: "Cannot change VM-Pool automatic selection of target storage domains during disks allocation." },
  VM_POOL_CANNOT_CHANGE_TEMPLATE_WHEN_DELETE_PROTECTED: { type: "BAD_PARAMETERS", text: "Cannot change the VM Template when the VMs created are set to Delete Protected." },
  ACTION_TYPE_FAILED_TEMPLATE_IS_ON_DIFFERENT_CHAIN: { type: "BAD_PARAMETERS", text: "Cannot ${action} ${type}. The requested template doesn't belong to the same base template as the original template." },
  ACTION_TYPE_FAILED_VM_POOL_IS_BEING_CREATED: { type: "CONFLICT", text: "Cannot ${action} ${type}. VM Pool ${VmPoolName} is being created." },
  ACTION_TYPE_FAILED_VM_POOL_IS_BEING_UPDATED: { type: "CONFLICT", text: "Cannot ${action} ${type}. VM Pool ${VmPoolName} is being updated." },
  ACTION_TYPE_FAILED_VM_POOL_IS_BEING_REMOVED: { type: "CONFLICT", text: "Cannot ${action} ${type}. VM Pool ${VmPoolName} is being removed." },
  VM_POOL_CANNOT_REMOVE_RUNNING_VM_FROM_POOL: { type: "CONFLICT", text: "Cannot detach VM from VM-Pool. VM is running." },
  VM_POOL_CANNOT_DETACH_VM_NOT_ATTACHED_TO_POOL: { type: "CONFLICT", text: "Cannot detach VM from pool. VM is not attached to the VM-Pool." },
  ACTION_TYPE_FAILED_VM_ATTACHED_TO_POOL: { type: "CONFLICT", text: "Cannot ${action} ${type}. VM is attached to a VM Pool." },
  ACTION_TYPE_FAILED_VM_IS_RUNNING: { type: "CONFLICT", text: "Cannot ${action} ${type}. VM is running." },
  ACTION_TYPE_FAILED_VM_NOT_FOUND: { type: "BAD_PARAMETERS", text: "Cannot ${action} ${type}. VM is not found." },
  ACTION_TYPE_FAILED_NO_AVAILABLE_POOL_VMS: { type: "CONFLICT", text: "Cannot ${action} ${type}. There are no available VMs in the VM-Pool." },
  VM_POOL_CANNOT_ATTACH_TO_MORE_VMS_FROM_POOL: { type: "CONFLICT", text: "User is already attached to maximum number of VMs from this VM-Pool." },
  ACTION_TYPE_FAILED_TEMPLATE_IS_INCOMPATIBLE: { type: "BAD_PARAMETERS", text: "Can not ${action} ${type}. The selected template is not compatible with Cluster architecture." },
  PERMISSION_REMOVE_FAILED_ONLY_SYSTEM_SUPER_USER_CAN_REMOVE_ADMIN_ROLES: { type: "NO_PERMISSION", text: "Cannot remove permission, only system super user can remove permissions with admin Role" },
  VDS_CLUSTER_IS_NOT_VALID: { type: "BAD_PARAMETERS", text: "Cannot ${action} ${type}. Cluster ID is not valid." },
  ACTION_TYPE_FAILED_CLUSTER_UNDEFINED_ARCHITECTURE: { type: "BAD_PARAMETERS", text: "Cannot ${action} ${type}. The cluster does not have a defined architecture." },
  ACTION_TYPE_FAILED_NAME_LENGTH_IS_TOO_LONG: { type: "BAD_PARAMETERS", text: "Cannot ${action} ${type}. The given name is too long." },
  ACTION_TYPE_FAILED_DELETE_PROTECTION_ENABLED: { type: "CONFLICT", text: "Cannot ${action} ${type}. Delete protection is enabled. In order to delete, disable Delete protection first." },
  ACTION_TYPE_FAILED_OBJECT_LOCKED: { type: "CONFLICT", text: "Cannot ${action} ${type}. Related operation is currently in progress. Please try again later." },
  VM_CANNOT_SUSPEND_VM_FROM_POOL: { type: "CONFLICT", text: "Cannot suspend VM that belongs to a  VM-Pool." },
  ACTION_TYPE_FAILED_STORAGE_POOL_STATUS_ILLEGAL: { type: "CONFLICT", text: "Cannot ${action} ${type}. Unknown Data Center status." },
  ACTION_TYPE_FAILED_VM_IS_LOCKED: { type: "CONFLICT", text: "Cannot ${action} ${type}: VM is locked. Please try again in a few minutes." },
  VM_POOL_NOT_FOUND: { type: "BAD_PARAMETERS", text: "VM-Pool not found" },
  VM_POOL_CANNOT_UPDATE_POOL_NOT_FOUND: { type: "BAD_PARAMETERS", text: "Cannot edit VM-Pool properties - VM-Pool not found." },
  CLUSTER_CANNOT_SET_TRUSTED_ATTESTATION_SERVER_NOT_CONFIGURED: { type: "ATTESTATION_SERVER_ERROR", text: "Attestation server should be configured correctly." },
  CLUSTER_AT_LEAST_ONE_SERVICE_MUST_BE_ENABLED: { type: "BAD_PARAMETERS", text: "At least one service [virt / gluster] must be enabled on the cluster." },
  CLUSTER_ENABLING_BOTH_VIRT_AND_GLUSTER_SERVICES_NOT_ALLOWED: { type: "CONFLICT", text: "Cannot ${action} ${type}. Enabling both Virt and Gluster services is not allowed." },
  CLUSTER_CANNOT_DO_ACTION_NAME_IN_USE: { type: "CONFLICT", text: "Cannot ${action} Cluster. Cluster name is already in use." },
  CLUSTER_CANNOT_REMOVE_HAS_VM_POOLS: { type: "CONFLICT", text: "Cannot ${action} ${type}.One or more VM-Pools are still associated with it" },
  VDS_CANNOT_REMOVE_CLUSTER_VDS_DETECTED: { type: "CONFLICT", text: "Cannot ${action} ${type}. Cluster contains one or more Hosts" },
  VM_CANNOT_REMOVE_CLUSTER_VMS_DETECTED: { type: "CONFLICT", text: "Cannot ${action} ${type}. One or more VMs are still assigned to the Cluster" },
  VMT_CANNOT_REMOVE_CLUSTER_VMTS_DETECTED: { type: "CONFLICT", text: "Cannot ${action} ${type}. One or more Template(s) are still associated with the ${type}" },
  VALIDATION_CLUSTER_NAME_MAX: { type: "BAD_PARAMETERS", text: "Cluster name must not exceed 40 characters" },
  VALIDATION_CLUSTER_NAME_INVALID: { type: "BAD_PARAMETERS", text: "Cluster names may only contain letters, numbers, '-', or '_'." },
  CLUSTER_CANNOT_DISABLE_VIRT_WHEN_CLUSTER_CONTAINS_VMS: { type: "CONFLICT", text: "Cannot disable virt service on the cluster as it contains VMs." },
  CLUSTER_CANNOT_CHANGE_STORAGE_POOL: { type: "CONFLICT", text: "Cannot change Data Center association when editing a Cluster." },
  PERMISSION_ADD_FAILED_INVALID_ROLE_ID: { type: "BAD_PARAMETERS", text: "Cannot add permission, invalid Role id" },
  PERMISSION_ADD_FAILED_ONLY_SYSTEM_SUPER_USER_CAN_GIVE_ADMIN_ROLES: { type: "NO_PERMISSION", text: "Cannot add permission, only system super user can give permissions with admin Role" },
  PERMISSION_ADD_FAILED_VM_IN_POOL: { type: "CONFLICT", text: "Cannot add permission, VM is part of VM-Pool, permission should be given on VM-Pool instead" },
  USER_MUST_EXIST_IN_DB: { type: "NO_AUTHENTICATION", text: "User must exist in Database." },
  PERMISSION_ADD_FAILED_INVALID_OBJECT_ID: { type: "BAD_PARAMETERS", text: "Cannot add permission, invalid object ID or type" },
  SYSTEM_PERMISSIONS_CANT_BE_REMOVED_FROM_EVERYONE: { type: "CONFLICT", text: "It's not allowed to remove system permissions assigned to built-in Everyone group" },
  ERROR_CANNOT_REMOVE_LAST_SUPER_USER_ROLE: { type: "CONFLICT", text: "Cannot ${action} ${type}. The system must have at least one Super User Role defined." },
  USER_NOT_AUTHORIZED_TO_PERFORM_ACTION: { type: "NO_PERMISSION", text: "User is not authorized to perform this action." },
  ACTION_TYPE_FAILED_DEDICATED_VDS_DOES_NOT_EXIST: { type: "CONFLICT", text: "Cannot ${action} ${type}. VM is pinned to a specific host. The required host doesn't exist." },
  ACTION_TYPE_FAILED_DEDICATED_VDS_NOT_IN_SAME_CLUSTER: { type: "CONFLICT", text: "Cannot ${action} ${type}. VM is pinned to a specific host. The host's cluster must be the same as the selected VM cluster." },
  ACTION_TYPE_FAILED_MAX_NUM_CPU: { type: "CONFLICT", text: "Cannot ${action} ${type}. Maximum number of CPUs exceeded." },
  ACTION_TYPE_FAILED_MAX_NUM_SOCKETS: { type: "CONFLICT", text: "Cannot ${action} ${type}. Maximum number of sockets exceeded." },
  ACTION_TYPE_FAILED_MAX_CPU_PER_SOCKET: { type: "CONFLICT", text: "Cannot ${action} ${type}. Maximum number of CPUs per socket exceeded." },
  ACTION_TYPE_FAILED_MAX_THREADS_PER_CPU: { type: "CONFLICT", text: "Cannot ${action} ${type}. Maximum number of threads per cpu exceeded" },
  ACTION_TYPE_FAILED_MIN_CPU_PER_SOCKET: { type: "CONFLICT", text: "Minimum number of CPU per socket cannot be less than 1" },
  ACTION_TYPE_FAILED_MIN_NUM_SOCKETS: { type: "CONFLICT", text: "Minimum number of sockets cannot be less then 1" },
  ACTION_TYPE_FAILED_MIN_THREADS_PER_CPU: { type: "CONFLICT", text: "Minimum number of threads per CPU cannot be less than 1" },
  ACTION_TYPE_FAILED_MIN_MEMORY_CANNOT_EXCEED_MEMORY_SIZE: { type: "BAD_PARAMETERS", text: "Cannot ${action} ${type}. Physical Memory Guaranteed cannot exceed Memory Size." },
  ACTION_TYPE_FAILED_MAX_MEMORY_CANNOT_BE_SMALLER_THAN_MEMORY_SIZE: { type: "CONFLICT", text: "Cannot ${action} ${type}. Memory size (${memory}MB) cannot exceed maximum memory size (${maxMemory}MB)." },
  VALIDATION_VM_MIGRATION_DOWNTIME_RANGE: { type: "BAD_PARAMETERS", text: "Migration downtime must be between 0 and 2147483647 milliseconds." },
  ACTION_TYPE_CANNOT_CHANGE_INITIAL_RUN_DATA: { type: "CONFLICT", text: "Cannot ${action} ${type}. The Initial Run Data cannot be modified for Stateless Pool Virtual Machines." },
  ACTION_TYPE_FAILED_TEMPLATE_DOES_NOT_EXIST: { type: "BAD_PARAMETERS", text: "Cannot ${action} ${type}. The relevant Template doesn't exist." },
  ACTION_TYPE_FAILED_TEMPLATE_ID_CANT_BE_CHANGED: { type: "BAD_PARAMETERS", text: "Cannot ${action} ${type}. The Template can be changed for pool VMs only." },
  ACTION_TYPE_FAILED_INVALID_TIMEZONE: { type: "BAD_PARAMETERS", text: "Cannot ${action} ${type}. Invalid time zone for given OS type." },
  VM_HOSTCPU_MUST_BE_PINNED_TO_HOST: { type: "CONFLICT", text: "Cannot ${action} ${type}. VM with host cpu flags must be pinned to host." },
  VM_NUMA_NODE_PREFERRED_NOT_PINNED_TO_SINGLE_NODE: { type: "BAD_PARAMETERS", text: "Preferred NUMA tune mode is allowed for a single pinned Virtual NUMA Node." },
  CAN_DO_ACTION_GENERAL_FAILURE: { type: "INTERNAL_ERROR", text: "General command validation failure." },
} as const satisfies Record<string, { type: ErrorType; text: string }>;

/** Keys of {@link ENGINE_MESSAGES}. */
export type EngineMessageKey = keyof typeof ENGINE_MESSAGES;

/** `${action}` and `${type}` fillers, as `$action <word>` / `$type <word>` in the catalogue. */
export const ENGINE_VARIABLES = {
  VAR__ACTION__CREATE: "$action create",
  VAR__ACTION__UPDATE: "$action edit",
  VAR__ACTION__REMOVE: "$action remove",
  VAR__ACTION__ADD: "$action add",
  VAR__ACTION__DETACH: "$action detach",
  VAR__ACTION__STOP: "$action stop",
  VAR__ACTION__SHUTDOWN: "$action shutdown",
  VAR__ACTION__ALLOCATE_AND_RUN: "$action allocate and run",
  VAR__ACTION__RUN: "$action run",
  VAR__ACTION__HIBERNATE: "$action hibernate",
  VAR__TYPE__DESKTOP_POOL: "$type VM-Pool",
  VAR__TYPE__VM: "$type VM",
  VAR__TYPE__VM_FROM_VM_POOL: "$type VM from VM-Pool",
  VAR__TYPE__CLUSTER: "$type Cluster",
  VAR__TYPE__PERMISSION: "$type Permission",
  VAR__TYPE__VM_TEMPLATE: "$type Template",
  VAR__TYPE__HOST: "$type Host",
} as const;

/** Keys of {@link ENGINE_VARIABLES}. */
export type EngineVariableKey = keyof typeof ENGINE_VARIABLES;

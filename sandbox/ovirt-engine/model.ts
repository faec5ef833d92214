/**
 * The emulated engine's data: the entities the REST API exposes, held in
 * memory. Field names follow the engine's own concepts (not the provider's);
 * rendering to the wire format lives in `render.ts`.
 */
import type { VmSettings } from "./vm-settings";

/** VM statuses as the engine reports them (lower-cased `VmStatus`). */
export type VmStatus =
  | "unassigned"
  | "down"
  | "up"
  | "powering_up"
  | "paused"
  | "migrating"
  | "unknown"
  | "not_responding"
  | "wait_for_launch"
  | "reboot_in_progress"
  | "saving_state"
  | "restoring_state"
  | "suspended"
  | "image_locked"
  | "powering_down";

/** A data center (storage pool). */
export interface DataCenter {
  id: string;
  name: string;
  description: string;
  status: "up" | "maintenance" | "not_operational" | "uninitialized";
}

/** A cluster and its services. */
export interface Cluster {
  id: string;
  name: string;
  description: string;
  comment: string;
  dataCenterId: string;
  /** Empty when the cluster has no architecture yet. */
  cpuArchitecture: string;
  cpuType: string;
  version: { major: number; minor: number };
  virtService: boolean;
  glusterService: boolean;
  trustedService: boolean;
}

/** A hypervisor host. */
export interface Host {
  id: string;
  name: string;
  address: string;
  clusterId: string;
  status: "up" | "non_operational" | "maintenance" | "down" | "installing";
  /** Lower-cased `NonOperationalReason` when non-operational, e.g. `untrusted`. */
  statusDetail: string | undefined;
  /** What the attestation server says about this host. */
  attestation: "trusted" | "untrusted";
}

/** A template or a template version. */
export interface Template {
  id: string;
  name: string;
  description: string;
  /** The base template of this version chain (itself for a base template). */
  baseTemplateId: string;
  versionNumber: number;
  versionName: string;
  /** Undefined for Blank, which belongs to no cluster. */
  clusterId: string | undefined;
  cpuArchitecture: string;
  nicCount: number;
  sealed: boolean;
  deleteProtected: boolean;
  /** The VM settings new VMs start from (`VmMapper.map(VmTemplate, VmStatic)`). */
  settings: VmSettings;
  /** Storage domains holding a copy of the template's disk (first: where it was created). */
  diskStorageDomainIds: string[];
  /** Provisioned size of the template's one disk. */
  diskSizeBytes: number;
}

/** A data storage domain. */
export interface StorageDomain {
  id: string;
  name: string;
  dataCenterId: string;
  status: "active" | "maintenance" | "inactive";
  availableBytes: number;
  usedBytes: number;
}

/** A disk profile: a named QoS slot on one storage domain. */
export interface DiskProfile {
  id: string;
  name: string;
  storageDomainId: string;
}

/** A VM's disk: a COW snapshot of the template disk on one domain. */
export interface VmDisk {
  id: string;
  name: string;
  storageDomainId: string;
  diskProfileId: string | undefined;
  sizeBytes: number;
}

/** A VM pool. `size` is not stored: it is the count of VMs in the pool. */
export interface VmPool {
  id: string;
  name: string;
  description: string;
  comment: string;
  clusterId: string;
  /** The template the pool was created from (or last updated to). */
  templateId: string;
  useLatestTemplateVersion: boolean;
  type: "automatic" | "manual";
  stateful: boolean;
  autoStorageSelect: boolean;
  maxUserVms: number;
  prestartedVms: number;
  soundcardEnabled: boolean;
  tpmEnabled: boolean;
  displayProxy: string | undefined;
  /** Set by removal; not exposed over REST. */
  beingDestroyed: boolean;
  /** Set while an add or update command holds the pool's lock. */
  lock: "creating" | "updating" | "removing" | undefined;
}

/** A VM, standalone or in a pool. */
export interface Vm {
  id: string;
  name: string;
  clusterId: string;
  templateId: string;
  poolId: string | undefined;
  status: VmStatus;
  stateless: boolean;
  deleteProtected: boolean;
  /** The settings the VM runs with now (`VmStatic`). */
  settings: VmSettings;
  /** Settings waiting for the VM's next start (the NEXT_RUN snapshot). */
  nextRun: VmSettings | undefined;
  /** The template version the next run switches to, when a pool update changed it. */
  nextRunTemplateId: string | undefined;
  disks: VmDisk[];
  /** Users attached to this VM (pool allocation). */
  userIds: string[];
  creationTime: number;
}

/** A user known to the engine. */
export interface User {
  id: string;
  /** Login without the directory, e.g. `alice`. */
  principal: string;
  /** Authz (directory) name, e.g. `internal-authz`. */
  domain: string;
  /** Password for SSO and Basic auth (profile login `<principal>@<profile>`). */
  password: string;
  /** The profile users log in with, e.g. `internal`. */
  profile: string;
  firstName: string;
  lastName: string;
  email: string;
  /** Groups the user is a member of (Everyone is implied). */
  groupIds: string[];
}

/** A group known to the engine. */
export interface Group {
  id: string;
  name: string;
  domain: string;
}

/** A role; the built-in ones are read-only. */
export interface Role {
  id: string;
  name: string;
  administrative: boolean;
  mutable: boolean;
  description: string;
}

/** What a permission is granted on. `system` has the fixed system object id. */
export type PermissionObjectType = "system" | "data_center" | "cluster" | "vm_pool" | "vm" | "template" | "host";

/** A permission: a role for a user or group on one object. */
export interface Permission {
  id: string;
  roleId: string;
  userId: string | undefined;
  groupId: string | undefined;
  objectType: PermissionObjectType;
  objectId: string;
}

/** A job, as the engine records one per command. */
export interface Job {
  id: string;
  description: string;
  status: "started" | "finished" | "failed" | "aborted" | "unknown";
  correlationId: string;
  startTime: number;
  endTime: number | undefined;
  ownerId: string | undefined;
}

/** `engine-config` values the emulator honours. */
export interface EngineConfig {
  /** FQDN of the attestation server; empty by default. */
  AttestationServer: string;
  /** Whether a cluster may run both virt and gluster services. */
  AllowClusterWithVirtGlusterEnabled: boolean;
  /** Enforced only by the webadmin UI, never by REST; kept for inspection. */
  MaxVmsInPool: number;
  /** Failed VM additions in a row after which a pool create or grow stops. */
  VmPoolMaxSubsequentFailures: number;
  /** Longest VM name. */
  MaxVmNameLength: number;
  /** Sysprep computer names are cut to this length at run time; nothing refuses longer ones. */
  MaxVmNameLengthSysprep: number;
  /** Most vCPUs (sockets x cores x threads) per VM on x86, cluster level 4.8. */
  MaxNumOfVmCpus: number;
  /** Most sockets per VM, cluster level 4.8. */
  MaxNumOfVmSockets: number;
  /** Most cores per socket. */
  MaxNumOfCpuPerSocket: number;
  /** Most threads per core. */
  MaxNumOfThreadsPerCpu: number;
  /** Prestart monitor period. */
  VmPoolMonitorIntervalInMinutes: number;
  /** VMs the monitor starts per pool per cycle. */
  VmPoolMonitorBatchSize: number;
}

/** The defaults of `0000_config.sql`. */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  AttestationServer: "",
  AllowClusterWithVirtGlusterEnabled: true,
  MaxVmsInPool: 1000,
  VmPoolMaxSubsequentFailures: 3,
  MaxVmNameLength: 64,
  MaxVmNameLengthSysprep: 15,
  MaxNumOfVmCpus: 710,
  MaxNumOfVmSockets: 10000,
  MaxNumOfCpuPerSocket: 254,
  MaxNumOfThreadsPerCpu: 8,
  VmPoolMonitorIntervalInMinutes: 5,
  VmPoolMonitorBatchSize: 5,
};

/** Delays of the emulated asynchronous work, in clock milliseconds. */
export interface EngineTimings {
  /** A new VM's disks: `image_locked` -> `down`. */
  diskCreateMs: number;
  /** Start: `wait_for_launch` -> `powering_up` -> `up` (split in two halves). */
  vmBootMs: number;
  /** Stop or shutdown: `powering_down` -> `down`. */
  vmStopMs: number;
  /** Background removal of a down VM during pool removal. */
  vmRemoveMs: number;
}

/** Fast timings for tests. */
export const TEST_TIMINGS: EngineTimings = { diskCreateMs: 20, vmBootMs: 20, vmStopMs: 20, vmRemoveMs: 10 };
/** Timings close to a small real installation, for demos. */
export const DEMO_TIMINGS: EngineTimings = { diskCreateMs: 8_000, vmBootMs: 20_000, vmStopMs: 5_000, vmRemoveMs: 2_000 };

/** The id of the Blank template. */
export const BLANK_TEMPLATE_ID = "00000000-0000-0000-0000-000000000000";
/** The id of the built-in Everyone group. */
export const EVERYONE_GROUP_ID = "eee00000-0000-0000-0000-123456789eee";
/** The object id system-level permissions are attached to. */
export const SYSTEM_OBJECT_ID = "aaa00000-0000-0000-0000-123456789aaa";

/** Everything the emulated engine holds. */
export class EngineStore {
  readonly dataCenters = new Map<string, DataCenter>();
  readonly clusters = new Map<string, Cluster>();
  readonly hosts = new Map<string, Host>();
  readonly templates = new Map<string, Template>();
  readonly storageDomains = new Map<string, StorageDomain>();
  readonly diskProfiles = new Map<string, DiskProfile>();
  readonly pools = new Map<string, VmPool>();
  readonly vms = new Map<string, Vm>();
  readonly users = new Map<string, User>();
  readonly groups = new Map<string, Group>();
  readonly roles = new Map<string, Role>();
  readonly permissions = new Map<string, Permission>();
  readonly jobs = new Map<string, Job>();
  config: EngineConfig = { ...DEFAULT_ENGINE_CONFIG };

  /** VMs of a pool, in creation order. */
  poolVms(poolId: string): Vm[] {
    return [...this.vms.values()].filter((vm) => vm.poolId === poolId);
  }

  /** The data center a cluster belongs to. */
  clusterDataCenter(clusterId: string): DataCenter | undefined {
    const cluster = this.clusters.get(clusterId);
    return cluster === undefined ? undefined : this.dataCenters.get(cluster.dataCenterId);
  }

  /** Names of every VM in a data center (VM names must be unique there). */
  vmNamesInDataCenter(dataCenterId: string): Set<string> {
    const names = new Set<string>();
    for (const vm of this.vms.values()) {
      if (this.clusters.get(vm.clusterId)?.dataCenterId === dataCenterId) {
        names.add(vm.name);
      }
    }
    return names;
  }

  /** The newest version of a template's chain. */
  latestVersion(templateId: string): Template | undefined {
    const template = this.templates.get(templateId);
    if (template === undefined) {
      return undefined;
    }
    return [...this.templates.values()]
      .filter((t) => t.baseTemplateId === template.baseTemplateId)
      .sort((a, b) => b.versionNumber - a.versionNumber)[0];
  }
}

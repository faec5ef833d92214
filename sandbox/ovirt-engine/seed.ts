/**
 * What a fresh sandbox holds: the built-in roles, the Blank template and the
 * Everyone group as every engine has them, plus a pool-ready data center,
 * cluster, host, template (two versions) and users, and whatever a test adds
 * from JSON.
 */
import type { Engine } from "./engine";
import { BLANK_TEMPLATE_ID, EVERYONE_GROUP_ID, SYSTEM_OBJECT_ID, type Role } from "./model";
import type { VmSettings } from "./vm-settings";
import { attestHosts } from "./commands/clusters";
import { SUPER_USER_ROLE_ID } from "./commands/permissions";

/** The built-in roles (`00500_insert_roles.sql`): name, id, administrative. */
export const BUILT_IN_ROLES: readonly (readonly [string, string, boolean])[] = [
  ["SuperUser", SUPER_USER_ROLE_ID, true],
  ["UserRole", "00000000-0000-0000-0001-000000000001", false],
  ["PowerUserRole", "00000000-0000-0000-0001-000000000002", false],
  ["ClusterAdmin", "def00001-0000-0000-0000-def000000001", true],
  ["DataCenterAdmin", "def00002-0000-0000-0000-def000000002", true],
  ["StorageAdmin", "def00003-0000-0000-0000-def000000003", true],
  ["HostAdmin", "def00004-0000-0000-0000-def000000004", true],
  ["NetworkAdmin", "def00005-0000-0000-0000-def000000005", true],
  ["UserVmManager", "def00006-0000-0000-0000-def000000006", false],
  ["VmPoolAdmin", "def00007-0000-0000-0000-def000000007", true],
  ["TemplateAdmin", "def00008-0000-0000-0000-def000000008", true],
  ["UserTemplateBasedVm", "def00009-0000-0000-0000-def000000009", false],
  ["QuotaConsumer", "def0000a-0000-0000-0000-def00000000a", false],
  ["DiskOperator", "def0000a-0000-0000-0000-def00000000b", false],
  ["DiskCreator", "def0000a-0000-0000-0000-def00000000c", false],
  ["VmCreator", "def0000a-0000-0000-0000-def00000000d", false],
  ["TemplateCreator", "def0000a-0000-0000-0000-def00000000e", false],
  ["TemplateOwner", "def0000a-0000-0000-0000-def00000000f", false],
  ["GlusterAdmin", "def0000b-0000-0000-0000-def00000000b", true],
  ["ReadOnlyAdmin", "def0000c-0000-0000-0000-def00000000c", true],
  ["UserVmRunTimeManager", "def00006-0000-0000-0000-def000000011", false],
  ["UserInstanceManager", "def00012-0000-0000-0000-def000000012", false],
  ["MacPoolAdmin", "def00013-0000-0000-0000-def000000013", true],
  ["MacPoolUser", "def00014-0000-0000-0000-def000000014", false],
];

/** Seed data a test or a demo can give as JSON. Every field is optional. */
export interface SeedData {
  dataCenters?: { id?: string; name: string; status?: "up" | "maintenance" | "not_operational" | "uninitialized" }[];
  clusters?: { id?: string; name: string; dataCenter: string; cpuArchitecture?: string; trustedService?: boolean }[];
  hosts?: { id?: string; name: string; cluster: string; attestation?: "trusted" | "untrusted" }[];
  templates?: {
    id?: string;
    name: string;
    cluster: string;
    version?: number;
    versionName?: string;
    baseTemplate?: string;
    deleteProtected?: boolean;
    nicCount?: number;
    /** Unique OS name; default `rhel_9x64`. Windows names (`windows_*`) get Windows defaults. */
    os?: string;
    /** Settings other than the OS defaults. */
    settings?: Partial<VmSettings>;
    /** Names of the storage domains holding the template disk; default: the data center's first. */
    storageDomains?: string[];
  }[];
  /** Data storage domains; each gets a disk profile of the same name, as the engine creates one. */
  storageDomains?: { id?: string; name: string; dataCenter: string; availableGiB?: number; diskProfileId?: string; status?: "active" | "maintenance" | "inactive" }[];
  users?: { id?: string; principal: string; password: string; domain?: string; profile?: string; superUser?: boolean; groups?: string[] }[];
  groups?: { id?: string; name: string; domain?: string }[];
}

/** Well-known ids and credentials of the default seed, for tests and the README. */
export const DEFAULT_SEED_IDS = {
  dataCenter: "a1b2c3d4-0000-4000-8000-00000000dc01",
  cluster: "a1b2c3d4-0000-4000-8000-0000000c1001",
  host: "a1b2c3d4-0000-4000-8000-00000000a501",
  host2: "a1b2c3d4-0000-4000-8000-00000000a502",
  windowsTemplate: "a1b2c3d4-0000-4000-8000-0000000e0101",
  storageDomain: "a1b2c3d4-0000-4000-8000-0000000d5001",
  storageDomain2: "a1b2c3d4-0000-4000-8000-0000000d5002",
  diskProfile: "a1b2c3d4-0000-4000-8000-0000000d9001",
  diskProfile2: "a1b2c3d4-0000-4000-8000-0000000d9002",
  template: "a1b2c3d4-0000-4000-8000-0000000e0001",
  templateV2: "a1b2c3d4-0000-4000-8000-0000000e0002",
  admin: "a1b2c3d4-0000-4000-8000-0000000ad001",
  alice: "a1b2c3d4-0000-4000-8000-00000000a11c",
  bob: "a1b2c3d4-0000-4000-8000-0000000000b0",
  vdiUsers: "a1b2c3d4-0000-4000-8000-0000000091d1",
} as const;

/** The default seed: a pool-ready cluster and template, admin, alice and bob. */
export function defaultSeed(adminPassword: string): SeedData {
  const ids = DEFAULT_SEED_IDS;
  return {
    dataCenters: [{ id: ids.dataCenter, name: "Default" }],
    clusters: [{ id: ids.cluster, name: "Default", dataCenter: "Default" }],
    hosts: [
      { id: ids.host, name: "host1", cluster: "Default" },
      { id: ids.host2, name: "host2", cluster: "Default" },
    ],
    storageDomains: [
      { id: ids.storageDomain, name: "data1", dataCenter: "Default", availableGiB: 500, diskProfileId: ids.diskProfile },
      { id: ids.storageDomain2, name: "data2", dataCenter: "Default", availableGiB: 800, diskProfileId: ids.diskProfile2 },
    ],
    templates: [
      { id: ids.template, name: "rhel9-desktop", cluster: "Default", version: 1, versionName: "base" },
      { id: ids.templateV2, name: "rhel9-desktop", cluster: "Default", version: 2, versionName: "patched", baseTemplate: ids.template },
      { id: ids.windowsTemplate, name: "win2019-desktop", cluster: "Default", os: "windows_2019x64", storageDomains: ["data1", "data2"] },
    ],
    groups: [{ id: ids.vdiUsers, name: "vdi-users", domain: "internal-authz" }],
    users: [
      { id: ids.admin, principal: "admin", password: adminPassword, superUser: true },
      { id: ids.alice, principal: "alice", password: "alice-password", groups: ["vdi-users"] },
      { id: ids.bob, principal: "bob", password: "bob-password" },
    ],
  };
}

/** Installs what every engine has: roles, the Blank template, Everyone. */
export function seedBuiltIns(engine: Engine): void {
  const { store } = engine;
  for (const [name, id, administrative] of BUILT_IN_ROLES) {
    const role: Role = { id, name, administrative, mutable: false, description: `${name} role` };
    store.roles.set(id, role);
  }
  store.groups.set(EVERYONE_GROUP_ID, { id: EVERYONE_GROUP_ID, name: "Everyone", domain: "" });
  store.templates.set(BLANK_TEMPLATE_ID, {
    id: BLANK_TEMPLATE_ID,
    name: "Blank",
    description: "Blank template",
    baseTemplateId: BLANK_TEMPLATE_ID,
    versionNumber: 1,
    versionName: "base version",
    clusterId: undefined,
    cpuArchitecture: "undefined",
    nicCount: 0,
    sealed: false,
    deleteProtected: false,
    settings: osDefaults("other", 1024),
    diskStorageDomainIds: [],
    diskSizeBytes: 0,
  });
}

const GIB = 1_073_741_824;

/**
 * Template settings as a new desktop template has them: Windows ones with a
 * Windows time zone, both with a sound card, guest-agent SSO, SPICE, USB off.
 */
export function osDefaults(osType: string, memoryMb: number): VmSettings {
  const windows = osType.startsWith("windows");
  return {
    osType,
    memoryMb,
    maxMemoryMb: memoryMb * 4,
    guaranteedMemoryMb: memoryMb,
    ballooning: true,
    sockets: 1,
    cores: 1,
    threads: 1,
    hostPassthrough: false,
    affinity: "migratable",
    hostIds: [],
    migrationDowntimeMs: undefined,
    autoConverge: "inherit",
    compressed: "inherit",
    migrationPolicyId: undefined,
    highAvailability: false,
    haPriority: 0,
    ssoGuestAgent: true,
    smartcard: false,
    displayType: "spice",
    monitors: 1,
    usbEnabled: false,
    // AddVmTemplate fills the default time zone (VmHandler.updateDefaultTimeZone).
    timeZone: windows ? "GMT Standard Time" : "Etc/GMT",
    soundcard: true,
    init: undefined,
  };
}

function byName<T extends { id: string; name: string }>(items: Iterable<T>, name: string, what: string): T {
  for (const item of items) {
    if (item.name === name) {
      return item;
    }
  }
  throw new Error(`seed: no ${what} named '${name}'`);
}

/** Adds seed data to the engine. Throws on a reference to something missing. */
export function applySeed(engine: Engine, seed: SeedData): void {
  const { store } = engine;
  for (const dc of seed.dataCenters ?? []) {
    const id = dc.id ?? engine.newId();
    store.dataCenters.set(id, { id, name: dc.name, description: "", status: dc.status ?? "up" });
  }
  for (const c of seed.clusters ?? []) {
    const id = c.id ?? engine.newId();
    store.clusters.set(id, {
      id,
      name: c.name,
      description: "",
      comment: "",
      dataCenterId: byName(store.dataCenters.values(), c.dataCenter, "data center").id,
      cpuArchitecture: c.cpuArchitecture ?? "x86_64",
      cpuType: "Intel Cascadelake Server Family",
      version: { major: 4, minor: 8 },
      virtService: true,
      glusterService: false,
      trustedService: c.trustedService ?? false,
    });
  }
  for (const h of seed.hosts ?? []) {
    const id = h.id ?? engine.newId();
    store.hosts.set(id, {
      id,
      name: h.name,
      address: `${h.name}.sandbox.test`,
      clusterId: byName(store.clusters.values(), h.cluster, "cluster").id,
      status: "up",
      statusDetail: undefined,
      attestation: h.attestation ?? "trusted",
    });
  }
  for (const sd of seed.storageDomains ?? []) {
    const id = sd.id ?? engine.newId();
    const dataCenterId = byName(store.dataCenters.values(), sd.dataCenter, "data center").id;
    store.storageDomains.set(id, { id, name: sd.name, dataCenterId, status: sd.status ?? "active", availableBytes: (sd.availableGiB ?? 100) * GIB, usedBytes: 0 });
    const profileId = sd.diskProfileId ?? engine.newId();
    store.diskProfiles.set(profileId, { id: profileId, name: sd.name, storageDomainId: id });
  }
  for (const t of seed.templates ?? []) {
    const id = t.id ?? engine.newId();
    const cluster = byName(store.clusters.values(), t.cluster, "cluster");
    const domains = [...store.storageDomains.values()].filter((d) => d.dataCenterId === cluster.dataCenterId);
    const diskStorageDomainIds = t.storageDomains === undefined ? domains.slice(0, 1).map((d) => d.id) : t.storageDomains.map((name) => byName(domains, name, "storage domain").id);
    store.templates.set(id, {
      id,
      name: t.name,
      description: "",
      baseTemplateId: t.baseTemplate ?? id,
      versionNumber: t.version ?? 1,
      versionName: t.versionName ?? "base version",
      clusterId: cluster.id,
      cpuArchitecture: cluster.cpuArchitecture,
      nicCount: t.nicCount ?? 1,
      sealed: false,
      deleteProtected: t.deleteProtected ?? false,
      settings: { ...osDefaults(t.os ?? "rhel_9x64", 4096), ...(t.settings ?? {}) },
      diskStorageDomainIds,
      diskSizeBytes: 20 * GIB,
    });
  }
  for (const g of seed.groups ?? []) {
    const id = g.id ?? engine.newId();
    store.groups.set(id, { id, name: g.name, domain: g.domain ?? "internal-authz" });
  }
  for (const u of seed.users ?? []) {
    const id = u.id ?? engine.newId();
    store.users.set(id, {
      id,
      principal: u.principal,
      password: u.password,
      domain: u.domain ?? "internal-authz",
      profile: u.profile ?? "internal",
      firstName: u.principal,
      lastName: "",
      email: `${u.principal}@sandbox.test`,
      groupIds: (u.groups ?? []).map((name) => byName(store.groups.values(), name, "group").id),
    });
    if (u.superUser === true) {
      const pid = engine.newId();
      store.permissions.set(pid, { id: pid, roleId: SUPER_USER_ROLE_ID, userId: id, groupId: undefined, objectType: "system", objectId: SYSTEM_OBJECT_ID });
    }
  }
  for (const cluster of store.clusters.values()) {
    attestHosts(engine, cluster);
  }
}

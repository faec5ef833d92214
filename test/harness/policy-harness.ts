/**
 * Runs the pack's policies without the engine, as the policy server would:
 * props wrapped in `unknownCheckingProxy` (so reading a value unknown during
 * preview throws as it does for real), config as the engine passes it after
 * filling in defaults, every violation collected. Ported from awsguard's
 * `tests/util.ts`, with exact messages instead of substrings.
 */
import type { PolicyResource, PolicyResourceOptions, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

import { UNKNOWN } from "../../provider/check";
import { POOL_PERMISSION_TYPE } from "../../provider/pool-permission";
import { TRUSTED_CLUSTER_TYPE } from "../../provider/trusted-cluster";
import { VM_POOL_TYPE } from "../../provider/vm-pool";
import type { PackResourcePolicy, PackStackPolicy } from "../../policies/lib/define-policy";
import { unknownCheckingProxy } from "../../policies/lib/policy-sdk";

/** What the preview sends for a value not known yet (a string sentinel, as from a dynamic provider's `check()`). */
export const UNKNOWN_VALUE = UNKNOWN;

/** One resource given to a policy. */
export interface PolicyFixture {
  /** Type token. @default VM_POOL_TYPE */
  readonly type?: string;
  /** Pulumi resource name. @default "pool" */
  readonly name?: string;
  /** Inputs (resource policies) or outputs (stack policies). */
  readonly props: Record<string, unknown>;
  /** The `protect` option. @default false */
  readonly protect?: boolean;
  /** Names of resources this one depends on through its `pool` input (stack policies). */
  readonly poolDependency?: string;
}

/** What a run found: every violation message, or why the policy did not apply. */
export interface PolicyOutcome {
  /** Violation messages, in order. */
  readonly violations: string[];
  /** Set when the policy called `notApplicable`. */
  readonly notApplicable?: string;
}

/** A stack violation with the resource it names. */
export interface StackViolation {
  /** The message. */
  readonly message: string;
  /** The resource's Pulumi name, when the violation names one. */
  readonly resource?: string;
}

const EMPTY_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The URN the engine would give a resource of this stack. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::policies::${type}::${name}`;
}

/** Runs a resource policy on one resource with `config` (the engine's, before our defaults). */
export async function runResourcePolicy(policy: PackResourcePolicy, fixture: PolicyFixture, config: Record<string, unknown> = {}): Promise<PolicyOutcome> {
  const type = fixture.type ?? VM_POOL_TYPE;
  const name = fixture.name ?? "pool";
  const violations: string[] = [];
  const args: ResourceValidationArgs = {
    type,
    name,
    urn: urnOf(type, name),
    props: unknownCheckingProxy(fixture.props),
    opts: { ...EMPTY_OPTIONS, protect: fixture.protect ?? false },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: () => config as never,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason ?? "");
    },
  };
  const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  try {
    for (const validate of validations) {
      await validate(args, (message) => violations.push(message));
    }
  } catch (err) {
    if (err instanceof NotApplicable) {
      return { violations, notApplicable: err.reason };
    }
    throw err;
  }
  return { violations };
}

/** Runs a stack policy on `fixtures` with `config`; violations name their resource. */
export async function runStackPolicy(policy: PackStackPolicy, fixtures: readonly PolicyFixture[], config: Record<string, unknown> = {}): Promise<StackViolation[]> {
  const resources: PolicyResource[] = fixtures.map((f) => ({
    type: f.type ?? VM_POOL_TYPE,
    name: f.name ?? "pool",
    urn: urnOf(f.type ?? VM_POOL_TYPE, f.name ?? "pool"),
    props: unknownCheckingProxy(f.props),
    opts: { ...EMPTY_OPTIONS, protect: f.protect ?? false },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }));
  const byName = new Map(resources.map((r) => [r.name, r]));
  fixtures.forEach((f, i) => {
    const pool = f.poolDependency === undefined ? undefined : byName.get(f.poolDependency);
    const resource = resources[i];
    if (pool !== undefined && resource !== undefined) {
      resource.dependencies = [pool];
      resource.propertyDependencies = { pool: [pool], backend: [pool] };
    }
  });
  const violations: StackViolation[] = [];
  const args: StackValidationArgs = {
    resources,
    stackTags: new Map(),
    getConfig: () => config as never,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason ?? "");
    },
  };
  await policy.validateStack(args, (message, urn) => {
    const resource = urn === undefined ? undefined : resources.find((r) => r.urn === urn)?.name;
    violations.push(resource === undefined ? { message } : { message, resource });
  });
  return violations;
}

/** An oVirt pool as `check()` returns it (defaults applied), with `overrides` on top. */
export function ovirtPoolProps(overrides: Record<string, unknown> = {}, backend: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "room12-??",
    description: "",
    comment: "",
    size: 20,
    prestarted: 4,
    maxVmsPerUser: 1,
    type: "automatic",
    stateful: false,
    deleteProtection: false,
    backend: { kind: "ovirt", cluster: "Default", template: "rhel9-desktop", autoStorageSelect: false, keepVmsOnDelete: false, forceShrink: false, ...backend },
    ...overrides,
  };
}

/** A KubeVirt pool as `check()` returns it, with `overrides` on top and `template` as its `virtualMachineTemplate`. */
export function kubevirtPoolProps(overrides: Record<string, unknown> = {}, template: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "lab",
    description: "",
    comment: "",
    size: 3,
    prestarted: 0,
    maxVmsPerUser: 1,
    type: "automatic",
    stateful: false,
    deleteProtection: false,
    backend: {
      kind: "kubevirt",
      namespace: "default",
      virtualMachineTemplate: { spec: { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } }, ...template },
    },
    ...overrides,
  };
}

/** A VM-Operator pool as `check()` returns it, with `overrides` on top and `backend` overrides. */
export function vmoperatorPoolProps(overrides: Record<string, unknown> = {}, backend: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "desks",
    description: "",
    comment: "",
    size: 2,
    prestarted: 1,
    maxVmsPerUser: 1,
    type: "automatic",
    stateful: false,
    deleteProtection: false,
    backend: { kind: "vmoperator", namespace: "vdi", retention: "PT4h", loginOnAssignment: false, vms: ["desk-a", "desk-b"], ...backend },
    ...overrides,
  };
}

/** A trusted oVirt cluster as `check()` returns it, with `backend` overrides. */
export function ovirtTrustedClusterProps(backend: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "exam-hosts", description: "", backend: { kind: "ovirt", dataCenter: "Default", virtService: true, glusterService: false, comment: "", ...backend } };
}

/** A pool permission as `check()` returns it in preview: the pool still unknown. */
export function permissionProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { role: "UserRole", group: "vdi-users", pool: UNKNOWN, backend: { kind: "ovirt" }, ...overrides };
}

/** The type tokens, for fixtures. */
export const TYPES = { pool: VM_POOL_TYPE, cluster: TRUSTED_CLUSTER_TYPE, permission: POOL_PERMISSION_TYPE } as const;

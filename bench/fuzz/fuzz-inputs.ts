/**
 * Inputs for fuzzing `check()`: valid inputs of each resource on both
 * backends, as the resource classes send them, and generators that mutate
 * them into anything Pulumi can deliver (strings, numbers including NaN,
 * infinities and -0, booleans, null, arrays, objects, and the preview's
 * "unknown" sentinel) or replace them with random objects.
 */
import fc from "fast-check";

import { UNKNOWN } from "../../provider/check";

/** Inputs as the provider receives them. */
export type Props = Record<string, unknown>;

const KUBEVIRT_VM = { metadata: { labels: { app: "lab" } }, spec: { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } } };

/** Valid inputs per resource: oVirt first, then KubeVirt. */
export const FUZZ_SEEDS = {
  VmPool: [
    { name: "lab-??", size: 3, description: "desks", prestarted: 1, maxVmsPerUser: 1, backend: { kind: "ovirt", cluster: "Default", template: "rhel9-desktop", templateVersion: 2 } },
    { name: "lab", size: 2, backend: { kind: "kubevirt", namespace: "default", virtualMachineTemplate: KUBEVIRT_VM } },
    {
      name: "win-??",
      size: 2,
      backend: {
        kind: "ovirt",
        cluster: "Default",
        template: "win2019-desktop",
        vmUpdatePolicy: "updateFreeVms",
        vm: {
          host: { startOn: ["host1"], migrationMode: "none", passThroughHostCpu: true, autoConverge: "on" },
          resources: { memoryMiB: 4096, guaranteedMemoryMiB: 2048, storageDomain: "data1", diskProfile: "data1" },
          initialRun: { sysprep: { customFile: "<unattend/>", domain: "ad.example.com" } },
          usb: true,
          console: "spice",
        },
      },
    },
  ],
  TrustedCluster: [
    { name: "exam-hosts", description: "attested", backend: { kind: "ovirt", dataCenter: "Default", cpuType: "Intel Nehalem Family", compatibilityVersion: "4.7" } },
    { name: "secure", backend: { kind: "kubevirt", nodeSelector: { zone: "a" }, attestationLabel: { key: "vmpools.io/attested", value: "true" } } },
  ],
  PoolPermission: [
    { role: "UserRole", user: "alice@internal-authz", pool: { name: "lab-??", uid: "a1b2c3d4-0000-4000-8000-0000000000aa" }, backend: { kind: "ovirt" } },
    { role: "VmPoolAdmin", group: "vdi-users", pool: { name: "lab", uid: "6a0f6f5e-1111-4000-8000-000000000001", size: 2 }, backend: { kind: "kubevirt", namespace: "default" } },
  ],
} as const satisfies Record<string, readonly Props[]>;

/** Strings that mean something to the providers or break naive code. */
const SPECIAL_STRINGS = [UNKNOWN, "", " ", "-", "0", "a".repeat(300), "Default", "rhel9-desktop", "latest", "ovirt", "kubevirt", "UserRole", "Everyone", "system:authenticated", "alice@internal-authz", "lab-??", "../x", "☃", "\u0000", "__proto__", "constructor"];

/** Any scalar Pulumi can send. */
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...SPECIAL_STRINGS),
  fc.integer({ min: -3, max: 2_000 }),
  fc.constantFrom(0, -0, -1, 1.5, 2_147_483_648, 1e308, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/** Any value: scalars, arrays and objects, a few levels deep. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ maxDepth: 3, depthSize: "small" }, scalar, fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), tie("value"), { maxKeys: 3 })),
})).value;

/** One edit of an input object: at a path chosen by the numbers, set a value, drop the key, or add a key. */
interface Edit {
  readonly steps: readonly number[];
  readonly action: "set" | "drop" | "add";
  readonly key: string;
  readonly value: unknown;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  steps: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  action: fc.constantFrom("set", "set", "drop", "add"),
  key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("name", "size", "backend", "kind", "pool", "uid", "role", "user", "group", "sise", "clustr")),
  value: anyValue,
});

function deepCopy(value: Props): Props {
  return JSON.parse(JSON.stringify(value)) as Props;
}

/** Applies an edit: walks down by `steps` (each picks a key of the object there), then changes that spot. */
export function applyEdit(target: Props, change: Edit): void {
  let here: Record<string, unknown> = target;
  for (const [i, step] of change.steps.entries()) {
    const keys = Object.keys(here);
    const key = keys[step % Math.max(1, keys.length)];
    const last = i === change.steps.length - 1;
    const next = key === undefined ? undefined : here[key];
    if (last || key === undefined || typeof next !== "object" || next === null || Array.isArray(next)) {
      // Own data properties, as JSON.parse and the gRPC host make them, even for '__proto__'.
      const put = (name: string): void => {
        Object.defineProperty(here, name, { value: change.value, enumerable: true, writable: true, configurable: true });
      };
      if (change.action === "add" || key === undefined) {
        put(change.key);
      } else if (change.action === "drop") {
        Reflect.deleteProperty(here, key);
      } else {
        put(key);
      }
      return;
    }
    here = next as Record<string, unknown>;
  }
}

/** Inputs for one resource: mostly mutated valid inputs, sometimes random objects, sometimes valid ones. */
export function fuzzValue(resource: keyof typeof FUZZ_SEEDS): fc.Arbitrary<Props> {
  const seeds = FUZZ_SEEDS[resource] as readonly Props[];
  const mutated = fc.record({ seed: fc.constantFrom(...seeds), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) }).map(({ seed, edits }) => {
    const copy = deepCopy(seed);
    for (const change of edits) {
      applyEdit(copy, change);
    }
    return copy;
  });
  const random = fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 5 });
  return fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 1, arbitrary: random }, { weight: 1, arbitrary: fc.constantFrom(...seeds.map(deepCopy)) });
}

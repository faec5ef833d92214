import { describe, expect, it } from "vitest";

import { UNKNOWN } from "../../../provider/check";
import { isDeepEqual } from "../../../provider/diff/input-diff";
import { diffVmPool } from "../../../provider/diff/vm-pool-diff";

const spec = { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } };
/** Stored state: inputs plus outputs only the backend sets. */
const state = {
  __provider: "shim text",
  name: "lab",
  size: 2,
  backend: { kind: "kubevirt", namespace: "default", virtualMachineTemplate: { spec } },
  uid: "u-1",
  apiVersion: "pool.kubevirt.io/v1beta1",
  vmCount: 0,
  readyVmCount: 0,
};
const inputs = { __provider: "other shim text", name: "lab", size: 2, backend: { kind: "kubevirt", namespace: "default", virtualMachineTemplate: { spec } } };
const ovirtState = { name: "lab", size: 2, backend: { kind: "ovirt", cluster: "Default", template: "rhel9", templateVersion: 1 } };
const withBackend = (backend: Record<string, unknown>): Record<string, unknown> => ({ ...inputs, backend: { ...inputs.backend, ...backend } });
/** Seed 004's autoscaler. */
const autoscaling = { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 };

describe("diffVmPool", () => {
  it.each([
    // No change: outputs and the serialized shim are not inputs to compare.
    { label: "identical inputs", news: inputs, diff: { changes: false, replaces: [], deleteBeforeReplace: false } },
    // In place.
    { label: "a new size", news: { ...inputs, size: 5 }, diff: { changes: true, replaces: [], deleteBeforeReplace: false } },
    {
      label: "a new VM spec",
      news: withBackend({ virtualMachineTemplate: { spec: { ...spec, runStrategy: "Always" } } }),
      diff: { changes: true, replaces: [], deleteBeforeReplace: false },
    },
    {
      label: "new VM annotations",
      news: withBackend({ virtualMachineTemplate: { metadata: { annotations: { a: "b" } }, spec } }),
      diff: { changes: true, replaces: [], deleteBeforeReplace: false },
    },
    {
      label: "another oVirt template version (same base template)",
      olds: ovirtState,
      news: { ...ovirtState, backend: { ...ovirtState.backend, templateVersion: 2 } },
      diff: { changes: true, replaces: [], deleteBeforeReplace: false },
    },
    {
      label: "another oVirt template",
      olds: ovirtState,
      news: { ...ovirtState, backend: { ...ovirtState.backend, template: "win11" } },
      diff: { changes: true, replaces: ["backend"], deleteBeforeReplace: true },
    },
    // Replacements whose new pool has another name: create before delete.
    { label: "a new name", news: { ...inputs, name: "lab2" }, diff: { changes: true, replaces: ["name"], deleteBeforeReplace: false } },
    { label: "a new namespace", news: withBackend({ namespace: "vdi" }), diff: { changes: true, replaces: ["backend"], deleteBeforeReplace: false } },
    // Replacement under the same name: the old pool must go first.
    {
      label: "new VM labels (the selector is immutable)",
      news: withBackend({ virtualMachineTemplate: { metadata: { labels: { app: "x" } }, spec } }),
      diff: { changes: true, replaces: ["backend"], deleteBeforeReplace: true },
    },
    // A null in the VM spec, which the API server dropped from what state holds: no change.
    {
      label: "a null the API server drops",
      news: withBackend({ virtualMachineTemplate: { spec: { ...spec, template: { spec: { domain: { devices: {}, resources: { limits: null } } } } } } }),
      olds: { ...state, backend: { ...state.backend, virtualMachineTemplate: { spec: { ...spec, template: { spec: { domain: { devices: {}, resources: {} } } } } } } },
      diff: { changes: false, replaces: [], deleteBeforeReplace: false },
    },
    // Autoscaled: the autoscaler owns replicas, so size (and the prestarted derived from it) are not compared.
    {
      label: "a new size of an autoscaled pool",
      olds: { ...state, prestarted: 2, backend: { ...state.backend, autoscaling } },
      news: { ...withBackend({ autoscaling }), size: 4, prestarted: 4 },
      diff: { changes: false, replaces: [], deleteBeforeReplace: false },
    },
    { label: "new autoscaler bounds", olds: { ...state, backend: { ...state.backend, autoscaling } }, news: withBackend({ autoscaling: { ...autoscaling, maxReplicas: 9 } }), diff: { changes: true, replaces: [], deleteBeforeReplace: false } },
    // Starting or stopping autoscaling hands replicas over: size is compared.
    { label: "autoscaling turned on", news: withBackend({ autoscaling }), diff: { changes: true, replaces: [], deleteBeforeReplace: false } },
    { label: "autoscaling turned off with a new size", olds: { ...state, backend: { ...state.backend, autoscaling } }, news: { ...inputs, size: 3 }, diff: { changes: true, replaces: [], deleteBeforeReplace: false } },
    // Pool knobs change in place.
    { label: "a new update strategy", news: withBackend({ updateStrategy: "proactive" }), diff: { changes: true, replaces: [], deleteBeforeReplace: false } },
    { label: "forceShrink turned on", news: withBackend({ forceShrink: true }), diff: { changes: true, replaces: [], deleteBeforeReplace: false } },
    // Unknown during preview.
    { label: "an unknown size", news: { ...inputs, size: UNKNOWN }, diff: { changes: true, replaces: [], deleteBeforeReplace: false } },
    { label: "an unknown name", news: { ...inputs, name: UNKNOWN }, diff: { changes: true, replaces: ["name"], deleteBeforeReplace: false } },
    { label: "an unknown backend", news: { ...inputs, backend: UNKNOWN }, diff: { changes: true, replaces: ["backend"], deleteBeforeReplace: false } },
  ])("plans $label as $diff", ({ olds, news, diff }) => {
    expect(diffVmPool(olds ?? state, news)).toEqual(diff);
  });
});

describe("isDeepEqual", () => {
  it.each([
    { a: { x: 1, y: [1, { z: 2 }] }, b: { y: [1, { z: 2 }], x: 1 }, equal: true },
    { a: { x: 1, y: undefined }, b: { x: 1 }, equal: true },
    { a: [1, 2], b: [2, 1], equal: false },
    { a: { x: null }, b: { x: {} }, equal: false },
    // A null member is unset, as Kubernetes reads it (the API server drops it from typed fields).
    { a: { limits: null, requests: { memory: "2Gi" } }, b: { requests: { memory: "2Gi" } }, equal: true },
    { a: { limits: null }, b: { limits: { cpu: "1" } }, equal: false },
    { a: [null], b: [], equal: false },
    { a: 1, b: "1", equal: false },
  ])("compares $a and $b as $equal", ({ a, b, equal }) => {
    expect(isDeepEqual(a, b)).toBe(equal);
  });
});

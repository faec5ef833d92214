import { describe, expect, it } from "vitest";

import { inferFeaturesFromVersion, toFeaturesFromUnknownFields } from "../../../../provider/backends/kubevirt/pool-features";
import { toKubevirtPoolPolicy, toPolicyInputsFromLive } from "../../../../provider/backends/kubevirt/pool-policy-mapping";
import { vmPoolInputsSchema, type KubevirtPoolInputs } from "../../../../provider/schemas/vm-pool";

const halted = { runStrategy: "Halted", template: { spec: { domain: { devices: {} } } } };
const always = { ...halted, runStrategy: "Always" };

function pool(spec: Record<string, unknown>, backend: Record<string, unknown> = {}): KubevirtPoolInputs {
  return vmPoolInputsSchema.parse({ name: "lab", size: 2, backend: { kind: "kubevirt", virtualMachineTemplate: { spec }, ...backend } }) as KubevirtPoolInputs;
}

const v19 = inferFeaturesFromVersion("v1beta1");
const v16 = inferFeaturesFromVersion("v1alpha1");
const older = toFeaturesFromUnknownFields("v1alpha1", ["spec.scaleInStrategy.proactive.selectionPolicy.sortPolicy", "spec.scaleInStrategy.proactive.selectionPolicy.basePolicy", "spec.updateStrategy"]);
const DESCENDING = { proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" } } };

describe("toKubevirtPoolPolicy", () => {
  it.each([
    // Defaults: highest indexes first; a desktop's template changes wait for each VM's next restart.
    { label: "desktop pool on 1.9", inputs: pool(halted), features: v19, policy: { scaleInStrategy: DESCENDING, updateStrategy: { opportunistic: {} } } },
    // A service pool keeps KubeVirt's own proactive default, so it is not written.
    { label: "service pool on 1.9", inputs: pool(always), features: v19, policy: { scaleInStrategy: DESCENDING } },
    { label: "service pool, proactive named by the user", inputs: pool(always, { updateStrategy: "proactive" }), features: v19, policy: { scaleInStrategy: DESCENDING, updateStrategy: { proactive: {} } } },
    { label: "desktop pool on 1.6: basePolicy, no update strategy", inputs: pool(halted), features: v16, policy: { scaleInStrategy: { proactive: { selectionPolicy: { basePolicy: "DescendingOrder" } } } } },
    { label: "before 1.6: nothing to write", inputs: pool(halted), features: older, policy: {} },
    {
      label: "every knob on 1.9",
      inputs: pool(halted, { scaleInStrategy: { sortPolicy: "Oldest", statePreservation: "Offline" }, updateStrategy: "unmanaged", autohealing: { startUpFailureThreshold: 4 }, maxUnavailable: "25%", paused: false }),
      features: v19,
      policy: {
        scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "Oldest" }, statePreservation: "Offline" } },
        updateStrategy: { unmanaged: {} },
        autohealing: { startUpFailureThreshold: 4 },
        maxUnavailable: "25%",
        paused: false,
      },
    },
  ])("$label", ({ inputs, features, policy }) => {
    expect(toKubevirtPoolPolicy(inputs, features)).toEqual(policy);
  });
});

describe("toPolicyInputsFromLive", () => {
  const desktop = pool(halted);
  it.each([
    // What the provider wrote for the previous inputs reads back as those inputs: no drift.
    { label: "the provider's defaults read as unset", live: { scaleInStrategy: DESCENDING, updateStrategy: { opportunistic: {} } }, previous: desktop, inputs: {} },
    { label: "1.6's basePolicy reads as the same order", live: { scaleInStrategy: { proactive: { selectionPolicy: { basePolicy: "DescendingOrder" } } } }, previous: desktop, inputs: {} },
    // A pool made before these knobs existed has none of them: no drift either.
    { label: "nothing written yet reads as unset", live: {}, previous: desktop, inputs: {} },
    { label: "paused: false is the same as unset", live: { paused: false }, previous: desktop, inputs: {} },
    // Real differences show.
    { label: "proactive set out of band on a desktop pool", live: { scaleInStrategy: DESCENDING, updateStrategy: { proactive: {} } }, previous: desktop, inputs: { updateStrategy: "proactive" } },
    { label: "a random order set out of band", live: { scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "Random" } } } }, previous: desktop, inputs: { scaleInStrategy: { sortPolicy: "Random" } } },
    { label: "an explicit order removed out of band", live: {}, previous: pool(halted, { scaleInStrategy: { sortPolicy: "AscendingOrder" } }), inputs: { scaleInStrategy: { sortPolicy: "Random" } } },
    { label: "knobs added out of band", live: { scaleInStrategy: DESCENDING, autohealing: { minFailingToStartDuration: "9m" }, maxUnavailable: 3, paused: true }, previous: desktop, inputs: { autohealing: { minFailingToStartDuration: "9m" }, maxUnavailable: 3, paused: true } },
    { label: "an unmanaged scale-in, which the inputs cannot say", live: { scaleInStrategy: { unmanaged: {} } }, previous: desktop, inputs: { scaleInStrategy: {} } },
    // The user's own settings keep their form.
    {
      label: "explicit settings as written",
      live: { scaleInStrategy: { proactive: { selectionPolicy: { sortPolicy: "DescendingOrder" }, statePreservation: "Disabled" } }, updateStrategy: { proactive: {} }, paused: false },
      previous: pool(halted, { scaleInStrategy: { sortPolicy: "DescendingOrder", statePreservation: "Disabled" }, updateStrategy: "proactive", paused: false }),
      inputs: { scaleInStrategy: { sortPolicy: "DescendingOrder", statePreservation: "Disabled" }, updateStrategy: "proactive", paused: false },
    },
  ])("$label", ({ live, previous, inputs }) => {
    expect(toPolicyInputsFromLive(live, previous)).toEqual(inputs);
  });
});

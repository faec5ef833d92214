import { describe, expect, it } from "vitest";

import type { KubevirtPoolVm } from "../../../../provider/backends/kubevirt/pool-vms";
import { calculateMaxUnavailable, classifyTemplateChange, describeKubevirtUpdateEffect, type UpdateEffectFacts } from "../../../../provider/backends/kubevirt/update-effects";

const template = { metadata: { labels: { app: "web" } }, spec: { runStrategy: "Always", template: { spec: { domain: { devices: {} } } }, dataVolumeTemplates: [{ metadata: { name: "disk" } }] } };

function vm(name: string, running: boolean): KubevirtPoolVm {
  return { name, uid: name, index: 0, createdAt: "", deleting: false, status: running ? "Running" : "Stopped", ready: running, running, node: running ? "n" : undefined };
}

describe("classifyTemplateChange", () => {
  it.each([
    { label: "equal", desired: template, change: "none" },
    { label: "a null the API server dropped counts as equal", desired: { ...template, spec: { ...template.spec, firmware: null } }, change: "none" },
    { label: "the run strategy: the VM only", desired: { ...template, spec: { ...template.spec, runStrategy: "Halted" } }, change: "vm" },
    { label: "VM labels: the VM only", desired: { ...template, metadata: { labels: { app: "web", tier: "a" } } }, change: "vm" },
    { label: "the instance template", desired: { ...template, spec: { ...template.spec, template: { spec: { domain: { devices: { disks: [] } } } } } }, change: "instance" },
    { label: "dataVolumeTemplates: disks", desired: { ...template, spec: { ...template.spec, dataVolumeTemplates: [{ metadata: { name: "disk2" } }] } }, change: "disks" },
  ])("$label -> $change", ({ desired, change }) => {
    expect(classifyTemplateChange(desired, template)).toBe(change);
  });
});

describe("calculateMaxUnavailable", () => {
  it.each([
    // KubeVirt's default "100%": the whole pool.
    { maxUnavailable: undefined, size: 5, count: 5 },
    { maxUnavailable: "50%", size: 5, count: 2 },
    // Rounded down, at least 1.
    { maxUnavailable: "10%", size: 5, count: 1 },
    { maxUnavailable: 2, size: 5, count: 2 },
    { maxUnavailable: "100%", size: 0, count: 1 },
  ])("$maxUnavailable of $size -> $count", ({ maxUnavailable, size, count }) => {
    expect(calculateMaxUnavailable(maxUnavailable, size)).toBe(count);
  });
});

describe("describeKubevirtUpdateEffect", () => {
  const base: UpdateEffectFacts = { strategy: "proactive", hasUpdateStrategy: true, change: "instance", vms: [vm("web-0", true), vm("web-1", true), vm("web-2", false)], maxUnavailable: undefined, size: 3, paused: false };

  it.each([
    { label: "proactive, all at once", facts: base, text: "restarts the running VMs web-0, web-1 now to apply it, all at once (updateStrategy proactive); stopped VMs use it when they next start" },
    { label: "proactive, paced", facts: { ...base, maxUnavailable: 1 }, text: "restarts the running VMs web-0, web-1 now to apply it, at most 1 at a time (maxUnavailable) (updateStrategy proactive); stopped VMs use it when they next start" },
    {
      label: "proactive on a paused pool",
      facts: { ...base, paused: true },
      text: "takes effect once the pool is unpaused (it is paused), and then restarts the running VMs web-0, web-1 to apply it, all at once (updateStrategy proactive); stopped VMs use it when they next start",
    },
    {
      label: "before 1.7",
      facts: { ...base, hasUpdateStrategy: false },
      text: "restarts the running VMs web-0, web-1 now to apply it, all at once (KubeVirt before 1.7 has no updateStrategy and always restarts); stopped VMs use it when they next start",
    },
    {
      label: "new disks",
      facts: { ...base, change: "disks" as const },
      text: "deletes and re-creates the running VMs web-0, web-1 with new disks from the changed dataVolumeTemplates, all at once (updateStrategy proactive); their old disks go with them",
    },
    { label: "opportunistic", facts: { ...base, strategy: "opportunistic" as const }, text: "applies to the running VMs web-0, web-1 only when each next restarts; they keep running on the old template (updateStrategy opportunistic); stopped VMs use it when they next start" },
    { label: "unmanaged", facts: { ...base, strategy: "unmanaged" as const }, text: "reaches no existing VM (updateStrategy unmanaged): only VMs created from now on use it" },
    { label: "a VM-level change only", facts: { ...base, change: "vm" as const }, text: "rewrites the spec of every VM; running VMs keep running, since their instance template did not change (updateStrategy proactive)" },
    { label: "nothing running", facts: { ...base, vms: [vm("web-2", false)] }, text: "rewrites the spec of every VM; none is running now, so each uses it when it next starts (updateStrategy proactive)" },
    {
      label: "VMs that cannot be listed",
      facts: { ...base, vms: undefined },
      text: "restarts the running VMs (which ones cannot be told: the VMs may not be listed) now to apply it, all at once (updateStrategy proactive); stopped VMs use it when they next start",
    },
  ])("$label", ({ facts, text }) => {
    expect(describeKubevirtUpdateEffect(facts)).toBe(text);
  });
});

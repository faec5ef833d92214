import { describe, expect, it } from "vitest";

import { planMembership, planPrestart, type VmFacts } from "../../../../provider/backends/vmoperator/membership";

const vm = (name: string, pools: string[] = [], more: Partial<VmFacts> = {}): VmFacts => ({ name, labels: { room: "12" }, pools, state: "Stopped", ...more });

describe("planMembership", () => {
  it.each([
    {
      label: "named VMs join, another pool's members stay apart",
      spec: { vms: ["a", "b"] },
      vms: [vm("a", ["other"]), vm("b"), vm("c", ["other"])],
      plan: { members: ["a", "b"], add: ["a", "b"], remove: [], problems: [], notices: [] },
    },
    {
      label: "a named VM that is gone is a problem",
      spec: { vms: ["a", "x", "y"] },
      vms: [vm("a")],
      plan: { members: ["a"], add: ["a"], remove: [], problems: ["VMs 'x', 'y' do not exist in the pool's namespace"], notices: [] },
    },
    {
      label: "a member no longer named leaves",
      spec: { vms: ["b"] },
      vms: [vm("a", ["lab"]), vm("b", ["lab", "other"])],
      plan: { members: ["b"], add: [], remove: ["a"], problems: [], notices: [] },
    },
    {
      label: "a selector keeps current members first, then takes by name",
      spec: { selector: { room: "12" }, size: 2 },
      vms: [vm("c"), vm("b", ["lab"]), vm("a"), vm("z", [], { labels: { room: "13" } })],
      plan: { members: ["b", "a"], add: ["a"], remove: [], problems: [], notices: ["the selector matches 3 VMs; 'c' stays out of the pool (size 2)"] },
    },
    {
      label: "a selector matching too few is a problem",
      spec: { selector: { room: "12" }, size: 3 },
      vms: [vm("a"), vm("b")],
      plan: { members: ["a", "b"], add: ["a", "b"], remove: [], problems: ["the selector matches 2 VMs ('a', 'b'), fewer than the size 3; label more VMs or lower 'size'"], notices: [] },
    },
    {
      label: "a selector matching none",
      spec: { selector: { room: "99" }, size: 1 },
      vms: [vm("a")],
      plan: { members: [], add: [], remove: [], problems: ["the selector matches 0 VMs, fewer than the size 1; label more VMs or lower 'size'"], notices: [] },
    },
    {
      label: "a selector shrink takes out free members before held ones",
      spec: { selector: { room: "12" }, size: 2 },
      vms: [vm("a", ["lab"]), vm("b", ["lab"]), vm("c", ["lab"], { heldBy: "carol" })],
      plan: { members: ["c", "a"], add: [], remove: ["b"], problems: [], notices: ["the selector matches 3 VMs; 'b' stays out of the pool (size 2)"] },
    },
    {
      label: "a held member may not leave",
      spec: { vms: ["a"] },
      vms: [vm("a", ["lab"]), vm("b", ["lab"], { heldBy: "alice" })],
      plan: { members: ["a"], add: [], remove: ["b"], problems: ["VM 'b' would leave the pool while user 'alice' holds it; wait until the assignment ends or keep it in the pool"], notices: [] },
    },
  ])("$label", ({ spec, vms, plan }) => {
    expect(planMembership("lab", spec, vms)).toEqual(plan);
  });
});

describe("planPrestart", () => {
  it.each([
    { label: "starts free stopped members by name", members: [vm("c"), vm("a"), vm("b")], prestarted: 2, started: [], plan: { start: ["a", "b"], stop: [], started: ["a", "b"], notices: [] } },
    {
      label: "running members count, whoever started them",
      members: [vm("a", [], { state: "Running" }), vm("b"), vm("c")],
      prestarted: 2,
      started: [],
      plan: { start: ["b"], stop: [], started: ["b"], notices: [] },
    },
    {
      label: "never starts a held VM, and says so",
      members: [vm("a", [], { heldBy: "alice" }), vm("b")],
      prestarted: 2,
      started: [],
      plan: { start: ["b"], stop: [], started: ["b"], notices: ["only 1 of the 2 prestarted VMs can run: the other members are held by users"] },
    },
    {
      label: "stops only VMs it started and nobody holds, highest name first",
      members: [vm("a", [], { state: "Running" }), vm("b", [], { state: "Running", heldBy: "bob" }), vm("c", [], { state: "Running" }), vm("d", [], { state: "Running" })],
      prestarted: 1,
      started: ["b", "c"],
      plan: { start: [], stop: ["c"], started: ["b"], notices: ["stops 'c' (started by this pool, held by nobody) to keep 1 prestarted"] },
    },
    {
      label: "keeps the record of started VMs that still run",
      members: [vm("a", [], { state: "Running" }), vm("b")],
      prestarted: 1,
      started: ["a", "b"],
      plan: { start: [], stop: [], started: ["a"], notices: [] },
    },
  ])("$label", ({ members, prestarted, started, plan }) => {
    expect(planPrestart(members, prestarted, started)).toEqual(plan);
  });
});

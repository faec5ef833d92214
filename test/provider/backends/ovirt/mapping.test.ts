import { describe, expect, it } from "vitest";

import { fromOvirtPool, fromOvirtVmList, toInputsFromOvirtPool, toOvirtPoolCreateBody, toOvirtPoolUpdateBody } from "../../../../provider/backends/ovirt/mapping";
import { vmPoolInputsSchema, type OvirtPoolInputs } from "../../../../provider/schemas/vm-pool";

const inputs = vmPoolInputsSchema.parse({
  name: "lab-??",
  size: 3,
  description: "desks",
  prestarted: 1,
  maxVmsPerUser: 2,
  backend: { kind: "ovirt", cluster: "Default", template: "rhel9", templateVersion: "latest", spiceProxy: "http://proxy:3128" },
}) as OvirtPoolInputs;
const refs = { clusterId: "c-1", templateId: "t-1" };

describe("toOvirtPoolCreateBody", () => {
  it("maps every field to the engine's snake_case names and references by id", () => {
    expect(toOvirtPoolCreateBody(inputs, refs)).toEqual({
      name: "lab-??",
      description: "desks",
      comment: "",
      size: 3,
      prestarted_vms: 1,
      max_user_vms: 2,
      type: "automatic",
      stateful: false,
      auto_storage_select: false,
      use_latest_template_version: true,
      cluster: { id: "c-1" },
      template: { id: "t-1" },
      display: { proxy: "http://proxy:3128" },
    });
  });
});

describe("toOvirtPoolUpdateBody", () => {
  it("sends what the engine changes in place: size as the absolute target, and the template version", () => {
    expect(toOvirtPoolUpdateBody(inputs, refs)).toEqual({
      template: { id: "t-1" },
      use_latest_template_version: true,
      description: "desks",
      comment: "",
      size: 3,
      prestarted_vms: 1,
      max_user_vms: 2,
      display: { proxy: "http://proxy:3128" },
    });
  });
});

describe("fromOvirtPool and toInputsFromOvirtPool", () => {
  const body = {
    id: "p-1",
    href: "/ovirt-engine/api/vmpools/p-1",
    name: "lab-??",
    description: "desks",
    size: 3,
    prestarted_vms: 1,
    max_user_vms: 2,
    type: "automatic",
    stateful: false,
    auto_storage_select: false,
    use_latest_template_version: true,
    display: { proxy: "http://proxy:3128" },
    cluster: { id: "c-1", href: "/ovirt-engine/api/clusters/c-1" },
    template: { id: "t-9", href: "/ovirt-engine/api/templates/t-9" },
  };

  it("reads the engine's defaults for absent attributes", () => {
    expect(fromOvirtPool({ id: "p-2", name: "x", cluster: { id: "c-1" } })).toEqual({
      id: "p-2",
      name: "x",
      description: "",
      comment: "",
      size: 0,
      prestarted: 0,
      maxVmsPerUser: 1,
      type: "automatic",
      stateful: false,
      autoStorageSelect: false,
      useLatestTemplateVersion: false,
      spiceProxy: undefined,
      clusterId: "c-1",
      templateId: undefined,
    });
  });

  it("round-trips the inputs, keeping the cluster's spelling while it resolves to the same cluster", () => {
    expect(toInputsFromOvirtPool(fromOvirtPool(body), inputs, refs)).toEqual(inputs);
  });

  it("shows the cluster id when the name no longer resolves to the pool's cluster, and a proxy removed out of band", () => {
    const { display: _display, ...withoutProxy } = body;
    const read = toInputsFromOvirtPool(fromOvirtPool({ ...withoutProxy, cluster: { id: "c-2" } }), inputs, refs);
    expect(read.backend).toEqual({ kind: "ovirt", cluster: "c-2", template: "rhel9", templateVersion: "latest", autoStorageSelect: false, keepVmsOnDelete: false, forceShrink: false });
  });

  it("names the field when the body is not a pool", () => {
    expect(() => fromOvirtPool({ id: "p" })).toThrow("unexpected vm_pool from the engine at 'name'");
  });
});

describe("fromOvirtVmList", () => {
  it.each([
    { body: {}, names: [] },
    { body: { vm: [{ id: "b", name: "lab-10", status: "down" }, { id: "a", name: "lab-9", status: "up" }] }, names: ["lab-9", "lab-10"] },
  ])("reads $body in natural name order", ({ body, names }) => {
    expect(fromOvirtVmList(body).map((vm) => vm.name)).toEqual(names);
  });
});

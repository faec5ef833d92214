/**
 * The sandbox's XML: chosen by Accept (XML first, as the engine produces),
 * request bodies by Content-Type, entities with id/href attributes,
 * collections, empty collections, actions and faults.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ManualClock } from "../../../sandbox/ovirt-engine/clock";
import { DEFAULT_SEED_IDS } from "../../../sandbox/ovirt-engine/seed";
import { wantsXml } from "../../../sandbox/ovirt-engine/server";
import { toXmlDate, toXmlShape } from "../../../sandbox/ovirt-engine/xml";
import { startTestSandbox, type TestSandbox } from "./sandbox-client";

const XML = { Accept: "application/xml" };
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

describe("XML answers", () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ clock: new ManualClock(), prestartMonitor: false });
  });
  afterAll(async () => t?.close());

  it("§1.3 renders an entity with id and href as attributes and references as empty elements", async () => {
    const res = await t.api("GET", `/datacenters/${DEFAULT_SEED_IDS.dataCenter}`, { headers: XML });
    expect(res.headers["content-type"]).toBe("application/xml");
    const href = `/ovirt-engine/api/datacenters/${DEFAULT_SEED_IDS.dataCenter}`;
    expect(res.text).toBe(
      [
        DECLARATION,
        `<data_center id="${DEFAULT_SEED_IDS.dataCenter}" href="${href}">`,
        "  <name>Default</name>",
        "  <description/>",
        "  <status>up</status>",
        "  <local>false</local>",
        `  <link href="${href}/clusters" rel="clusters"/>`,
        `  <link href="${href}/permissions" rel="permissions"/>`,
        "</data_center>",
        "",
      ].join("\n"),
    );
  });

  it("§1.3 renders a collection around its elements, and an empty one as an empty element", async () => {
    const groups = await t.api("GET", "/groups?search=name%3Dvdi-users", { headers: XML });
    expect(groups.text).toBe(
      [
        DECLARATION,
        "<groups>",
        `  <group id="${DEFAULT_SEED_IDS.vdiUsers}" href="/ovirt-engine/api/groups/${DEFAULT_SEED_IDS.vdiUsers}">`,
        "    <name>vdi-users</name>",
        "    <domain>",
        "      <name>internal-authz</name>",
        "    </domain>",
        "  </group>",
        "</groups>",
        "",
      ].join("\n"),
    );
    expect((await t.api("GET", "/vmpools", { headers: XML })).text).toBe(`${DECLARATION}\n<vm_pools/>\n`);
  });

  it("§1.3 answers XML when Accept is absent, as the engine produces XML first", async () => {
    const res = await t.api("GET", "/vmpools", { headers: { Accept: "" } });
    expect(res.text).toBe(`${DECLARATION}\n<vm_pools/>\n`);
  });

  it("§1.3 reads an XML request body and answers a fault in XML", async () => {
    const body = "<vm_pool><name>xml-pool</name><size>0</size><cluster><name>Default</name></cluster><template><name>rhel9-desktop</name></template></vm_pool>";
    const res = await t.api("POST", "/vmpools", { body, headers: { ...XML, "Content-Type": "application/xml" } });
    expect(res.status).toBe(400);
    expect(res.text).toBe([DECLARATION, "<fault>", "  <reason>Operation Failed</reason>", "  <detail>[Cannot create Pool with 0 VMs]</detail>", "</fault>", ""].join("\n"));
  });

  it("§3 answers a failed action as an <action> with its status and nested fault", async () => {
    const created = await t.api("POST", "/vmpools", {
      body: "<vm_pool><name>xml-act</name><size>1</size><cluster><name>Default</name></cluster><template><name>rhel9-desktop</name></template></vm_pool>",
      headers: { ...XML, "Content-Type": "application/xml" },
    });
    expect(created.status).toBe(201);
    const vms = (await t.api("GET", "/vms?search=pool%3Dxml-act")).json as { vm: { id: string }[] };
    const res = await t.api("POST", `/vms/${vms.vm[0]?.id ?? ""}/detach`, { body: "<action/>", headers: { ...XML, "Content-Type": "application/xml" } });
    expect(res.status).toBe(409);
    expect(res.text).toBe(
      [DECLARATION, "<action>", "  <status>failed</status>", "  <fault>", "    <reason>Operation Failed</reason>", "    <detail>[Cannot detach VM: VM is locked. Please try again in a few minutes.]</detail>", "  </fault>", "</action>", ""].join("\n"),
    );
  });
});

describe("XML helpers", () => {
  it.each([
    { accept: undefined, xml: true },
    { accept: "application/xml", xml: true },
    { accept: "application/json", xml: false },
    { accept: "application/xml, application/json", xml: true },
    { accept: "application/json, application/xml", xml: false },
    { accept: "*/*", xml: true },
  ])("chooses XML for Accept $accept: $xml", ({ accept, xml }) => {
    expect(wantsXml(accept)).toBe(xml);
  });

  it.each([
    { method: "GET", path: "/vmpools", shape: { root: "vm_pools", collection: "vm_pool" } },
    { method: "GET", path: "/vmpools/1", shape: { root: "vm_pool" } },
    { method: "GET", path: "/vmpools/1/permissions", shape: { root: "permissions", collection: "permission" } },
    { method: "POST", path: "/vmpools/1/permissions", shape: { root: "permission" } },
    { method: "POST", path: "/vms/1/detach", shape: { root: "action" } },
    { method: "GET", path: "/datacenters", shape: { root: "data_centers", collection: "data_center" } },
    { method: "GET", path: "", shape: { root: "api" } },
  ])("renders $method $path as $shape", ({ method, path, shape }) => {
    expect(toXmlShape(method, path)).toEqual(shape);
  });

  it("writes dates as xsd:dateTime", () => {
    expect(toXmlDate(Date.UTC(2026, 10, 25, 14, 37, 9, 348))).toBe("2026-11-25T14:37:09.348+00:00");
  });
});

/**
 * The provider object Pulumi writes into state as `__provider`, serialized
 * exactly as `dynamic.Resource` does it: small, free of credentials, logic and
 * machine paths, and able to find the implementation by package name from any
 * folder.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { REPO_ROOT } from "../harness/tools";

// Native require of the compiled package: what the Pulumi SDK serializes in a
// real program, with no test-runner transforms in the function text.
const nativeRequire = createRequire(__filename);
const pulumi = nativeRequire("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
const { createProviderShim } = nativeRequire(path.join(REPO_ROOT, "dist/provider/provider-shim.js")) as typeof import("../../provider/provider-shim");

const SECRET = "s3cr3t-token-that-must-not-leak";
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vmpools-shim-"));
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function serialize(): Promise<{ text: string; containsSecrets: boolean }> {
  const shim = createProviderShim("VmPool");
  // Configure first, as the engine would, with a credential in the config: the
  // text serialized afterwards must still not contain it.
  await shim.configure?.({ config: { get: (key: string) => (key === "vmpools:kubeconfig" ? SECRET : undefined) } } as never);
  return pulumi.runtime.serializeFunction(() => shim, { allowSecrets: true });
}

describe("the serialized VmPool provider", () => {
  it("is under 4 KB and captures no secret", async () => {
    const { text, containsSecrets } = await serialize();
    expect(text.length).toBeLessThan(4096);
    expect(containsSecrets).toBe(false);
    expect(text).not.toContain(SECRET);
  });

  it("holds no implementation code and no absolute path of this machine", async () => {
    const { text } = await serialize();
    for (const needle of [REPO_ROOT, os.homedir(), os.tmpdir(), "VirtualMachinePool", "zod", "kubevirt", "getVmPoolBackend"]) {
      expect(text).not.toContain(needle);
    }
    // The implementation is found by package name at run time.
    expect(text.match(/require\("([^"]+)"\)/g)).toEqual(Array(7).fill('require("pulumi-vmpools/runtime")'));
  });

  it("loads the implementation by package name from another folder, as the provider host does", async () => {
    const { text } = await serialize();
    // GIVEN a project folder elsewhere whose node_modules has the package
    const project = path.join(scratch, "elsewhere");
    fs.mkdirSync(path.join(project, "node_modules"), { recursive: true });
    fs.symlinkSync(REPO_ROOT, path.join(project, "node_modules", "pulumi-vmpools"), "dir");
    fs.writeFileSync(path.join(project, "provider.js"), text);
    // WHEN the host's loader (require-from-string, from the program folder) runs check()
    const script = `
      const requireFromString = require(${JSON.stringify(nativeRequire.resolve("require-from-string", { paths: [path.dirname(nativeRequire.resolve("@pulumi/pulumi"))] }))});
      const provider = requireFromString(require("fs").readFileSync("provider.js", "utf8")).handler();
      provider.check({}, { name: "lab", size: -1, backend: { kind: "kubevirt", virtualMachineTemplate: { spec: {} } } })
        .then((r) => process.stdout.write(JSON.stringify(r.failures)));
    `;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" });
    // THEN the real implementation answered
    expect(JSON.parse(out)).toEqual([
      { property: "size", reason: "must be 0 or more (got -1)" },
      {
        property: "backend.virtualMachineTemplate.spec.template.spec.domain.devices",
        reason: "must be an object (it may be empty): KubeVirt requires template.spec.domain.devices in every VM template (got nothing)",
      },
    ]);
  });
});

/**
 * The oVirt engine sandbox as tests use it: started in-process over HTTPS,
 * with its CA certificate written to a file, as real clients are given one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { startOvirtSandbox, type OvirtSandbox, type SandboxOptions } from "../../sandbox/ovirt-engine/server";

/** A running sandbox and its CA file. */
export interface EngineUnderTest {
  readonly engine: OvirtSandbox;
  /** PEM file with the sandbox's CA certificate. */
  readonly caFile: string;
  /** A scratch folder removed by {@link EngineUnderTest.dispose}. */
  readonly dir: string;
  /** Stops the sandbox and removes the folder. */
  dispose(): Promise<void>;
}

/** Starts a sandbox and writes its CA certificate to a temp file. */
export async function startEngineWithCaFile(options: SandboxOptions = {}): Promise<EngineUnderTest> {
  const engine = await startOvirtSandbox(options);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vmpools-engine-"));
  const caFile = path.join(dir, "ca.pem");
  fs.writeFileSync(caFile, engine.caPem ?? "");
  return {
    engine,
    caFile,
    dir,
    dispose: async () => {
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One stack config value, as the Automation API's `setAllConfig` takes it. */
export interface StackConfigValue {
  readonly value: string;
  readonly secret?: boolean;
}

/**
 * The stack config that points the provider at the engine under test: URL,
 * admin user, CA file, and the password as a secret, as users set them.
 */
export function ovirtStackConfig(under: EngineUnderTest): Record<string, StackConfigValue> {
  return {
    "vmpools:ovirtUrl": { value: under.engine.url },
    "vmpools:ovirtUsername": { value: under.engine.credentials.username },
    "vmpools:ovirtPassword": { value: under.engine.credentials.password, secret: true },
    "vmpools:ovirtCaFile": { value: under.caFile },
  };
}

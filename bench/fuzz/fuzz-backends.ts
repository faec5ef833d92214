/**
 * Backends for fuzzing `check()` that count every request: the oVirt engine
 * sandbox (its request counters), and a stand-in for the Kubernetes API
 * server (HTTPS) that answers 404 to everything and counts what it gets. `check()`
 * may read from them when inputs are valid; it must never write, and must
 * send nothing for inputs the schema rejects.
 */
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

import { generate } from "selfsigned";

import { toProviderSettings, type ProviderSettings } from "../../provider/config/settings";
import { startOvirtSandbox } from "../../sandbox/ovirt-engine/server";
import type { RequestCounter } from "./check-fuzz";

/** Both backends, settings pointing at them, and one counter over both. */
export interface FuzzBackends {
  /** Provider settings for both backends; `verifyReferences` as asked. */
  settings(verifyReferences: boolean): ProviderSettings;
  readonly counter: RequestCounter;
  close(): Promise<void>;
}

/** Starts the sandbox and the Kubernetes stand-in. */
export async function startFuzzBackends(): Promise<FuzzBackends> {
  const sandbox = await startOvirtSandbox({ prestartMonitor: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vmpools-fuzz-"));
  const caFile = path.join(dir, "ca.pem");
  fs.writeFileSync(caFile, sandbox.caPem ?? "");
  const kube = { total: 0, writes: 0 };
  // HTTPS, as the Kubernetes client refuses plain HTTP without skipping TLS verification.
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  });
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    kube.total++;
    if (req.method !== "GET" && req.method !== "HEAD") {
      kube.writes++;
    }
    req.resume();
    res.writeHead(404, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "fuzz", cluster: { server: `https://127.0.0.1:${port}`, "certificate-authority-data": Buffer.from(pems.cert).toString("base64") } }],
    users: [{ name: "fuzz", user: { token: "fuzz-token" } }],
    contexts: [{ name: "fuzz", context: { cluster: "fuzz", user: "fuzz" } }],
    "current-context": "fuzz",
  });
  const ovirtCounts = (): { total: number; writes: number } => {
    let total = 0;
    let writes = 0;
    for (const [key, n] of Object.entries(sandbox.control.requestCounts())) {
      total += n;
      writes += /^(POST|PUT|DELETE) \/ovirt-engine\/api/.test(key) ? n : 0;
    }
    return { total, writes };
  };
  return {
    settings: (verifyReferences) =>
      toProviderSettings(
        (key) =>
          ({
            ovirtUrl: sandbox.url,
            ovirtUsername: sandbox.credentials.username,
            ovirtPassword: sandbox.credentials.password,
            ovirtCaFile: caFile,
            kubeconfig,
            verifyReferences: String(verifyReferences),
          })[key],
        {},
      ),
    counter: {
      reset: () => {
        sandbox.control.resetRequestCounts();
        kube.total = 0;
        kube.writes = 0;
      },
      total: () => ovirtCounts().total + kube.total,
      writes: () => ovirtCounts().writes + kube.writes,
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => {
          resolve();
        }));
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Kubernetes connections kept open: requests through the provider's
 * `KubeConfig` share connections, counted at a TCP forwarder in front of a
 * real kube-apiserver; the library's own `KubeConfig` opens one per request.
 */
import * as net from "node:net";

import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadKubeConfig } from "../../../../provider/backends/kubevirt/client";
import { toPooledKubeConfig } from "../../../../provider/backends/kubevirt/pooled-kube-config";
import { startTestCluster, type TestCluster } from "../../../harness/kube-apiserver";
import { missingTools } from "../../../harness/tools";

const skip = missingTools("etcd", "kube-apiserver").length > 0;

/** Forwards TCP from a loopback port to `target`, counting the connections it accepts. */
async function startForwarder(target: URL): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => s.destroy());
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    connections: () => accepted,
    close: async () => {
      sockets.forEach((s) => {
        s.destroy();
      });
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

describe.skipIf(skip)("Kubernetes connections of the provider", () => {
  let cluster: TestCluster;
  let forwarder: Awaited<ReturnType<typeof startForwarder>>;
  let kubeconfig: string;

  beforeAll(async () => {
    cluster = await startTestCluster();
    forwarder = await startForwarder(new URL(cluster.server));
    kubeconfig = cluster.kubeconfig("admin").replace(cluster.server, forwarder.url);
  }, 120_000);

  afterAll(async () => {
    await forwarder.close();
    await cluster.stop();
  });

  async function listNamespaces(kc: k8s.KubeConfig, times: number): Promise<number> {
    const before = forwarder.connections();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (let i = 0; i < times; i++) {
      const list = await core.listNamespace();
      expect(list.items.map((n) => n.metadata?.name)).toContain("default");
    }
    return forwarder.connections() - before;
  }

  it("the library's own KubeConfig opens a connection per request (why the provider pools them)", async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfig);
    expect(await listNamespaces(kc, 5)).toBe(5);
  });

  it("requests through one pooled KubeConfig share one connection", async () => {
    const kc = toPooledKubeConfig(loadKubeConfig({ kubeconfig, context: undefined }));
    expect(await listNamespaces(kc, 5)).toBe(1);
  });

  it("the same kubeconfig loaded again is the same connection; another credential is another", async () => {
    const first = toPooledKubeConfig(loadKubeConfig({ kubeconfig, context: undefined }));
    const again = toPooledKubeConfig(loadKubeConfig({ kubeconfig, context: undefined }));
    expect(again).toBe(first);
    await listNamespaces(first, 1);
    expect(await listNamespaces(again, 3)).toBe(0);
    const rotated = toPooledKubeConfig(loadKubeConfig({ kubeconfig: cluster.kubeconfig("alice").replace(cluster.server, forwarder.url), context: undefined }));
    expect(rotated).not.toBe(first);
  });
});

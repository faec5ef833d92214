/**
 * A real Kubernetes control plane for tests: etcd and kube-apiserver on
 * loopback, free ports, temp dirs, RBAC on, static-token users, and the
 * VM CRDs installed from `test/fixtures/crds/` (KubeVirt's real ones, and this
 * project's own VM-Operator fixtures). `stop()` always tears it all down.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import * as k8s from "@kubernetes/client-node";

import { toProviderSettings, type ProviderSettings } from "../../provider/config/settings";
import { findTool, REFERENCE_DIR, REPO_ROOT } from "./tools";

/** Static-token users the server knows. */
export const TEST_USERS = {
  /** Cluster admin (group `system:masters`). */
  admin: { token: "vmpools-admin-token", user: "admin", groups: ["system:masters"] },
  /** Ordinary user with no permissions until a test grants some. */
  alice: { token: "vmpools-alice-token", user: "alice", groups: ["vdi-users"] },
  /** A second ordinary user. */
  bob: { token: "vmpools-bob-token", user: "bob", groups: ["vdi-users"] },
} as const;

/** A test user's name. */
export type TestUser = keyof typeof TEST_USERS;

/** Which KubeVirt pool CRD to install: 1.9 serves v1alpha1 + v1beta1, 1.6 only v1alpha1. */
export type KubevirtCrdVariant = "1.9" | "1.6";

/**
 * Where VM-Operator's CRDs come from: `"fixture"`, this project's own
 * `test/fixtures/crds/vmoperator-*.fixture.yaml`; `"reference"`, VM-Operator's
 * real (AGPL-3.0) files in the shared reference folder, which only the
 * fixture cross-check uses, since a clone does not have them.
 */
export type VmoperatorCrdSource = "fixture" | "reference";

/** The CRDs shipped with the repository, so a clone tests with nothing outside it. */
export const CRD_FIXTURES_DIR = path.join(REPO_ROOT, "test", "fixtures", "crds");

/** The VM-Operator CRDs of the shared reference (may be absent). */
export const REFERENCE_CRDS_DIR = path.join(REFERENCE_DIR, "crds");

/**
 * CRD files to install: KubeVirt's pool CRD of `variant`, KubeVirt's VM CRD,
 * this project's VMI fixture, and VM-Operator's two CRDs from `vmoperator`.
 */
export function crdFiles(variant: KubevirtCrdVariant, vmoperator: VmoperatorCrdSource = "fixture"): string[] {
  const vmoperatorFiles =
    vmoperator === "fixture"
      ? ["vmoperator-vmpools.fixture.yaml", "vmoperator-vms.fixture.yaml"].map((f) => path.join(CRD_FIXTURES_DIR, f))
      : ["vmoperator-vmpools-crd.yaml", "vmoperator-vms-crd.yaml"].map((f) => path.join(REFERENCE_CRDS_DIR, f));
  return [
    path.join(CRD_FIXTURES_DIR, variant === "1.9" ? "kubevirt-virtualmachinepools-crd.yaml" : "kubevirt-1.6-virtualmachinepools-crd.yaml"),
    path.join(CRD_FIXTURES_DIR, "kubevirt-virtualmachines-crd.yaml"),
    path.join(CRD_FIXTURES_DIR, "kubevirt-virtualmachineinstances.fixture.yaml"),
    ...vmoperatorFiles,
  ];
}

/** Options of {@link startTestCluster}. */
export interface TestClusterOptions {
  /**
   * KubeVirt pool CRD to install.
   * @default "1.9"
   */
  readonly kubevirtCrds?: KubevirtCrdVariant;
  /**
   * Source of VM-Operator's CRDs. A CRD's name is unique per cluster, so
   * comparing the fixture with the real CRD takes two clusters.
   * @default "fixture"
   */
  readonly vmoperatorCrds?: VmoperatorCrdSource;
}

/** A running control plane. */
export interface TestCluster {
  /** `https://127.0.0.1:<port>`. */
  readonly server: string;
  /** CA bundle that verifies the server's certificate (PEM file). */
  readonly caFile: string;
  /** A kubeconfig document (YAML) for a test user. */
  kubeconfig(user: TestUser): string;
  /** Writes the kubeconfig for `user` to a file and returns its path. */
  kubeconfigFile(user: TestUser): string;
  /** A client configuration for `user`. */
  kubeConfig(user: TestUser): k8s.KubeConfig;
  /** Stops both processes and removes every temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

function startProcess(bin: string, args: string[], logFile: string): ChildProcess {
  const log = fs.openSync(logFile, "a");
  const child = spawn(bin, args, { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      resolve();
    });
  });
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function waitFor(what: string, logFile: string, child: ChildProcess, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${what} exited with code ${child.exitCode}:\n${tail(logFile)}`);
    }
    if (await probe().catch(() => false)) {
      return;
    }
    await sleep(200);
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000}s:\n${tail(logFile)}`);
}

function toKubeconfig(server: string, caFile: string, token: string, user: string): string {
  const ca = fs.readFileSync(caFile).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: test",
    "  cluster:",
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    "users:",
    `- name: ${user}`,
    "  user:",
    `    token: ${token}`,
    "contexts:",
    `- name: ${user}@test`,
    "  context:",
    "    cluster: test",
    `    user: ${user}`,
    `current-context: ${user}@test`,
    "",
  ].join("\n");
}

async function installCrds(kc: k8s.KubeConfig, files: string[]): Promise<void> {
  const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const names: string[] = [];
  for (const file of files) {
    for (const doc of k8s.loadAllYaml(fs.readFileSync(file, "utf8")) as k8s.V1CustomResourceDefinition[]) {
      await api.createCustomResourceDefinition({ body: doc });
      names.push(doc.metadata?.name ?? "");
    }
  }
  for (const name of names) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const crd = await api.readCustomResourceDefinition({ name });
      if (crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`CRD ${name} not established after 30s`);
      }
      await sleep(100);
    }
  }
}

/**
 * Starts etcd and kube-apiserver and installs the CRDs. On any failure it
 * tears down what it started before throwing.
 */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const etcdBin = findTool("etcd");
  const apiserverBin = findTool("kube-apiserver");
  if (etcdBin === undefined || apiserverBin === undefined) {
    throw new Error("etcd and kube-apiserver are not in .tools/bin; run 'npm run setup'");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vmpools-kube-"));
  let etcd: ChildProcess | undefined;
  let apiserver: ChildProcess | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    stopped = true;
    await stopProcess(apiserver);
    await stopProcess(etcd);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcdLog = path.join(dir, "etcd.log");
    etcd = startProcess(
      etcdBin,
      [
        `--data-dir=${path.join(dir, "etcd")}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
        "--unsafe-no-fsync",
        "--log-level=warn",
      ],
      etcdLog,
    );
    const etcdChild = etcd;
    await waitFor("etcd", etcdLog, etcdChild, 30_000, async () => (await fetch(`${etcdUrl}/health`)).ok);

    const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const saPub = path.join(dir, "sa.pub");
    const saKey = path.join(dir, "sa.key");
    fs.writeFileSync(saPub, publicKey.export({ type: "spki", format: "pem" }));
    fs.writeFileSync(saKey, privateKey.export({ type: "pkcs8", format: "pem" }));
    const tokens = path.join(dir, "tokens.csv");
    fs.writeFileSync(
      tokens,
      Object.values(TEST_USERS)
        .map((u) => `${u.token},${u.user},${u.user}-uid,"${u.groups.join(",")}"`)
        .join("\n") + "\n",
    );
    const certDir = path.join(dir, "certs");
    const apiLog = path.join(dir, "kube-apiserver.log");
    apiserver = startProcess(
      apiserverBin,
      [
        `--etcd-servers=${etcdUrl}`,
        `--cert-dir=${certDir}`,
        `--secure-port=${apiPort}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--service-account-issuer=https://kubernetes.default.svc",
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        "--service-cluster-ip-range=10.0.0.0/24",
        "--authorization-mode=RBAC",
        `--token-auth-file=${tokens}`,
        "--disable-admission-plugins=ServiceAccount",
        "--allow-privileged=true",
        // Since 1.3x the lease endpoint reconciler refuses a loopback advertise
        // address; with no Service traffic in tests, none is needed.
        "--endpoint-reconciler-type=none",
      ],
      apiLog,
    );
    const server = `https://127.0.0.1:${apiPort}`;
    const caFile = path.join(certDir, "apiserver.crt");
    const apiChild = apiserver;
    await waitFor("kube-apiserver", apiLog, apiChild, 90_000, async () => {
      if (!fs.existsSync(caFile)) {
        return false;
      }
      const kc = new k8s.KubeConfig();
      kc.loadFromString(toKubeconfig(server, caFile, TEST_USERS.admin.token, "admin"));
      const health = new k8s.Health(kc);
      return health.readyz({});
    });

    const kubeconfig = (user: TestUser): string => toKubeconfig(server, caFile, TEST_USERS[user].token, TEST_USERS[user].user);
    const kubeConfig = (user: TestUser): k8s.KubeConfig => {
      const kc = new k8s.KubeConfig();
      kc.loadFromString(kubeconfig(user));
      return kc;
    };
    await installCrds(kubeConfig("admin"), crdFiles(options.kubevirtCrds ?? "1.9", options.vmoperatorCrds ?? "fixture"));
    return {
      server,
      caFile,
      kubeconfig,
      kubeConfig,
      kubeconfigFile: (user) => {
        const file = path.join(dir, `kubeconfig-${user}.yaml`);
        fs.writeFileSync(file, kubeconfig(user));
        return file;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A Node as a kubelet would register it, for tests that read nodes. */
export interface TestNode {
  /** Node name. */
  readonly name: string;
  /** Node labels (e.g. an attestation label). @default {} */
  readonly labels?: Record<string, string>;
  /** The `Ready` condition's status, as the kubelet reports it; absent means no condition at all. @default "True" */
  readonly ready?: "True" | "False" | "Unknown" | "absent";
}

/**
 * Creates a Node (as admin) with its labels and its `Ready` condition set
 * through the status subresource, as a kubelet does. A bare API server has
 * no kubelets and no node controller, so nothing changes it afterwards.
 */
export async function createTestNode(kc: k8s.KubeConfig, node: TestNode): Promise<void> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNode({ body: { apiVersion: "v1", kind: "Node", metadata: { name: node.name, labels: node.labels ?? {} } } });
  const ready = node.ready ?? "True";
  if (ready !== "absent") {
    const now = new Date();
    await core.patchNodeStatus(
      { name: node.name, body: { status: { conditions: [{ type: "Ready", status: ready, reason: ready === "True" ? "KubeletReady" : "KubeletNotReady", lastHeartbeatTime: now, lastTransitionTime: now }] } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
    );
  }
}

/** One access question for {@link reviewAccess}, as `kubectl auth can-i` asks it. */
export interface AccessQuestion {
  /** User name. */
  readonly user: string;
  /** The user's groups (a SubjectAccessReview does not look them up). @default [] */
  readonly groups?: readonly string[];
  /** Namespace; absent for cluster-scoped resources. */
  readonly namespace?: string;
  /** RBAC verb, e.g. `get`, `update`, `delete`. */
  readonly verb: string;
  /** API group, e.g. `subresources.kubevirt.io`; `""` for the core group. */
  readonly group: string;
  /** Resource, e.g. `virtualmachines`. */
  readonly resource: string;
  /** Subresource, e.g. `start`. */
  readonly subresource?: string;
  /** Object name; absent asks about every object. */
  readonly name?: string;
}

/**
 * Asks the API server's authorizer (RBAC) whether a user may do something,
 * with a `SubjectAccessReview` created by `kc` (an admin). Nothing is done
 * on the user's behalf, so it works for resources the server does not serve.
 */
export async function reviewAccess(kc: k8s.KubeConfig, question: AccessQuestion): Promise<boolean> {
  const authz = kc.makeApiClient(k8s.AuthorizationV1Api);
  const review = await authz.createSubjectAccessReview({
    body: {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: {
        user: question.user,
        groups: [...(question.groups ?? [])],
        resourceAttributes: {
          verb: question.verb,
          group: question.group,
          resource: question.resource,
          ...(question.namespace === undefined ? {} : { namespace: question.namespace }),
          ...(question.subresource === undefined ? {} : { subresource: question.subresource }),
          ...(question.name === undefined ? {} : { name: question.name }),
        },
      },
    },
  });
  return review.status?.allowed === true;
}

/** Provider settings that reach `cluster` as `user`, as stack config `vmpools:kubeconfig` would give them. */
export function clusterProviderSettings(cluster: TestCluster, user: TestUser = "admin"): ProviderSettings {
  return toProviderSettings((key) => (key === "kubeconfig" ? cluster.kubeconfig(user) : undefined), {});
}

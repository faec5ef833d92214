/**
 * Where every resource finds its backend: one client per backend kind, built
 * from the named connection the resource uses, and one backend per resource
 * and kind on top of it. Kubernetes connections (KubeVirt, VM-Operator) are
 * kept per kubeconfig content and process, and oVirt clients per connection;
 * both keys include the credentials, so a rotated one reaches the next
 * operation.
 */
import { ConfigurationError } from "../errors";
import { getConnection, type ProviderSettings } from "../config/settings";
import type { PoolPermissionInputs } from "../schemas/pool-permission";
import type { TrustedClusterInputs } from "../schemas/trusted-cluster";
import type { VmPoolInputs } from "../schemas/vm-pool";
import type { VmPoolBackend } from "./backend";
import { KubevirtClient, loadKubeConfig } from "./kubevirt/client";
import { toPooledKubeConfig, type PooledKubeConfig } from "./kubevirt/pooled-kube-config";
import { KubevirtBackend } from "./kubevirt/kubevirt-backend";
import { KubevirtPoolPermissionBackend } from "./kubevirt/kubevirt-permission-backend";
import { KubevirtTrustedClusterBackend } from "./kubevirt/kubevirt-trusted-cluster-backend";
import type { OvirtClient } from "./ovirt/client";
import { getCachedOvirtClient } from "./ovirt/client-cache";
import { OvirtBackend } from "./ovirt/ovirt-backend";
import { OvirtPoolPermissionBackend } from "./ovirt/ovirt-permission-backend";
import { OvirtTrustedClusterBackend } from "./ovirt/ovirt-trusted-cluster-backend";
import type { PoolPermissionBackend } from "./pool-permission-backend";
import type { TrustedClusterBackend } from "./trusted-cluster-backend";
import { VmoperatorClient } from "./vmoperator/client";
import { VmoperatorBackend } from "./vmoperator/vmoperator-backend";
import { VmoperatorPoolPermissionBackend } from "./vmoperator/vmoperator-permission-backend";

/** The process's Kubernetes connection for `vmpools:kubeconfig`/`context`, or a named connection (KubeVirt and VM-Operator alike). */
function getKubeConfig(settings: ProviderSettings, connection: string | undefined): PooledKubeConfig {
  return toPooledKubeConfig(loadKubeConfig(getConnection(settings, connection).kubernetes));
}

/** The KubeVirt client of a connection (`vmpools:kubeconfig`/`context`, or a named connection). */
export function getKubevirtClient(settings: ProviderSettings, connection: string | undefined): KubevirtClient {
  return new KubevirtClient(getKubeConfig(settings, connection));
}

/**
 * The oVirt client of a connection, one per connection and provider process
 * (kept across operations and resources, replaced when the engine refuses
 * its credentials), sharing the engine's limit of requests in flight
 * (`vmpools:ovirtMaxConcurrentRequests`); throws a {@link ConfigurationError}
 * naming what is missing.
 */
export function getOvirtClient(settings: ProviderSettings, connection: string | undefined): OvirtClient {
  const o = getConnection(settings, connection).ovirt;
  const missing = [o.url === undefined ? "ovirtUrl (OVIRT_URL)" : undefined, o.username === undefined ? "ovirtUsername (OVIRT_USERNAME)" : undefined, o.password === undefined ? "ovirtPassword (OVIRT_PASSWORD)" : undefined].filter((m) => m !== undefined);
  if (o.url === undefined || o.username === undefined || o.password === undefined) {
    throw new ConfigurationError(`the oVirt connection${connection === undefined ? "" : ` '${connection}'`} lacks ${missing.join(", ")}; set them with 'pulumi config set vmpools:<key>' (the password with --secret)`);
  }
  return getCachedOvirtClient({ url: o.url, username: o.username, password: o.password, caFile: o.caFile, insecure: o.insecure }, o.maxConcurrentRequests);
}

/** The VM-Operator client of a connection (the same Kubernetes settings as KubeVirt's). */
export function getVmoperatorClient(settings: ProviderSettings, connection: string | undefined): VmoperatorClient {
  return new VmoperatorClient(getKubeConfig(settings, connection));
}

/** The backend a pool lives on (its `backend.kind`, through its `backend.connection`). */
export function getVmPoolBackend(pool: Pick<VmPoolInputs, "backend">, settings: ProviderSettings): VmPoolBackend {
  switch (pool.backend.kind) {
    case "kubevirt":
      return new KubevirtBackend(getKubevirtClient(settings, pool.backend.connection));
    case "ovirt":
      return new OvirtBackend(getOvirtClient(settings, pool.backend.connection));
    case "vmoperator":
      return new VmoperatorBackend(getVmoperatorClient(settings, pool.backend.connection));
  }
}

/** The backend a trusted cluster lives on. */
export function getTrustedClusterBackend(cluster: Pick<TrustedClusterInputs, "backend">, settings: ProviderSettings): TrustedClusterBackend {
  switch (cluster.backend.kind) {
    case "kubevirt":
      return new KubevirtTrustedClusterBackend(getKubevirtClient(settings, cluster.backend.connection));
    case "ovirt":
      return new OvirtTrustedClusterBackend(getOvirtClient(settings, cluster.backend.connection));
  }
}

/** The backend a pool permission lives on: its pool's. */
export function getPoolPermissionBackend(permission: Pick<PoolPermissionInputs, "backend">, settings: ProviderSettings): PoolPermissionBackend {
  switch (permission.backend.kind) {
    case "kubevirt":
      return new KubevirtPoolPermissionBackend(getKubevirtClient(settings, permission.backend.connection));
    case "ovirt":
      return new OvirtPoolPermissionBackend(getOvirtClient(settings, permission.backend.connection));
    case "vmoperator":
      return new VmoperatorPoolPermissionBackend(getVmoperatorClient(settings, permission.backend.connection));
  }
}

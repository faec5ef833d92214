import { ConfigurationError } from "../errors";
import { getConnection, type ProviderSettings } from "../config/settings";
import type { BackendKind, VmPoolInputs } from "../schemas/vm-pool";
import type { VmPoolBackend } from "./backend";
import { KubevirtClient, loadKubeConfig } from "./kubevirt/client";
import { KubevirtBackend } from "./kubevirt/kubevirt-backend";
import { OvirtClient } from "./ovirt/client";
import { OvirtBackend } from "./ovirt/ovirt-backend";

type BackendFactory = (settings: ProviderSettings, connection: string | undefined) => VmPoolBackend;

/** One factory per backend kind; the Record type makes the list exhaustive. */
const FACTORIES: Record<BackendKind, BackendFactory> = {
  kubevirt: (settings, connection) => new KubevirtBackend(new KubevirtClient(loadKubeConfig(getConnection(settings, connection).kubernetes))),
  ovirt: (settings, connection) => {
    const o = getConnection(settings, connection).ovirt;
    const missing = [o.url === undefined ? "ovirtUrl (OVIRT_URL)" : undefined, o.username === undefined ? "ovirtUsername (OVIRT_USERNAME)" : undefined, o.password === undefined ? "ovirtPassword (OVIRT_PASSWORD)" : undefined].filter((m) => m !== undefined);
    if (o.url === undefined || o.username === undefined || o.password === undefined) {
      throw new ConfigurationError(`the oVirt connection${connection === undefined ? "" : ` '${connection}'`} lacks ${missing.join(", ")}; set them with 'pulumi config set vmpools:<key>' (the password with --secret)`);
    }
    return new OvirtBackend(new OvirtClient({ url: o.url, username: o.username, password: o.password, caFile: o.caFile, insecure: o.insecure }));
  },
};

/**
 * Builds the backend a pool lives on (its `backend.kind`, through its
 * `backend.connection`) from the provider settings. Clients are created per
 * call so a rotated credential is picked up by the next operation.
 */
export function getVmPoolBackend(pool: Pick<VmPoolInputs, "backend">, settings: ProviderSettings): VmPoolBackend {
  return FACTORIES[pool.backend.kind](settings, pool.backend.connection);
}

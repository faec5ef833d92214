import type { ProviderSettings } from "../config/settings";
import type { BackendKind } from "../schemas/vm-pool";
import type { VmPoolBackend } from "./backend";
import { KubevirtClient, loadKubeConfig } from "./kubevirt/client";
import { KubevirtBackend } from "./kubevirt/kubevirt-backend";

type BackendFactory = (settings: ProviderSettings) => VmPoolBackend;

/** One factory per backend kind; the Record type makes the list exhaustive. */
const FACTORIES: Record<BackendKind, BackendFactory> = {
  kubevirt: (settings) => new KubevirtBackend(new KubevirtClient(loadKubeConfig(settings.kubernetes))),
};

/**
 * Builds the backend for a pool's `backend.kind` from the provider settings.
 * Clients are created per call so a rotated credential is picked up by the
 * next operation.
 */
export function getVmPoolBackend(kind: BackendKind, settings: ProviderSettings): VmPoolBackend {
  return FACTORIES[kind](settings);
}

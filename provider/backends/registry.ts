import type { ProviderSettings } from "../config/settings";
import type { BackendKind } from "../schemas/vm-pool";
import type { VmPoolBackend } from "./backend";
import { KubevirtClient, loadKubeConfig } from "./kubevirt/client";
import { KubevirtBackend } from "./kubevirt/kubevirt-backend";

/**
 * Builds the backend for a pool's `backend.kind` from the provider settings.
 * Clients are created per call so a rotated credential is picked up by the
 * next operation.
 */
export function getVmPoolBackend(kind: BackendKind, settings: ProviderSettings): VmPoolBackend {
  switch (kind) {
    case "kubevirt":
      return new KubevirtBackend(new KubevirtClient(loadKubeConfig(settings.kubernetes)));
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown backend kind '${String(unreachable)}'`);
    }
  }
}

/**
 * The `VmPool` resource provider: the shared {@link SchemaResourceProvider}
 * with the pool's schema, defaults, diff and backends.
 */
import type { VmPoolState } from "./backends/backend";
import { getVmPoolBackend } from "./backends/registry";
import type { ProviderSettings } from "./config/settings";
import { diffVmPool } from "./diff/vm-pool-diff";
import type { NoticeSink } from "./preview-notices";
import { SchemaResourceProvider, type ResourceDefinition } from "./resource-provider";
import { applyVmPoolDefaults, vmPoolInputsSchema, type VmPoolInputs } from "./schemas/vm-pool";

/** What the provider needs to know about pools. */
export const VM_POOL_DEFINITION: ResourceDefinition<VmPoolInputs, VmPoolState> = {
  schema: vmPoolInputsSchema,
  applyDefaults: applyVmPoolDefaults,
  diff: diffVmPool,
  backend: getVmPoolBackend,
};

/** The `VmPool` resource provider. */
export class VmPoolProvider extends SchemaResourceProvider<VmPoolInputs, VmPoolState> {
  /** `notify` receives what preview says about a planned change (default: warnings in the CLI's output). */
  constructor(getSettings: () => ProviderSettings, notify?: NoticeSink) {
    super(VM_POOL_DEFINITION, getSettings, notify);
  }
}

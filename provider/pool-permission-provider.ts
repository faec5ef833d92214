/**
 * The `PoolPermission` resource provider: the shared
 * {@link SchemaResourceProvider} with the permission's schema, defaults,
 * diff and backends.
 */
import type { PoolPermissionState } from "./backends/pool-permission-backend";
import { getPoolPermissionBackend } from "./backends/registry";
import type { ProviderSettings } from "./config/settings";
import { diffPoolPermission } from "./diff/pool-permission-diff";
import { SchemaResourceProvider, type ResourceDefinition } from "./resource-provider";
import { applyPoolPermissionDefaults, poolPermissionInputsSchema, type PoolPermissionInputs } from "./schemas/pool-permission";

/** What the provider needs to know about pool permissions. */
export const POOL_PERMISSION_DEFINITION: ResourceDefinition<PoolPermissionInputs, PoolPermissionState> = {
  schema: poolPermissionInputsSchema,
  applyDefaults: applyPoolPermissionDefaults,
  diff: diffPoolPermission,
  backend: getPoolPermissionBackend,
};

/** The `PoolPermission` resource provider. */
export class PoolPermissionProvider extends SchemaResourceProvider<PoolPermissionInputs, PoolPermissionState> {
  constructor(getSettings: () => ProviderSettings) {
    super(POOL_PERMISSION_DEFINITION, getSettings);
  }
}

import type * as dynamic from "@pulumi/pulumi/dynamic";

import type { VmPoolState } from "./backends/backend";
import { getVmPoolBackend } from "./backends/registry";
import { checkInputs, findUnknownPaths } from "./check";
import type { ProviderSettings } from "./config/settings";
import { diffVmPool } from "./diff/vm-pool-diff";
import { applyVmPoolDefaults, vmPoolInputsSchema, type VmPoolInputs } from "./schemas/vm-pool";

/** Drops `__provider`, which the dynamic provider host adds to inputs and outputs; never ours to validate. */
function withoutHostKeys(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _serialized, ...rest } = props;
  return rest;
}

/** Parses inputs that `check()` already accepted; throws if they no longer parse (a bug, not user error). */
function toInputs(props: Record<string, unknown>): VmPoolInputs {
  return vmPoolInputsSchema.parse(withoutHostKeys(props));
}

function toState(props: Record<string, unknown>): VmPoolState {
  return props as unknown as VmPoolState;
}

/**
 * The `VmPool` resource provider: validation and diff here, every backend
 * call delegated to the backend chosen by `backend.kind`. It knows nothing of
 * KubeVirt or oVirt.
 */
export class VmPoolProvider implements dynamic.ResourceProvider<Record<string, unknown>, Record<string, unknown>> {
  constructor(private readonly getSettings: () => ProviderSettings) {}

  /**
   * Reports every problem in the inputs as a failure; never throws. Valid,
   * fully known inputs are then verified read-only against the backend
   * (references exist, a shrink is safe) unless `verifyReferences` is off;
   * nothing is ever changed here.
   */
  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult<Record<string, unknown>>> {
    const given = withoutHostKeys(news);
    const outcome = checkInputs(vmPoolInputsSchema, given);
    const inputs = applyVmPoolDefaults({ ...outcome.inputs }, given);
    const parsed = outcome.valid;
    if (parsed === undefined || findUnknownPaths(parsed).length > 0 || !this.getSettings().verifyReferences) {
      return { inputs, failures: outcome.failures };
    }
    const previous = vmPoolInputsSchema.safeParse(withoutHostKeys(olds));
    try {
      const backend = getVmPoolBackend(parsed, this.getSettings());
      const failures = (await backend.verify?.(parsed, previous.success ? previous.data : undefined)) ?? [];
      return { inputs, failures };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return {
        inputs,
        failures: [{ property: "backend", reason: `could not be verified against the ${parsed.backend.kind} backend (${message}); set 'vmpools:verifyReferences' to false to skip this check in previews without access to it` }],
      };
    }
  }

  /** Pure: compares the stored state with the checked inputs. */
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
    return diffVmPool(olds, news);
  }

  /** Creates the pool; on failure nothing is left behind unless the error carries the id. */
  async create(inputs: Record<string, unknown>): Promise<dynamic.CreateResult<Record<string, unknown>>> {
    const parsed = toInputs(inputs);
    const snapshot = await getVmPoolBackend(parsed, this.getSettings()).create(parsed);
    return { id: snapshot.id, outs: { ...snapshot.state } };
  }

  /** Reads the live pool; an empty result tells Pulumi it is gone. */
  async read(id: string, props: Record<string, unknown> | undefined): Promise<dynamic.ReadResult<Record<string, unknown>>> {
    if (props === undefined) {
      throw new Error("read needs the stored state: 'pulumi import' and get() do not work for dynamic resources (pulumi/pulumi#7534)");
    }
    const previous = toState(withoutHostKeys(props));
    const snapshot = await getVmPoolBackend(previous, this.getSettings()).read(id, previous);
    if (snapshot === undefined) {
      return {};
    }
    return { id: snapshot.id, props: { ...snapshot.state }, inputs: { ...snapshot.inputs } };
  }

  /** Changes the pool in place. */
  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult<Record<string, unknown>>> {
    const previous = toState(withoutHostKeys(olds));
    const parsed = toInputs(news);
    const snapshot = await getVmPoolBackend(parsed, this.getSettings()).update(id, previous, parsed);
    return { outs: { ...snapshot.state } };
  }

  /** Deletes the pool and waits until it is gone; not-found is success. */
  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const previous = toState(withoutHostKeys(props));
    await getVmPoolBackend(previous, this.getSettings()).delete(id, previous);
  }
}

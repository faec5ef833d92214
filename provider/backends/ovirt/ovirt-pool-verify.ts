/**
 * The read-only checks `check()` runs on an oVirt pool before anything
 * changes, so `preview` fails where `up` would fail half-way.
 */
import type { CheckFailure } from "../../check";
import { BackendError, type ErrorContext } from "../../errors";
import { calculateOvirtPoolCluster, type OvirtPoolInputs, type VmPoolInputs } from "../../schemas/vm-pool";
import type { OvirtClient } from "./client";
import type { ResolvedRefs } from "./mapping";
import { findOvirtPoolByName } from "./ovirt-pool-lookups";
import { resolveOvirtRefs, verifyOvirtTrustedPlacement } from "./ovirt-refs";
import { createHolderLookups, findOvirtVmHolders, listOvirtPoolVms, planOvirtShrink } from "./ovirt-usage";
import { describeVmSettingChanges, type VmForNotice } from "../../diff/vm-settings-notices";
import { resolveOvirtStartHosts } from "./ovirt-host-lookups";
import { verifyOvirtStorage } from "./ovirt-storage-lookups";
import { canEditOvirtPoolVms, findStaleVms } from "./ovirt-vm-settings";
import { findChangedSettings, listGivenSettings } from "./vm-settings-mapping";

/**
 * How long `check()` reuses a cluster and template it resolved. Pulumi
 * calls `check()` for one resource after the other, whatever `--parallel`
 * says, so a stack of 500 pools on one template would wait for 1000 engine
 * round trips before its first create. A minute of reuse within one
 * provider process makes that two; `create` and `update` still resolve
 * afresh before they write, so a template removed meanwhile is caught there.
 */
const REFS_REUSE_MS = 60_000;

/** Per client (one per connection and process): reference key -> when resolved, and the ids. */
const RESOLVED = new WeakMap<OvirtClient, Map<string, { at: number; refs: Promise<ResolvedRefs> }>>();

/** {@link resolveOvirtRefs}, reused for {@link REFS_REUSE_MS}; failures are not kept. */
function resolveRefsForCheck(client: OvirtClient, ctx: ErrorContext, inputs: OvirtPoolInputs): Promise<ResolvedRefs> {
  const key = JSON.stringify([calculateOvirtPoolCluster(inputs), inputs.backend.template, inputs.backend.templateVersion ?? null]);
  let known = RESOLVED.get(client);
  if (known === undefined) {
    known = new Map();
    RESOLVED.set(client, known);
  }
  const found = known.get(key);
  if (found !== undefined && Date.now() - found.at < REFS_REUSE_MS) {
    return found.refs;
  }
  const refs = resolveOvirtRefs(client, ctx, inputs);
  known.set(key, { at: Date.now(), refs });
  refs.catch(() => {
    if (known.get(key)?.refs === refs) {
      known.delete(key);
    }
  });
  return refs;
}

/**
 * The cluster and template must resolve, a pool placed in a trusted cluster
 * must land in that cluster with the trusted service on, and a shrink must
 * be possible without taking VMs in use. Returns failures; throws only when
 * the engine cannot be asked at all.
 */
export async function verifyOvirtPool(client: OvirtClient, ctx: ErrorContext, inputs: OvirtPoolInputs, previous: VmPoolInputs | undefined, notice?: (message: string) => void): Promise<CheckFailure[]> {
  let clusterId: string;
  try {
    clusterId = (await resolveRefsForCheck(client, ctx, inputs)).clusterId;
  } catch (err) {
    if (BackendError.isInstance(err) && err.status === 404) {
      return [{ property: err.message.includes(" cluster '") ? (inputs.backend.cluster === undefined ? "trustedCluster" : "backend.cluster") : "backend.template", reason: err.message }];
    }
    throw err;
  }
  const untrusted = await verifyOvirtTrustedPlacement(client, ctx, inputs, clusterId);
  if (untrusted !== undefined) {
    return [{ property: "trustedCluster", reason: untrusted }];
  }
  let hostRefs;
  try {
    hostRefs = await resolveOvirtStartHosts(client, ctx, inputs.backend.vm, clusterId);
  } catch (err) {
    if (BackendError.isInstance(err) && err.status === 404) {
      return [{ property: "backend.vm.host.startOn", reason: err.message }];
    }
    throw err;
  }
  const storage = await verifyOvirtStorage(client, ctx, inputs.backend.vm);
  if (storage.length > 0) {
    return storage;
  }
  if (previous?.backend.kind === "ovirt" && notice !== undefined) {
    if (inputs.backend.vm !== undefined && previous.backend.templateVersion !== inputs.backend.templateVersion) {
      notice(
        `VmPool '${inputs.name}': backend.templateVersion changes: the engine moves every pool VM to the new template version (a VM down at once, a running one at its next run) and re-creates it from that template, so its backend.vm settings fall back to the template's; ${canEditOvirtPoolVms(inputs) ? (inputs.backend.vmUpdatePolicy === "updateFreeVms" ? "'up' then writes them to the VMs down and free, and outputs name the others" : "outputs name the VMs without them; 'backend.vmUpdatePolicy: \"updateFreeVms\"' writes them to the VMs down and free") : "the engine lets no VM of this pool be edited (its initial run stores a password), so they stay so"}`,
      );
    }
    const r = (vm: typeof inputs.backend.vm): unknown[] => [vm?.resources?.storageDomain, vm?.resources?.diskProfile];
    if (JSON.stringify(r(previous.backend.vm)) !== JSON.stringify(r(inputs.backend.vm))) {
      notice(
        `VmPool '${inputs.name}': backend.vm.resources.storageDomain/diskProfile change no disk: the engine puts each pool VM disk where the template's disk is, with its profile there, for existing and new VMs alike; the VMs' outputs show where their disks are not on the declared domain`,
      );
    }
    const changed = findChangedSettings(previous.backend.vm, inputs.backend.vm);
    if (changed.length > 0 && !(canEditOvirtPoolVms(inputs) && canEditOvirtPoolVms({ ...inputs, backend: previous.backend }))) {
      notice(
        `VmPool '${inputs.name}': ${changed.map((s) => `backend.vm.${s}`).join(", ")} change${changed.length === 1 ? "s" : ""} by replacing the pool: its initial run stores a password, and the engine refuses every edit of such a stateless pool's VMs, while a grow copies an existing VM; put the password in 'sysprep.customFile' or 'cloudInit.customScript' to keep VMs editable`,
      );
    } else if (changed.length > 0) {
      const vms = await listOvirtPoolVms(client, ctx, inputs.name);
      const lookups = createHolderLookups();
      const seen: VmForNotice[] = [];
      for (const { vm, stale } of findStaleVms(vms, inputs, hostRefs)) {
        // Only VMs that keep an old value are asked about their users.
        const taken = stale.some((s) => changed.includes(s)) && (await findOvirtVmHolders(client, ctx, vm, lookups)).length > 0;
        seen.push({ name: vm.name, status: vm.status, taken, stale });
      }
      const declared = new Set(listGivenSettings(inputs.backend.vm).map(({ field }) => field.setting));
      const removed = changed.filter((setting) => !declared.has(setting));
      describeVmSettingChanges(inputs.name, changed, seen, inputs.backend.vmUpdatePolicy ?? "newVmsOnly", removed).forEach(notice);
    }
  }
  if (previous !== undefined && previous.backend.kind === "ovirt" && inputs.size < previous.size) {
    const current = await findOvirtPoolByName(client, ctx, inputs.name);
    if (current !== undefined && inputs.size < current.size) {
      const { refusal } = await planOvirtShrink(client, ctx, current, inputs);
      if (refusal !== undefined) {
        return [{ property: "size", reason: refusal }];
      }
    }
  }
  return [];
}

/**
 * Plays KubeVirt's pool controller (and the VM controller and HPA) on a bare
 * API server, which runs none: creates a pool's VMs and their VMIs as
 * virt-controller does (`scaleOut` in `pkg/virt-controller/watch/pool/pool.go`),
 * reports their states through the status subresource, removes VMs as a
 * scale-in does, and moves `replicas` through the `scale` subresource as a
 * HorizontalPodAutoscaler does.
 *
 * What virt-controller writes: VM `<pool>-<index>`, labels and annotations
 * copied from `spec.virtualMachineTemplate.metadata`, plus
 * `kubevirt.io/vm-pool-revision-name: <pool>-<generation>` on the VM and on
 * its instance template; the pool as controller owner; since 1.7 the
 * finalizer `pool.kubevirt.io/finalizer`; `dataVolumeTemplates` names
 * suffixed with `-<index>`. A VMI carries the instance template's labels
 * and the VM as controller owner.
 */
import * as k8s from "@kubernetes/client-node";

/** The pool label virt-controller adds to each VM and its instance template. */
export const REVISION_LABEL = "kubevirt.io/vm-pool-revision-name";
/** The finalizer virt-controller (1.7+) puts on each pool VM. */
export const POOL_FINALIZER = "pool.kubevirt.io/finalizer";

const MERGE = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);
const JSON_PATCH = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch);

/** The pool a simulated controller acts for. */
export interface SimulatedPool {
  /** Pool name. */
  readonly name: string;
  /** Namespace. @default "default" */
  readonly namespace?: string;
  /** Pool API version: `v1beta1` on 1.7+ (VMs get the pool finalizer), `v1alpha1` on 1.6. */
  readonly version: "v1beta1" | "v1alpha1";
}

/** One VM to create, and the state to report for it. */
export interface SimulatedVm {
  /** Its index: the VM is `<pool>-<index>`. */
  readonly index: number;
  /** Whether it runs (a VMI in phase Running exists). @default false */
  readonly running?: boolean;
  /** The node its VMI runs on. @default "node-a" when running */
  readonly node?: string;
  /** The printable status reported. @default "Running" when running, else "Stopped" */
  readonly printableStatus?: string;
  /** The Ready condition. @default same as running */
  readonly ready?: boolean;
}

interface PoolObject {
  metadata: { uid: string; generation?: number };
  spec: { virtualMachineTemplate: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> } };
}

/** A VM spec for index `index`, as `indexVMSpec` makes it (DataVolume names suffixed), with the revision label on its instance template. */
function toIndexedVmSpec(spec: Record<string, unknown>, index: number, revision: string): Record<string, unknown> {
  const copy = structuredClone(spec) as { template?: { metadata?: { labels?: Record<string, string> } }; dataVolumeTemplates?: { metadata: { name: string } }[] };
  const renamed = new Map<string, string>();
  for (const dv of copy.dataVolumeTemplates ?? []) {
    renamed.set(dv.metadata.name, `${dv.metadata.name}-${String(index)}`);
    dv.metadata.name = `${dv.metadata.name}-${String(index)}`;
  }
  const template = copy.template ?? {};
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [REVISION_LABEL]: revision } };
  const volumes = (template as { spec?: { volumes?: { persistentVolumeClaim?: { claimName: string }; dataVolume?: { name: string } }[] } }).spec?.volumes ?? [];
  for (const volume of volumes) {
    if (volume.persistentVolumeClaim !== undefined) {
      volume.persistentVolumeClaim.claimName = renamed.get(volume.persistentVolumeClaim.claimName) ?? volume.persistentVolumeClaim.claimName;
    }
    if (volume.dataVolume !== undefined) {
      volume.dataVolume.name = renamed.get(volume.dataVolume.name) ?? volume.dataVolume.name;
    }
  }
  return { ...copy, template };
}

/** Creates the pool's VMs (and, for running ones, VMIs) as the pool controller would, and reports their states. */
export async function createPoolVms(kc: k8s.KubeConfig, pool: SimulatedPool, vms: readonly SimulatedVm[]): Promise<void> {
  const namespace = pool.namespace ?? "default";
  const objects = kc.makeApiClient(k8s.CustomObjectsApi);
  const live = (await objects.getNamespacedCustomObject({ group: "pool.kubevirt.io", version: pool.version, namespace, plural: "virtualmachinepools", name: pool.name })) as PoolObject;
  const revision = `${pool.name}-${String(live.metadata.generation ?? 1)}`;
  const template = live.spec.virtualMachineTemplate;
  for (const vm of vms) {
    const name = `${pool.name}-${String(vm.index)}`;
    const spec = toIndexedVmSpec(template.spec, vm.index, revision);
    const created = (await objects.createNamespacedCustomObject({
      group: "kubevirt.io",
      version: "v1",
      namespace,
      plural: "virtualmachines",
      body: {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachine",
        metadata: {
          name,
          labels: { ...template.metadata?.labels, [REVISION_LABEL]: revision },
          ...(template.metadata?.annotations === undefined ? {} : { annotations: template.metadata.annotations }),
          ownerReferences: [{ apiVersion: `pool.kubevirt.io/${pool.version}`, kind: "VirtualMachinePool", name: pool.name, uid: live.metadata.uid, controller: true, blockOwnerDeletion: true }],
          ...(pool.version === "v1beta1" ? { finalizers: [POOL_FINALIZER] } : {}),
        },
        spec,
      },
    })) as { metadata: { uid: string } };
    const running = vm.running ?? false;
    const ready = vm.ready ?? running;
    const now = new Date().toISOString();
    await objects.patchNamespacedCustomObjectStatus(
      {
        group: "kubevirt.io",
        version: "v1",
        namespace,
        plural: "virtualmachines",
        name,
        body: { status: { printableStatus: vm.printableStatus ?? (running ? "Running" : "Stopped"), ready, created: running, conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: now }] } },
      },
      MERGE,
    );
    if (running) {
      const instance = spec["template"] as { metadata: { labels: Record<string, string> }; spec?: unknown };
      await objects.createNamespacedCustomObject({
        group: "kubevirt.io",
        version: "v1",
        namespace,
        plural: "virtualmachineinstances",
        body: {
          apiVersion: "kubevirt.io/v1",
          kind: "VirtualMachineInstance",
          metadata: {
            name,
            labels: instance.metadata.labels,
            ownerReferences: [{ apiVersion: "kubevirt.io/v1", kind: "VirtualMachine", name, uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
          spec: instance.spec ?? {},
          // A VMI has no status subresource: its status is written with it.
          status: { phase: "Running", nodeName: vm.node ?? "node-a", conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
        },
      });
    }
  }
}

/** Removes a pool VM as the controller's scale-in does: delete, then drop the pool finalizer so it goes. */
export async function removePoolVm(kc: k8s.KubeConfig, name: string, namespace = "default"): Promise<void> {
  const objects = kc.makeApiClient(k8s.CustomObjectsApi);
  const vm = { group: "kubevirt.io", version: "v1", namespace, plural: "virtualmachines", name };
  await objects.deleteNamespacedCustomObject(vm);
  await objects.patchNamespacedCustomObject({ ...vm, body: [{ op: "replace", path: "/metadata/finalizers", value: [] }] }, JSON_PATCH).catch(() => undefined);
  await objects.deleteNamespacedCustomObject({ ...vm, plural: "virtualmachineinstances" }).catch(() => undefined);
}

/** Starts deleting a pool VM without letting it go (its finalizer holds it), as a VM someone else deletes looks mid-way. */
export async function startDeletingPoolVm(kc: k8s.KubeConfig, name: string, namespace = "default"): Promise<void> {
  await kc.makeApiClient(k8s.CustomObjectsApi).deleteNamespacedCustomObject({ group: "kubevirt.io", version: "v1", namespace, plural: "virtualmachines", name });
}

/** Reports the pool's counts through its status subresource, as the controller does. */
export async function reportPoolStatus(kc: k8s.KubeConfig, pool: SimulatedPool, status: { replicas: number; readyReplicas: number }): Promise<void> {
  await kc.makeApiClient(k8s.CustomObjectsApi).patchNamespacedCustomObjectStatus(
    { group: "pool.kubevirt.io", version: pool.version, namespace: pool.namespace ?? "default", plural: "virtualmachinepools", name: pool.name, body: { status } },
    MERGE,
  );
}

/** Sets `spec.replicas` through the pool's scale subresource, as a HorizontalPodAutoscaler does. */
export async function scaleAsAutoscaler(kc: k8s.KubeConfig, pool: SimulatedPool, replicas: number): Promise<void> {
  await kc.makeApiClient(k8s.CustomObjectsApi).patchNamespacedCustomObjectScale(
    { group: "pool.kubevirt.io", version: pool.version, namespace: pool.namespace ?? "default", plural: "virtualmachinepools", name: pool.name, body: { spec: { replicas } } },
    MERGE,
  );
}

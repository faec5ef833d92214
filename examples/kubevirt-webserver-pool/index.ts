/**
 * Seed 004's web servers (the KubeVirt lab "VirtualMachine Pools"): a pool
 * of nginx VMs, each with its own disk cloned from `fedora-cloud-nginx-base`
 * and a shared cloud-init secret, scaled between 2 and 5 VMs by CPU use, as
 * the lab's HorizontalPodAutoscaler does. The autoscaler owns the pool's
 * size: `size` is only where the pool starts, and `currentSize` shows the
 * count now. `preview` says what a VM-template change does to the running
 * web servers (they restart, all at once unless `maxUnavailable` says
 * otherwise). The lab's Service (`kubevirt.io/vmpool: webserver`) is not
 * part of this example.
 *
 *   pulumi config set --secret vmpools:kubeconfig "$(cat ~/.kube/config)"
 *   pulumi config set namespace <user>     # where the base PVC and the secret are
 *   pulumi up
 *   pulumi config set cores 2              # a template change; preview says what it does
 *   pulumi preview
 */
import * as pulumi from "@pulumi/pulumi";
import { VmPool } from "pulumi-vmpools";

const config = new pulumi.Config();
const name = "webserver";
const namespace = config.get("namespace") ?? "default";
const poolLabel = { "kubevirt.io/vmpool": name };

const webservers = new VmPool(name, {
  // Where the pool starts; the autoscaler sizes it from then on.
  size: 2,
  backend: {
    kind: "kubevirt",
    namespace,
    autoscaling: { minReplicas: 2, maxReplicas: config.getNumber("maxReplicas") ?? 5, targetCPUUtilizationPercentage: 50 },
    virtualMachineTemplate: {
      metadata: { labels: poolLabel },
      spec: {
        running: true,
        template: {
          // The autoscaler finds the VMs' pods by these labels, as the Service does.
          metadata: { labels: poolLabel },
          spec: {
            domain: {
              cpu: { cores: config.getNumber("cores") ?? 1 },
              devices: {
                disks: [
                  { name: "datavolumedisk", disk: { bus: "virtio" } },
                  { name: "cloudinitdisk", disk: { bus: "virtio" } },
                ],
                interfaces: [{ name: "default", masquerade: {} }],
              },
              resources: { requests: { memory: "2Gi" } },
            },
            networks: [{ name: "default", pod: {} }],
            volumes: [
              { name: "datavolumedisk", persistentVolumeClaim: { claimName: `${name}-disk` } },
              { name: "cloudinitdisk", cloudInitNoCloud: { secretRef: { name: `${name}-cloudinit` } } },
            ],
          },
        },
        dataVolumeTemplates: [
          {
            metadata: { name: `${name}-disk` },
            spec: {
              pvc: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "6Gi" } } },
              source: { pvc: { namespace, name: "fedora-cloud-nginx-base" } },
            },
          },
        ],
      },
    },
  },
});

/** The pool's name, its size now (the autoscaler's), and its VMs with their states. */
export const poolName = webservers.name;
export const currentSize = webservers.currentSize;
export const vms = webservers.vms;

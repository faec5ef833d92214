/**
 * A lab of identical desktops on KubeVirt: a VirtualMachinePool whose size is
 * set in stack config. Credentials come from `vmpools:kubeconfig` (a path or
 * the document, set as a secret) or from KUBECONFIG, never from the program.
 *
 *   pulumi config set labSize 10
 *   pulumi config set --secret vmpools:kubeconfig "$(cat ~/.kube/lab-admin.yaml)"
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { VmPool } from "pulumi-vmpools";

const config = new pulumi.Config();

const lab = new VmPool("classroom", {
  size: config.getNumber("labSize") ?? 3,
  backend: {
    kind: "kubevirt",
    namespace: config.get("namespace") ?? "default",
    virtualMachineTemplate: {
      metadata: { labels: { app: "classroom-desktop" } },
      spec: {
        // Desktops stay off until a student starts one.
        runStrategy: "Halted",
        template: {
          spec: {
            domain: {
              cpu: { cores: 2 },
              resources: { requests: { memory: "4Gi" } },
              devices: { disks: [{ name: "root", disk: { bus: "virtio" } }] },
            },
            volumes: [{ name: "root", containerDisk: { image: "quay.io/containerdisks/fedora:latest" } }],
          },
        },
      },
    },
  },
});

/** The pool's name and how many of its VMs are ready. */
export const poolName = lab.name;
export const readyDesktops = lab.readyVmCount;

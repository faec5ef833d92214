/* eslint-disable @typescript-eslint/no-require-imports -- the shim must load the runtime with a require() inside each method: Pulumi's closure serializer never captures require(), so the runtime is resolved when the provider runs, by package name, from the program's folder. */
import type * as dynamic from "@pulumi/pulumi/dynamic";

import type { ResourceKind } from "./runtime";

type Runtime = typeof import("./runtime");
type Props = Record<string, unknown>;

/**
 * The object Pulumi serializes into state as `__provider` for every
 * resource of one kind. It captures only the kind's name: no logic, no
 * settings, no credentials and no path of this machine. Each method loads the
 * implementation at run time, so state written from one checkout works from
 * another, and fixes to the provider need no state rewrite.
 *
 * Keep every method self-contained: anything referenced from module scope
 * would be serialized by value into state.
 */
export function createProviderShim(kind: ResourceKind): dynamic.ResourceProvider<Props, Props> {
  return {
    async configure(req: dynamic.ConfigureRequest): Promise<void> {
      const runtime = require("pulumi-vmpools/runtime") as Runtime;
      runtime.configure((key) => req.config.get(`vmpools:${key}`));
    },
    async check(olds: Props, news: Props): Promise<dynamic.CheckResult<Props>> {
      return (require("pulumi-vmpools/runtime") as Runtime).getResourceProvider(kind).check(olds, news);
    },
    async diff(id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
      return (require("pulumi-vmpools/runtime") as Runtime).getResourceProvider(kind).diff(id, olds, news);
    },
    async create(inputs: Props): Promise<dynamic.CreateResult<Props>> {
      return (require("pulumi-vmpools/runtime") as Runtime).getResourceProvider(kind).create(inputs);
    },
    async read(id: string, props?: Props): Promise<dynamic.ReadResult<Props>> {
      return (require("pulumi-vmpools/runtime") as Runtime).getResourceProvider(kind).read(id, props);
    },
    async update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult<Props>> {
      return (require("pulumi-vmpools/runtime") as Runtime).getResourceProvider(kind).update(id, olds, news);
    },
    async delete(id: string, props: Props): Promise<void> {
      return (require("pulumi-vmpools/runtime") as Runtime).getResourceProvider(kind).delete(id, props);
    },
  };
}

// PLACEHOLDER (issue #10): replaced by the real backend before this is committed.
import type { OvirtClient } from "./client";
import type { PoolPermissionBackend } from "../pool-permission-backend";

export class OvirtPoolPermissionBackend implements PoolPermissionBackend {
  constructor(private readonly client: OvirtClient) {}
  create(): never { throw new Error(`not implemented ${String(this.client)}`); }
  read(): never { throw new Error("not implemented"); }
  update(): never { throw new Error("not implemented"); }
  delete(): never { throw new Error("not implemented"); }
}

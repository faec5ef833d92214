// PLACEHOLDER (issue #10): replaced by the real backend before this is committed.
import type { KubevirtClient } from "./client";
import type { TrustedClusterBackend } from "../trusted-cluster-backend";

export class KubevirtTrustedClusterBackend implements TrustedClusterBackend {
  constructor(private readonly client: KubevirtClient) {}
  create(): never { throw new Error(`not implemented ${String(this.client)}`); }
  read(): never { throw new Error("not implemented"); }
  update(): never { throw new Error("not implemented"); }
  delete(): never { throw new Error("not implemented"); }
}

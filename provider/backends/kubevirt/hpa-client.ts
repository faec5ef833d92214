/**
 * A thin client for the HorizontalPodAutoscaler (`autoscaling/v2`) a pool's
 * `autoscaling` creates. Errors are translated at this boundary. Reads and
 * deletes guarded by `uid` are retried on 5xx, 429 and dropped connections;
 * creates and replaces are not (a create may have run; a replace carries a
 * `resourceVersion` that must be read again).
 */
import * as k8s from "@kubernetes/client-node";

import { BackendError, NotFoundError, type ErrorContext } from "../../errors";
import { withRetry } from "../retry";
import { toBackendError, type KubevirtClient } from "./client";

/** HorizontalPodAutoscalers of one namespace at a time. */
export class KubevirtHpaClient {
  private readonly autoscaling: k8s.AutoscalingV2Api;

  constructor(private readonly base: KubevirtClient) {
    this.autoscaling = base.makeApiClient(k8s.AutoscalingV2Api);
  }

  /** Reads an autoscaler; undefined when there is none of that name. */
  async tryGet(context: ErrorContext, namespace: string, name: string): Promise<k8s.V2HorizontalPodAutoscaler | undefined> {
    try {
      return await withRetry(this.base.retryPolicy, async () => {
        try {
          return await this.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace });
        } catch (err) {
          throw toBackendError(context, err);
        }
      });
    } catch (err) {
      if (NotFoundError.isInstance(err)) {
        return undefined;
      }
      throw err;
    }
  }

  /** Creates an autoscaler; a 409 means one of that name exists already. */
  async create(context: ErrorContext, namespace: string, body: k8s.V2HorizontalPodAutoscaler): Promise<k8s.V2HorizontalPodAutoscaler> {
    try {
      return await this.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body, fieldValidation: "Strict" });
    } catch (err) {
      throw toBackendError(context, err);
    }
  }

  /** Replaces an autoscaler's spec; `body.metadata.resourceVersion` makes the server refuse (409) a stale write. */
  async replace(context: ErrorContext, namespace: string, body: k8s.V2HorizontalPodAutoscaler): Promise<k8s.V2HorizontalPodAutoscaler> {
    try {
      return await this.autoscaling.replaceNamespacedHorizontalPodAutoscaler({ name: body.metadata?.name ?? "", namespace, body, fieldValidation: "Strict" });
    } catch (err) {
      throw toBackendError(context, err);
    }
  }

  /** Deletes exactly the autoscaler with `uid`; not-found and a name now taken by another object (409) are success. */
  async delete(context: ErrorContext, namespace: string, name: string, uid: string): Promise<void> {
    try {
      await withRetry(this.base.retryPolicy, async () => {
        try {
          await this.autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name, namespace, body: { preconditions: { uid } } });
        } catch (err) {
          const translated = toBackendError(context, err);
          // A failed uid precondition is a 409 too, and must not be retried.
          throw translated.status === 409 ? new BackendError(context, translated.message.replace(/^.*? failed: /, ""), { status: 409, retryable: false, cause: err }) : translated;
        }
      });
    } catch (err) {
      if (NotFoundError.isInstance(err) || (BackendError.isInstance(err) && err.status === 409)) {
        return;
      }
      throw err;
    }
  }
}

/**
 * Whether a namespace exists, for the `preview` checks of every Kubernetes
 * backend (KubeVirt and VM-Operator). A namespace seen to exist is not asked
 * again by the same provider process (a preview of many pools asks once); a
 * missing one is, since the program may be about to create it.
 */
import type * as k8s from "@kubernetes/client-node";

import { BackendError, NotFoundError, type ErrorContext } from "../../errors";
import { withRetry, type RetryPolicy } from "../retry";
import { toBackendError } from "./client";

const EXISTING_NAMESPACES = new Set<string>();

/**
 * Whether `namespace` exists on the API server at `server`; undefined when
 * the user may not read namespaces (RBAC), which is common and not an error.
 */
export async function checkNamespaceExists(core: k8s.CoreV1Api, server: string, retry: RetryPolicy, context: ErrorContext, namespace: string): Promise<boolean | undefined> {
  const key = `${server}|${namespace}`;
  if (EXISTING_NAMESPACES.has(key)) {
    return true;
  }
  try {
    await withRetry(retry, async () => {
      try {
        await core.readNamespace({ name: namespace });
      } catch (err) {
        throw toBackendError(context, err);
      }
    });
    EXISTING_NAMESPACES.add(key);
    return true;
  } catch (err) {
    if (NotFoundError.isInstance(err)) {
      return false;
    }
    if (BackendError.isInstance(err) && err.status === 403) {
      return undefined;
    }
    throw err;
  }
}

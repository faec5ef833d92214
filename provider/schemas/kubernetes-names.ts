/**
 * Kubernetes names, label keys and label values as the API server accepts
 * them, shared by every schema that writes them.
 */
import { z } from "zod";

/** DNS-1123 label: namespaces, pool names, and every VM name `<pool>-<index>`. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A label key, with an optional DNS-subdomain prefix, e.g. `app` or `example.com/app`. */
export const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A label value: empty, or letters, digits, `-`, `_` and `.`, starting and ending alphanumeric. */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A label key, with the message `check()` shows when it is not one. */
export const labelKeySchema = z.string().regex(LABEL_KEY, "must be a Kubernetes label key such as 'app' or 'example.com/app'");

/** A label value (at most 63 characters), with the message `check()` shows when it is not one. */
export const labelValueSchema = z
  .string()
  .max(63, "must be at most 63 characters (a Kubernetes label value)")
  .regex(LABEL_VALUE, "must be a Kubernetes label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit");

/** A namespace name. */
export const namespaceSchema = z.string().regex(DNS_LABEL, "must be a Kubernetes namespace name (a DNS-1123 label)").max(63, "must be at most 63 characters");

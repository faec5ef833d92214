/**
 * Typed errors raised at the backend boundary. The provider code runs
 * deserialized inside Pulumi's dynamic-provider host, where `instanceof`
 * across module copies is not reliable, so each error carries a brand field
 * and a static `isInstance` that checks it.
 */

/** The backends errors can come from. */
export type ErrorBackend = "kubevirt" | "ovirt" | "vmoperator";

/** Where an error happened: which pool, on which backend, doing what. */
export interface ErrorContext {
  /** Backend the call went to. */
  readonly backend: ErrorBackend;
  /** Provider operation, e.g. `create`, `read`, `update`, `delete`. */
  readonly operation: string;
  /** Pool (or other resource) the call was about, e.g. `default/lab`. */
  readonly resource: string;
}

const BACKEND_ERROR_BRAND = "__vmpoolsBackendError";

/**
 * A backend call failed. `status` is the HTTP status when there was one;
 * `retryable` says whether the same call may succeed later (5xx, 429,
 * conflicts of concurrent operations, dropped connections).
 */
export class BackendError extends Error {
  /** Brand checked by {@link BackendError.isInstance}. */
  public readonly [BACKEND_ERROR_BRAND] = true;
  /** Backend, operation and resource. */
  public readonly context: ErrorContext;
  /** HTTP status, or undefined when no response arrived. */
  public readonly status: number | undefined;
  /** Whether retrying the same call may succeed. */
  public readonly retryable: boolean;

  constructor(context: ErrorContext, message: string, options: { status?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(`${context.backend} ${context.operation} of ${context.resource} failed: ${message}`, { cause: options.cause });
    this.name = "BackendError";
    this.context = context;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }

  /** Whether `value` is a {@link BackendError}, even from another copy of this module. */
  static isInstance(value: unknown): value is BackendError {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[BACKEND_ERROR_BRAND] === true;
  }
}

const NOT_FOUND_BRAND = "__vmpoolsNotFoundError";

/** The object asked for does not exist on the backend. */
export class NotFoundError extends BackendError {
  /** Brand checked by {@link NotFoundError.isInstance}. */
  public readonly [NOT_FOUND_BRAND] = true;

  constructor(context: ErrorContext, message: string, options: { cause?: unknown } = {}) {
    super(context, message, { status: 404, retryable: false, cause: options.cause });
    this.name = "NotFoundError";
  }

  /** Whether `value` is a {@link NotFoundError}, even from another copy of this module. */
  static override isInstance(value: unknown): value is NotFoundError {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[NOT_FOUND_BRAND] === true;
  }
}

const CONFIG_BRAND = "__vmpoolsConfigurationError";

/** The provider's connection configuration is missing or wrong. */
export class ConfigurationError extends Error {
  /** Brand checked by {@link ConfigurationError.isInstance}. */
  public readonly [CONFIG_BRAND] = true;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ConfigurationError";
  }

  /** Whether `value` is a {@link ConfigurationError}, even from another copy of this module. */
  static isInstance(value: unknown): value is ConfigurationError {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[CONFIG_BRAND] === true;
  }
}

const INIT_BRAND = "__vmpoolsPoolInitError";

/**
 * The pool exists but did not become ready (some VMs failed, or a deadline
 * passed). It carries the pool's `id`, so Pulumi records the pool in state
 * instead of losing track of it, and retries on the next `up`.
 */
export class PoolInitError extends Error {
  /** Brand checked by {@link PoolInitError.isInstance}. */
  public readonly [INIT_BRAND] = true;

  constructor(
    /** The pool's id: read by Pulumi's dynamic provider host. */
    public readonly id: string,
    /** The pool's state as far as it is known: read by the host. */
    public readonly properties: Record<string, unknown>,
    /** Why the pool is not ready: read by the host. */
    public readonly reasons: string[],
  ) {
    super(reasons.join("; "));
    this.name = "PoolInitError";
  }

  /** Whether `value` is a {@link PoolInitError}, even from another copy of this module. */
  static isInstance(value: unknown): value is PoolInitError {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[INIT_BRAND] === true;
  }
}

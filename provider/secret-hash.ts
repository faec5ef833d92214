/**
 * Credentials of a pool's initial run (`backend.vm.initialRun`) never stay in
 * the provider's outputs: each is replaced by a salted SHA-256, enough to
 * tell whether a later program gives the same value (so the diff shows no
 * change) and useless for recovering it. The inputs Pulumi stores hold the
 * value as a secret (encrypted), since `VmPool` marks these fields secret.
 */
import { createHash, randomBytes } from "node:crypto";

import { getAtPath } from "./diff/input-diff";
import { INITIAL_RUN_SECRET_PATHS } from "./schemas/ovirt-initial-run";

/** Prefix of a stored hash: `vmpools-sha256:<salt hex>:<digest hex>`. */
export const SECRET_HASH_PREFIX = "vmpools-sha256:";

/** Where the credentials sit in a pool's inputs. */
export const POOL_SECRET_PATHS: readonly (readonly string[])[] = INITIAL_RUN_SECRET_PATHS.map((path) => ["backend", "vm", "initialRun", ...path]);

/** Whether `value` is a stored hash rather than a credential. */
export function isSecretHash(value: unknown): value is string {
  return typeof value === "string" && /^vmpools-sha256:[0-9a-f]{32}:[0-9a-f]{64}$/.test(value);
}

/** The salted hash of `value`; a fresh random salt unless one is given. Example: `hashSecret("pw", "00..")` -> `vmpools-sha256:00..:<hex>`. */
export function hashSecret(value: string, salt: string = randomBytes(16).toString("hex")): string {
  return `${SECRET_HASH_PREFIX}${salt}:${createHash("sha256").update(`${salt}:${value}`).digest("hex")}`;
}

/** Whether `given` (a credential or a stored hash) is the value `stored` (a hash or a credential) stands for. */
export function isSameSecret(stored: unknown, given: unknown): boolean {
  if (stored === given) {
    return true;
  }
  if (isSecretHash(stored) && typeof given === "string" && !isSecretHash(given)) {
    const salt = stored.slice(SECRET_HASH_PREFIX.length, SECRET_HASH_PREFIX.length + 32);
    return hashSecret(given, salt) === stored;
  }
  if (isSecretHash(given) && typeof stored === "string" && !isSecretHash(stored)) {
    return isSameSecret(given, stored);
  }
  return false;
}

function withValueAt(value: unknown, path: readonly string[], replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) {
    return replace(value);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return value;
  }
  const [key = "", ...rest] = path;
  const record = value as Record<string, unknown>;
  if (!(key in record)) {
    return value;
  }
  return { ...record, [key]: withValueAt(record[key], rest, replace) };
}

/**
 * A copy of a pool's state or inputs with every credential replaced by its
 * salted hash (a hash already there stays). Example: `{backend: {vm:
 * {initialRun: {sysprep: {adminPassword: "pw"}}}}}` -> `... adminPassword:
 * "vmpools-sha256:..."`.
 */
export function hashPoolSecrets<T>(props: T): T {
  let result: unknown = props;
  for (const path of POOL_SECRET_PATHS) {
    result = withValueAt(result, path, (old) => (typeof old === "string" && !isSecretHash(old) ? hashSecret(old) : old));
  }
  return result as T;
}

/**
 * `olds` with each stored hash replaced by the new credential it matches,
 * so a diff of the two sees no change where the credential did not change.
 */
export function resolveSecretHashes(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, unknown> {
  let result: unknown = olds;
  for (const path of POOL_SECRET_PATHS) {
    const given = getAtPath(news, path);
    result = withValueAt(result, path, (old) => (isSameSecret(old, given) ? given : old));
  }
  return result as Record<string, unknown>;
}

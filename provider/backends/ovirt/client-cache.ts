/**
 * One oVirt client per connection and provider process. Pulumi runs every
 * dynamic resource of a stack in one provider process and calls it once per
 * step (check, create, read, update, delete): a client per call would log in
 * through SSO and open a new TLS connection every time, twice per pool and
 * `up`. A cached client keeps its token and its connections; it is replaced
 * when the engine refused its credentials, and a changed credential, URL or
 * CA file is another connection, so rotated credentials reach the next
 * operation. Every client of one engine shares that engine's request limiter.
 */
import { createHash } from "node:crypto";

import { DEFAULT_RETRY } from "../retry";
import { OvirtClient, type OvirtConnection } from "./client";
import { getRequestLimiter } from "./request-limiter";

const CLIENTS = new Map<string, OvirtClient>();

/** The cache key of a connection: a digest, so no password is kept as a key. */
function toConnectionKey(connection: OvirtConnection): string {
  const { url, username, password, caFile, insecure } = connection;
  return createHash("sha256").update(JSON.stringify([url, username, password, caFile ?? null, insecure])).digest("hex");
}

/** The engine's origin for its request limiter; undefined for a URL the client itself will refuse. */
function toOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The process's client for `connection`, created on first use, or anew
 * when the cached one's credentials were refused. `maxConcurrentRequests`
 * sets the engine's shared limit of requests in flight.
 */
export function getCachedOvirtClient(connection: OvirtConnection, maxConcurrentRequests: number): OvirtClient {
  const key = toConnectionKey(connection);
  const origin = toOrigin(connection.url);
  const limiter = origin === undefined ? undefined : getRequestLimiter(origin, maxConcurrentRequests);
  const cached = CLIENTS.get(key);
  if (cached?.usable === true) {
    return cached;
  }
  // Calls still running on a refused client fail on their own; new ones get a fresh client.
  CLIENTS.delete(key);
  const client = new OvirtClient(connection, DEFAULT_RETRY, limiter);
  CLIENTS.set(key, client);
  return client;
}

/** Closes and forgets every cached client (tests, and long-lived hosts reconfiguring). */
export function clearOvirtClientCache(): void {
  for (const client of CLIENTS.values()) {
    client.close();
  }
  CLIENTS.clear();
}

/**
 * Two runtime exports of `@pulumi/policy` 1.21.0 whose declarations its
 * typings strip (`proxy.d.ts` is empty): `unknownCheckingProxy`, with which
 * the policy server wraps every resource's props, and `UnknownValueError`,
 * which that proxy throws on a value unknown during preview. Typed here once.
 */
import * as policySdk from "@pulumi/policy";

/** The untyped part of `@pulumi/policy`'s exports. */
interface ProxyExports {
  /** Wraps props so that reading an unknown value throws {@link UnknownValueError}. */
  unknownCheckingProxy: <T extends object>(props: T) => T;
  /** What the proxy throws on an unknown value. */
  UnknownValueError: abstract new (...args: never[]) => Error;
}

const proxyExports = policySdk as unknown as ProxyExports;

/** The policy server's props proxy (see the module comment). */
export const unknownCheckingProxy: ProxyExports["unknownCheckingProxy"] = proxyExports.unknownCheckingProxy;
/** The error the props proxy throws on an unknown value. */
export const UnknownValueError: ProxyExports["UnknownValueError"] = proxyExports.UnknownValueError;

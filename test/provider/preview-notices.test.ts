import { afterEach, describe, expect, it, vi } from "vitest";

import { z } from "zod";

import type { CheckFailure } from "../../provider/check";
import { findEngineAddress, showPreviewNotices } from "../../provider/preview-notices";
import { SchemaResourceProvider, type ResourceDefinition } from "../../provider/resource-provider";
import { toProviderSettings } from "../../provider/config/settings";

describe("findEngineAddress", () => {
  it.each([
    // The dynamic provider host, as the engine starts it.
    { argv: ["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "127.0.0.1:37769"], address: "127.0.0.1:37769" },
    { argv: ["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "localhost:5000"], address: "localhost:5000" },
    { argv: ["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "[::1]:5000"], address: "[::1]:5000" },
    // Anything else: tests, the language host, a host started without an engine.
    { argv: ["node", "/p/node_modules/vitest/vitest.mjs", "run"], address: undefined },
    { argv: ["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"], address: undefined },
    { argv: ["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "--flag"], address: undefined },
  ])("$argv.1 $argv.2 -> $address", ({ argv, address }) => {
    expect(findEngineAddress(argv)).toBe(address);
  });
});

describe("showPreviewNotices outside the dynamic provider host", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("writes each message to stderr as a warning, which the engine shows for a plugin", async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    await showPreviewNotices(["VmPool default/web: shrinking from 3 to 2 VMs removes web-2 (Running)", "second"]);
    expect(written).toEqual(["warning: VmPool default/web: shrinking from 3 to 2 VMs removes web-2 (Running)\n", "warning: second\n"]);
  });
});

describe("SchemaResourceProvider.check with a backend's notices", () => {
  const schema = z.strictObject({ size: z.number(), backend: z.strictObject({ kind: z.literal("fake") }) });
  type Inputs = z.infer<typeof schema>;
  /** A backend whose verify notes the planned size and fails on a size of 0. */
  const definition = (): ResourceDefinition<Inputs, Inputs> => ({
    schema,
    applyDefaults: (raw) => raw,
    diff: () => ({ changes: false, replaces: [], deleteBeforeReplace: false }),
    backend: () => ({
      create: () => Promise.reject(new Error("unused")),
      read: () => Promise.reject(new Error("unused")),
      update: () => Promise.reject(new Error("unused")),
      delete: () => Promise.reject(new Error("unused")),
      verify: async (inputs: Inputs, _previous: Inputs | undefined, notice?: (message: string) => void): Promise<CheckFailure[]> => {
        notice?.(`size becomes ${String(inputs.size)}`);
        return inputs.size === 0 ? [{ property: "size", reason: "must not be 0" }] : [];
      },
    }),
  });

  it.each([
    { label: "shows the notices of a change that may go ahead", size: 3, failures: [], shown: [["size becomes 3"]] },
    // A failed preview says why it failed; what would have happened is moot.
    { label: "holds them back when verify fails", size: 0, failures: [{ property: "size", reason: "must not be 0" }], shown: [] },
  ])("$label", async ({ size, failures, shown }) => {
    const delivered: (readonly string[])[] = [];
    const provider = new SchemaResourceProvider(
      definition(),
      () => toProviderSettings(() => undefined, {}),
      async (messages) => {
        if (messages.length > 0) {
          delivered.push(messages);
        }
      },
    );
    const result = await provider.check({}, { size, backend: { kind: "fake" } });
    expect([result.failures, delivered]).toEqual([failures, shown]);
  });
});

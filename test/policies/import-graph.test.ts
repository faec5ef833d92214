/**
 * The pack depends on nothing backend-specific: walking the modules its
 * entry point loads at run time (imports TypeScript keeps when it compiles,
 * so type-only ones do not count) reaches schemas, named rules and type
 * tokens, never a backend, a client or the runtime, and only packages the
 * published package depends on.
 */
import * as fs from "node:fs";
import * as path from "node:path";

import ts from "typescript";
import { describe, expect, it } from "vitest";

import { REPO_ROOT } from "../harness/tools";

/**
 * The modules a compiled file requires when it loads: `require()` calls
 * outside any function. A `require()` inside a function (the provider shim
 * loads `pulumi-vmpools/runtime` so, when a provider method runs) is not
 * loaded by importing the file.
 */
function findRuntimeImports(file: string): string[] {
  const output = ts.transpileModule(fs.readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: false },
  }).outputText;
  const compiled = ts.createSourceFile(`${file}.js`, output, ts.ScriptTarget.ES2023);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) {
      return;
    }
    const [argument] = ts.isCallExpression(node) ? node.arguments : [];
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require" && argument !== undefined && ts.isStringLiteral(argument)) {
      found.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(compiled, visit);
  return found;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidate = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
  if (candidate === undefined) {
    throw new Error(`cannot resolve ${specifier} from ${from}`);
  }
  return candidate;
}

/** Every repository file and package reached from `entry` at run time. */
function walkRuntimeGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (files.has(file)) {
      continue;
    }
    files.add(file);
    for (const specifier of findRuntimeImports(file)) {
      if (specifier.startsWith(".")) {
        queue.push(resolveLocal(file, specifier));
      } else {
        // "@scope/name/sub" -> "@scope/name"; "name/sub" -> "name".
        packages.add(specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/"));
      }
    }
  }
  return { files: [...files].map((f) => path.relative(REPO_ROOT, f)).sort(), packages: [...packages].sort() };
}

describe("the pack's import graph", () => {
  const graph = walkRuntimeGraph(path.join(REPO_ROOT, "policies", "index.ts"));

  it("reaches the provider's schemas, rules and type tokens only: no backend, client or runtime", () => {
    // The resource modules hold the type tokens; loading one loads the shim's text, whose
    // require("pulumi-vmpools/runtime") runs only inside a provider method.
    const allowed = ["provider/check.ts", "provider/vm-pool.ts", "provider/trusted-cluster.ts", "provider/pool-permission.ts", "provider/provider-shim.ts"];
    const provider = graph.files.filter((f) => f.startsWith("provider/"));
    expect(provider.filter((f) => !f.startsWith("provider/schemas/") && !allowed.includes(f))).toEqual([]);
    expect(provider).toEqual(expect.arrayContaining(["provider/schemas/vm-pool.ts", "provider/schemas/pool-rules.ts", "provider/schemas/ovirt-rules.ts", "provider/vm-pool.ts"]));
    expect(graph.files.filter((f) => /backends\/|runtime\/|client|sandbox\//.test(f))).toEqual([]);
  });

  it("needs only packages the published package depends on", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(graph.packages).toEqual(["@pulumi/policy", "@pulumi/pulumi", "zod"]);
    for (const name of graph.packages) {
      expect(manifest.dependencies).toHaveProperty([name]);
    }
  });

  it("keeps the policy server out of the modules tests import", () => {
    const fromPack = walkRuntimeGraph(path.join(REPO_ROOT, "policies", "pack.ts"));
    expect(fromPack.files).not.toContain("policies/index.ts");
  });
});

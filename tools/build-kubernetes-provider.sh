#!/usr/bin/env bash
# Builds pulumi-resource-kubernetes, the plugin behind @pulumi/kubernetes, for
# the benchmark only (`npm run bench` compares our VmPool with the same objects
# as @pulumi/kubernetes CustomResources). No registry ships the plugin
# ready-made and the CLI would download it from GitHub, so it is built with Go
# from the Go module proxy like setup's tools, cached by version outside the
# clone, and linked into .tools/bench/ (not .tools/bin, so no test or example
# ever picks it up from PATH). The tests never need it; setup does not build it.
#
# The proxy serves provider/v4 only as the pseudo-version in
# tools/toolchain/pulumi-kubernetes/go.mod (2026-01-15); the plugin is stamped
# with the version of the @pulumi/kubernetes npm package, which asks the
# engine for that version. CustomResource, all the benchmark uses, is
# generic code in both.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
cache="${VMPOOLS_TOOLS_CACHE:-$HOME/.cache/pulumi-vmpools/tools}"
wrapper="$repo/tools/toolchain/pulumi-kubernetes"
name=pulumi-resource-kubernetes
version="$("$repo/.tools/bin/node" -p 'require("@pulumi/kubernetes/package.json").version')"
module_version="$(sed -n 's|^require github.com/pulumi/pulumi-kubernetes/provider/v4 \(.*\)$|\1|p' "$wrapper/go.mod")"
dest="$cache/$name-v$version-$module_version/bin"
mkdir -p "$repo/.tools/bench"
log() { printf '[bench tools] %s\n' "$*"; }

if [[ -x "$dest/$name" ]]; then
  log "$name $version: cached in $dest"
else
  command -v go >/dev/null 2>&1 || { echo "Go is needed to build $name for the benchmark" >&2; exit 1; }
  log "$name $version ($module_version): building with $(go version | cut -d' ' -f3); first run only, about 10 minutes on 2 cores"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cp "$wrapper/go.mod" "$wrapper/go.sum" "$wrapper/main.go" "$work/"
  cd "$work"
  go mod download github.com/pulumi/pulumi-kubernetes/provider/v4
  upstream="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)/cmd/$name"
  # What upstream's Makefile generates before its build: the schema with its version set.
  "$repo/.tools/bin/node" -e '
    const fs = require("node:fs");
    const [dir, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(dir + "/schema.json", "utf8"));
    schema.version = version;
    fs.writeFileSync("schema-embed.json", JSON.stringify(schema));
    fs.writeFileSync("terraform-mapping-embed.json", JSON.stringify(JSON.parse(fs.readFileSync(dir + "/terraform-mapping.json", "utf8"))));
  ' "$upstream" "$version"
  mkdir -p "$dest"
  t0=$SECONDS
  GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$version" -o "$dest/$name.tmp" .
  mv "$dest/$name.tmp" "$dest/$name"
  log "$name $version: built in $((SECONDS - t0))s"
  cd "$repo"
fi
ln -sfn "$dest/$name" "$repo/.tools/bench/$name"

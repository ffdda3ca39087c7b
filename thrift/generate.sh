#!/usr/bin/env bash
# Regenerates src/gen-java from chainring.thrift with the pinned Thrift compiler.
#   thrift/generate.sh          rewrite src/gen-java
#   thrift/generate.sh --check  fail if the committed code differs from the IDL's output
# The compiler is Debian's thrift-compiler 0.17.0: its output compiles against libthrift
# 0.20.0; newer compilers' output does not (see shared DEPENDENCIES.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
want="0.17.0"
command -v thrift >/dev/null || { echo "thrift compiler not found (apt-get install thrift-compiler)" >&2; exit 2; }
have=$(thrift --version | awk '{print $3}')
[ "$have" = "$want" ] || { echo "thrift $have found, $want required" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
thrift --gen java:generated_annotations=suppress,private_members -out "$out" "$here/chainring.thrift"

if [ "${1:-}" = "--check" ]; then
  if diff -r "$out" "$here/src/gen-java" >/dev/null; then
    echo "generated Thrift code matches chainring.thrift"
  else
    diff -r "$out" "$here/src/gen-java" | head -40 >&2
    echo "thrift/src/gen-java is out of date: run thrift/generate.sh and commit the result" >&2
    exit 1
  fi
else
  rm -rf "$here/src/gen-java"
  mkdir -p "$here/src/gen-java"
  cp -r "$out"/. "$here/src/gen-java/"
  echo "regenerated $(find "$here/src/gen-java" -name '*.java' | wc -l) files in thrift/src/gen-java"
fi

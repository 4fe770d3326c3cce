#!/usr/bin/env bash
# Regenerates the FlatBuffers Java classes of the TFLite schema.
# usage: tflite-schema/generate.sh [path/to/schema.fbs]   (default: ../shared/tflite/schema.fbs)
# Needs flatc 2.0.8 (Debian: apt-get install flatbuffers-compiler); the flatbuffers-java
# dependency in tflite-schema/pom.xml is pinned to the same version.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
schema=${1:-$here/../../shared/tflite/schema.fbs}
command -v flatc >/dev/null || { echo "flatc not found (apt-get install flatbuffers-compiler)" >&2; exit 1; }
version=$(flatc --version | awk '{print $3}')
[ "$version" = "2.0.8" ] || echo "warning: flatc $version, the pom pins flatbuffers-java 2.0.8" >&2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# flatc 2.0.8 does not accept the (deprecated) attribute on enum values; drop it there only.
sed -E 's/^([[:space:]]+[A-Za-z0-9_]+[[:space:]]*(=[[:space:]]*[0-9]+)?)[[:space:]]*\(deprecated\)[[:space:]]*,/\1,/' "$schema" > "$tmp/schema.fbs"
out=$here/src/main/java
# flatc 2.0.8 has no package prefix option: generate under the namespace dev.minnow.schema.tflite.
sed -i 's/^namespace tflite;/namespace dev.minnow.schema.tflite;/' "$tmp/schema.fbs"
rm -rf "$out/dev/minnow/schema/tflite"
flatc --java -o "$out" "$tmp/schema.fbs"
echo "generated $(find "$out" -name '*.java' | wc -l) classes into $out"

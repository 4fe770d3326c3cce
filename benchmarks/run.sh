#!/bin/bash
# Runs minnow's benchmark suite and prints its tables (see README.md).
#   benchmarks/run.sh [--quick] [Suite options...]          (run.sh --help lists them)
# Environment:
#   TFLM_BENCH=PATH         tflm_bench from ../shared/tflm-reference/build.sh: adds TFLM's columns
#   MINNOW_CONFORMANCE=DIR  the golden corpus (default: ../shared/conformance beside the checkout)
#   MVN_ARGS="..."          extra Maven arguments for the build step (e.g. -o)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
corpus=${MINNOW_CONFORMANCE:-$root/../shared/conformance}
# shellcheck disable=SC2086
mvn -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests -Dmdep.outputFile=target/classpath.txt dependency:build-classpath
make -s -C c-reference bench
args=(--corpus "$corpus" --cref "$root/c-reference/build/minnow-cref-bench" --work "$root/benchmarks/target/bench")
if [ -n "${TFLM_BENCH:-}" ]; then args+=(--tflm "$TFLM_BENCH"); fi
exec java -cp "$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")" dev.minnow.bench.Suite "${args[@]}" "$@"

#!/bin/bash
# Where an invoke() spends its time (Java Flight Recorder on a JMH fork; see README.md "Where time goes").
#   benchmarks/profile.sh MODEL_ID|DIR [SECONDS]
# MINNOW_PROFILE_JVM_ARGS adds JVM arguments to the profiled fork, e.g. "--add-modules jdk.incubator.vector".
# MODEL_ID is a corpus model (models/ or detectors/), DIR a folder with model.tflite and input_k.bin (a suite run
# leaves each kernel's in benchmarks/target/bench/kernels/ID).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
corpus=${MINNOW_CONFORMANCE:-$root/../shared/conformance}
# shellcheck disable=SC2086
mvn -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests -Dmdep.outputFile=target/classpath.txt dependency:build-classpath
exec java -cp "$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")" dev.minnow.bench.Profile "$corpus" "$@"

#!/usr/bin/env bash
# Builds the library and the benchmarks module (tests skipped) and runs
# dev.mpjava.bench.Benchmark pinned to CPU 0 (taskset -c 0; exec:exec@bench of
# java/benchmarks, started in the top directory); the benchmark finds the native C++
# benchmark through -Dmpjava.nativeBench=java/mpjava/target/native/mpjava_bench_native.
# Arguments starting with -D go to the benchmark's JVM (e.g. -Dmpjava.bench.protocolOnly=true),
# the others to the benchmark itself ([calls] [path/to/calculator.capnp]; split on spaces).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/install-deps.sh

jvm_args=()
args=()
for arg in "$@"; do
  case "$arg" in
    -D*) jvm_args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done
mvn -B -ntp -q -pl java/benchmarks -am -DskipTests package exec:exec@bench \
  "-Dmpjava.jvmArgs=${jvm_args[*]}" "-Dmpjava.args=${args[*]}"

#!/usr/bin/env bash
# Builds the library, the generator's test classes (the generated typed API of the test
# schemas) and the benchmarks module (tests skipped), and runs dev.mpjava.bench.TypedBenchmark
# pinned to CPU 0: a generated typed call against the same dynamic call, interleaved.
# Arguments starting with -D go to the benchmark's JVM, the others to it ([calls]).
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
mvn -B -ntp -q -pl java/benchmarks -am -DskipTests package exec:exec@bench-typed \
  "-Dmpjava.jvmArgs=${jvm_args[*]}" "-Dmpjava.args=${args[*]}"

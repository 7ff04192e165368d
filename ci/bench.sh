#!/usr/bin/env bash
# Builds mpjava (tests skipped) and runs dev.mpjava.bench.Benchmark pinned to CPU 0
# (taskset -c 0); the benchmark finds the native C++ benchmark through
# -Dmpjava.nativeBench=target/native/mpjava_bench_native.
# Arguments are passed to the benchmark (split on spaces; quote with '...' inside one argument).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/install-deps.sh

mvn -B -ntp -q -DskipTests package exec:exec@bench "-Dmpjava.args=$*"

#!/usr/bin/env bash
# Long fuzz runs: ci/fuzz.sh [cases] [seed] [first]  (defaults: 100000 cases, seed 1, case 0)
# Builds mpjava_fuzz on its own (native/build/fuzz, Release) and runs it against a
# native server it forks from the same core the JVM loads: four categories of cases
# (test/fuzz/fuzz_cases.h), an ordinary call checked every 250 cases, the server's fd
# and thread counts compared at the end. A failure prints the seed and case number;
# `ci/fuzz.sh 1 <seed> <case>` runs that case alone. The bounded run in ci/test.sh is
# the Java test FuzzLiveServerTest (2,000 cases against a Java Listener) and the ctest
# FuzzNativeServerBounded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cases="${1:-100000}"
seed="${2:-1}"
first="${3:-0}"
build=native/build/fuzz
nice cmake -S native -B "$build" -DCMAKE_BUILD_TYPE=Release -DMPJAVA_BUILD_TESTS=ON >/dev/null
nice cmake --build "$build" --target mpjava_fuzz --parallel 2 >/dev/null
exec "$build/mpjava_fuzz" native "$cases" "$seed" "$first"

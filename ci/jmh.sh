#!/usr/bin/env bash
# Builds the library and the benchmarks module (tests skipped) and runs the JMH
# microbenchmarks of dev.mpjava.bench.jmh (exec:exec@jmh of java/benchmarks, started in
# the top directory). Arguments go to JMH, e.g. a short run of one class:
#   ci/jmh.sh -f 1 -wi 1 -i 1 CallBench
# (split on spaces; quote with '...' inside one argument; ci/jmh.sh -h lists JMH's options).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/install-deps.sh

mvn -B -ntp -q -pl java/benchmarks -am -DskipTests package exec:exec@jmh "-Dmpjava.args=$*"

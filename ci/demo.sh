#!/usr/bin/env bash
# Builds the library and the examples module (tests skipped) and runs dev.mpjava.demo.Demo
# (exec:exec@demo of java/examples, started in the top directory).
# Arguments are passed to the demo (split on spaces; quote with '...' inside one argument).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/install-deps.sh

mvn -B -ntp -q -pl java/examples -am -DskipTests package exec:exec@demo "-Dmpjava.args=$*"

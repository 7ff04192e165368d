#!/usr/bin/env bash
# Builds mpjava (tests skipped) and runs dev.mpjava.demo.Demo.
# Arguments are passed to the demo (split on spaces; quote with '...' inside one argument).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/install-deps.sh

mvn -B -ntp -q -DskipTests package exec:exec@demo "-Dmpjava.args=$*"

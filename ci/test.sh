#!/usr/bin/env bash
# Full build + tests of every module (the library java/mpjava: C++ core (ctest), JUnit tests,
# the bundled-library check against the packaged jar (failsafe); java/examples: its JUnit
# tests; java/benchmarks: compiled), the C++ tests under sanitizers, then the library's jar
# with the system's Cap'n Proto hidden, and used by a consumer program on the module path and
# on the class path (ci/check-consumer.sh).
# Extra arguments go to Maven, e.g. ci/test.sh -o
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/install-deps.sh

# clean: no stale JNI/native libraries in java/mpjava/target/classes; the JavaCPP extraction
# caches (-Dorg.bytedeco.javacpp.cachedir) live under each module's target/ and are emptied
# by the build as well.
mvn -B -ntp clean verify "$@"

# The C++ tests again under AddressSanitizer+UndefinedBehaviorSanitizer and under
# ThreadSanitizer (after verify: its clean would wipe their builds in target/).
bash ci/sanitize.sh all

bash ci/check-standalone-jar.sh

bash ci/check-consumer.sh

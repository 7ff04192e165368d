#!/usr/bin/env bash
# Full build and tests of every module (java/mpjava: the C++ core's ctest, JUnit and the
# bundled-library check against the packaged jar (failsafe); java/examples: its JUnit tests;
# java/benchmarks: compiled; java/cli: its JUnit tests and the packaged -all jar run with
# java -jar (failsafe); java/maven-plugin: its JUnit tests), then `install` of the library, the
# generator, its Maven plugin and the CLI; the C++ tests under sanitizers; the library's jar
# with the system's Cap'n Proto hidden; and a consumer project that depends on the installed
# artifact and generates its typed API with the installed Maven plugin, run on the module path
# and on the class path (ci/check-consumer.sh).
# Extra arguments go to Maven, e.g. ci/test.sh -o
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/install-deps.sh

# clean: no stale JNI/native libraries in java/mpjava/target/classes; the JavaCPP extraction
# caches (-Dorg.bytedeco.javacpp.cachedir) live under each module's target/ and are emptied
# by the build as well. install: the library (and parent pom) go to the local Maven
# repository, where ci/check-consumer.sh's project finds them, as a user's project would.
mvn -B -ntp clean install "$@"

# The C++ tests again under AddressSanitizer+UndefinedBehaviorSanitizer and under
# ThreadSanitizer (after verify: its clean would wipe their builds in target/).
bash ci/sanitize.sh all

bash ci/check-standalone-jar.sh

bash ci/check-consumer.sh

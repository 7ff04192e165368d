#!/usr/bin/env bash
# Builds the library and the examples module (tests skipped) and runs the Java version of
# upstream's example: a printer process and a calculator process, the printer handed to the
# calculator.
# Equations are read from standard input until "exit" (or its end), e.g.
#   printf '1+1\n2*3\nexit\n' | ci/example.sh
# Arguments go to dev.mpjava.examples.Example, e.g.
#   ci/example.sh --calculator /path/to/upstream/mpcalculator
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/install-deps.sh
mvn -B -ntp -q -pl java/examples -am -DskipTests package

# The module's classes, then the library's jar and the javacpp jar.
cp="java/examples/target/classes:$(cat java/examples/target/runtime-classpath.txt)"
run() {
  java --enable-native-access=ALL-UNNAMED -Dorg.bytedeco.javacpp.cachedir=java/examples/target/javacpp-cache \
    -cp "$cp" dev.mpjava.examples.Example "$@"
}
run "$@"

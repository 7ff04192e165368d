#!/usr/bin/env bash
# Builds the library and the examples module (tests skipped) and runs the Mining example:
# a fake node (dev.mpjava.examples.mining.FakeNode) serving Bitcoin Core's Init/Mining
# interfaces on a Unix socket, and one round of the template provider
# (dev.mpjava.examples.mining.TemplateProvider) against it.
#   ci/mining.sh                      # fake node and provider
#   ci/mining.sh /path/to/node.sock   # the provider only, against a running node
#                                     # (e.g. bitcoin-node -regtest -ipcbind=unix)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/install-deps.sh
mvn -B -ntp -q -pl java/examples -am -DskipTests package

cp="java/examples/target/classes:$(cat java/examples/target/runtime-classpath.txt)"
java=(java --enable-native-access=ALL-UNNAMED -Dorg.bytedeco.javacpp.cachedir=java/examples/target/javacpp-cache -cp "$cp")

if [[ $# -gt 0 ]]; then
  exec "${java[@]}" dev.mpjava.examples.mining.TemplateProvider "$1"
fi

dir=$(mktemp -d)
node_pid=
cleanup() {
  if [[ -n "$node_pid" ]]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
"${java[@]}" dev.mpjava.examples.mining.FakeNode "$dir/node.sock" &
node_pid=$!  # the JVM itself, so the trap stops it
for _ in $(seq 1 300); do
  [[ -S "$dir/node.sock" ]] && break
  sleep 0.1
done
[[ -S "$dir/node.sock" ]] || { echo "ci/mining.sh: the fake node did not create $dir/node.sock in 30 s" >&2; exit 1; }
"${java[@]}" dev.mpjava.examples.mining.TemplateProvider "$dir/node.sock"

#!/usr/bin/env bash
# Proves the packaged jar runs on a machine without Cap'n Proto installed: in a private mount
# namespace, Debian's libkj*/libcapnp* files are replaced by /dev/null, then ci/BundleCheck.java
# loads dev.mpjava.internal.NativeApi from java/mpjava/target/mpjava-*.jar + the javacpp jar only.
# Needs a prior `mvn package` (java/mpjava/target/runtime-classpath.txt) and root (or
# unprivileged userns).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target=java/mpjava/target
jar=$(ls $target/mpjava-*.jar 2>/dev/null | grep -v -e sources -e javadoc -e linux-x86_64 | head -n 1 || true)
if [ -z "$jar" ] || [ ! -f $target/runtime-classpath.txt ]; then
  echo "check-standalone-jar: run 'mvn package' first" >&2
  exit 1
fi
if ! unshare --mount --propagation private true 2>/dev/null; then
  echo "check-standalone-jar: SKIPPED (cannot create a mount namespace here)"
  exit 0
fi

cache=$(mktemp -d "${TMPDIR:-/tmp}/mpjava-standalone.XXXXXX")
trap 'rm -rf "$cache"' EXIT
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

export MPJAVA_CP="$jar:$(cat $target/runtime-classpath.txt)" MPJAVA_CACHE="$cache" MPJAVA_JAVA="$java_bin"
unshare --mount --propagation private bash -euo pipefail -c '
  hidden=0
  for f in /usr/lib/x86_64-linux-gnu/libkj* /usr/lib/x86_64-linux-gnu/libcapnp*; do
    [ -f "$f" ] || continue
    mount --bind /dev/null "$f"
    hidden=$((hidden + 1))
  done
  echo "check-standalone-jar: hid $hidden system kj/capnp files"
  # the hiding must work, or this check proves nothing
  if [ -e /usr/lib/x86_64-linux-gnu/libkj-0.9.2.so ] && [ "$(head -c 4 /usr/lib/x86_64-linux-gnu/libkj-0.9.2.so | wc -c)" != 0 ]; then
    echo "check-standalone-jar: system libkj still readable" >&2; exit 1
  fi
  "$MPJAVA_JAVA" --enable-native-access=ALL-UNNAMED \
    -Dorg.bytedeco.javacpp.cachedir="$MPJAVA_CACHE" \
    -cp "$MPJAVA_CP" ci/BundleCheck.java
'

#!/usr/bin/env bash
# Uses the packaged library the way an application does: compiles ci/consumer (public API only)
# against java/mpjava/target/mpjava-<version>.jar + the javacpp jar and runs it
#   - on the module path, as the named module dev.mpjava.consumer requiring dev.mpjava
#     (--enable-native-access=org.bytedeco.javacpp,dev.mpjava), also with the -linux-x86_64
#     classifier jar next to the main jar;
#   - on the class path (--enable-native-access=ALL-UNNAMED);
#   - on the class path with mpjava and javacpp on the module path (--add-modules ALL-MODULE-PATH).
# Each run calls add in-process over a socketpair and in a child JVM started with
# SpawnedProcess.javaCommand, which must reproduce the parent's module path or class path.
# Then the same programs with -Dorg.bytedeco.javacpp.platform=linux-arm64 must fail with the
# message naming linux-x86_64 and linux-arm64. Any "WARNING" on stderr fails a run.
# MPJAVA_EXTRA_JAVA="path/to/jdk25/bin/java ..." runs the module and class path runs on those
# JVMs too. Needs a prior `mvn package`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target=java/mpjava/target
jar=$(ls $target/mpjava-*.jar 2>/dev/null | grep -v -e sources -e javadoc -e linux-x86_64 | head -n 1 || true)
platform_jar=$(ls $target/mpjava-*-linux-x86_64.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ -z "$platform_jar" ] || [ ! -f $target/runtime-classpath.txt ]; then
  echo "check-consumer: run 'mvn package' first" >&2
  exit 1
fi
deps=$(cat $target/runtime-classpath.txt)   # the javacpp jar
bin="${JAVA_HOME:+$JAVA_HOME/bin/}"

work=$(mktemp -d "${TMPDIR:-/tmp}/mpjava-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=ci/consumer/dev.mpjava.consumer
"${bin}javac" -Xlint:all -Werror -d "$work/mod" --module-path "$jar:$deps" \
  $src/module-info.java $src/dev/mpjava/consumer/Consumer.java
"${bin}javac" -Xlint:all -Werror -d "$work/cp" -cp "$jar:$deps" $src/dev/mpjava/consumer/Consumer.java

# run <name> <expect: ok|unsupported> <java> <args...>
run() {
  local name=$1 expect=$2 java=$3
  shift 3
  local out="$work/$name.out" err="$work/$name.err" rc=0
  "$java" -Dorg.bytedeco.javacpp.cachedir="$work/cache" "$@" >"$out" 2>"$err" || rc=$?
  if [ "$expect" = ok ]; then
    if [ $rc != 0 ] || grep -q WARNING "$err" || [ "$(grep -c 'add OK' "$out")" != 2 ]; then
      echo "check-consumer: $name FAILED (exit $rc)" >&2
      cat "$out" "$err" >&2
      exit 1
    fi
  else
    if [ $rc = 0 ] || ! grep -q 'built for linux-x86_64 only; this JVM.s platform is linux-arm64' "$err"; then
      echo "check-consumer: $name FAILED: no clear unsupported-platform error (exit $rc)" >&2
      cat "$out" "$err" >&2
      exit 1
    fi
  fi
  echo "check-consumer: $name OK"
  sed 's/^/  /' "$out"
  [ "$expect" = ok ] || grep -m 1 UnsatisfiedLinkError "$err" | sed 's/^/  /'
}

main=dev.mpjava.consumer/dev.mpjava.consumer.Consumer
for java in "${bin}java" ${MPJAVA_EXTRA_JAVA:-}; do
  v=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  run "module-path-jdk$v" ok "$java" --enable-native-access=org.bytedeco.javacpp,dev.mpjava \
    --module-path "$jar:$deps:$work/mod" -m $main
  run "module-path-with-classifier-jar-jdk$v" ok "$java" --enable-native-access=org.bytedeco.javacpp,dev.mpjava \
    --module-path "$jar:$platform_jar:$deps:$work/mod" -m $main
  run "class-path-jdk$v" ok "$java" --enable-native-access=ALL-UNNAMED \
    -cp "$jar:$deps:$work/cp" dev.mpjava.consumer.Consumer
  run "class-path-main-module-path-library-jdk$v" ok "$java" --enable-native-access=org.bytedeco.javacpp,dev.mpjava \
    --module-path "$jar:$deps" --add-modules ALL-MODULE-PATH -cp "$work/cp" dev.mpjava.consumer.Consumer
done
run module-path-unsupported-platform unsupported "${bin}java" -Dorg.bytedeco.javacpp.platform=linux-arm64 \
  --module-path "$jar:$deps:$work/mod" -m $main
run class-path-unsupported-platform unsupported "${bin}java" -Dorg.bytedeco.javacpp.platform=linux-arm64 \
  -cp "$jar:$deps:$work/cp" dev.mpjava.consumer.Consumer

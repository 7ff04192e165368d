#!/usr/bin/env bash
# Uses mpjava the way an application does: builds the Maven project ci/consumer (public API
# only), which depends on dev.mpjava:mpjava from the local Maven repository (put there by
# `mvn install`, as the README says) and generates its typed API with the installed
# dev.mpjava:mpjava-maven-plugin (goal generate, from src/main/capnp; a second build must find
# it up to date, and a broken schema must fail the build naming file:line:column), and runs it
# with the installed jars
#   - on the module path, as the named module dev.mpjava.consumer requiring dev.mpjava
#     (--enable-native-access=org.bytedeco.javacpp,dev.mpjava), also with the installed
#     -linux-x86_64 classifier jar next to the main jar;
#   - on the class path (--enable-native-access=ALL-UNNAMED);
#   - on the class path with mpjava and javacpp on the module path (--add-modules ALL-MODULE-PATH).
# Each run calls add through the generated Adder in-process over a socketpair (and once through
# the dynamic API) and in a child JVM started with SpawnedProcess.javaCommand, which must
# reproduce the parent's module path or class path (the generated code loads adder.capnp from it).
# Then the same programs with -Dorg.bytedeco.javacpp.platform=linux-arm64 must fail with the
# message naming linux-x86_64 and linux-arm64. Any "WARNING" on stderr fails a run.
# MPJAVA_EXTRA_JAVA="path/to/jdk25/bin/java ..." runs the module and class path runs on those
# JVMs too. Needs a prior `mvn install` of this checkout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The project's version, from the parent pom (its first <version> is the project's own).
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
repo=${MAVEN_REPO:-$HOME/.m2/repository}  # where `mvn install` put it
installed=$repo/dev/mpjava/mpjava/$version
platform_jar=$installed/mpjava-$version-linux-x86_64.jar
if [ ! -f "$installed/mpjava-$version.jar" ] || [ ! -f "$platform_jar" ]; then
  echo "check-consumer: dev.mpjava:mpjava:$version is not installed in $repo; run 'mvn install' first" >&2
  exit 1
fi
plugin_jar=$repo/dev/mpjava/mpjava-maven-plugin/$version/mpjava-maven-plugin-$version.jar
if [ ! -f "$plugin_jar" ]; then
  echo "check-consumer: dev.mpjava:mpjava-maven-plugin:$version is not installed in $repo; run 'mvn install' first" >&2
  exit 1
fi
bin="${JAVA_HOME:+$JAVA_HOME/bin/}"

work=$(mktemp -d "${TMPDIR:-/tmp}/mpjava-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Build the consumer against the installed artifact; its class path (the installed mpjava jar
# and the javacpp jar it brings) is what the runs below put on the module or class path.
cp -r ci/consumer "$work/project"
mvn -B -ntp -o -q -f "$work/project/pom.xml" -Dmpjava.version="$version" -DskipTests package \
  dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt"
generated=$work/project/target/generated-sources/mpjava/dev/mpjava/consumer/adder/Adder.java
listing=$("${bin}jar" tf "$work/project/target/mpjava-consumer-1.jar")
if [ ! -f "$generated" ] || ! grep -qx adder.capnp <<<"$listing"; then
  echo "check-consumer: mpjava-maven-plugin did not generate $generated or put adder.capnp in the jar" >&2
  exit 1
fi
echo "check-consumer: mpjava-maven-plugin generated the typed API ($(find "${generated%/*}" -name '*.java' | wc -l) Java files)"
bash ci/check-consumer-plugin.sh "$work" "$version"
libs=$(cat "$work/classpath.txt")
case "$libs" in
  "$installed/mpjava-$version.jar:"*|*":$installed/mpjava-$version.jar"|*":$installed/mpjava-$version.jar:"*) ;;
  *) echo "check-consumer: the consumer did not resolve mpjava from $installed: $libs" >&2; exit 1 ;;
esac
app=$work/project/target/mpjava-consumer-1.jar

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
    --module-path "$libs:$app" -m $main
  run "module-path-with-classifier-jar-jdk$v" ok "$java" --enable-native-access=org.bytedeco.javacpp,dev.mpjava \
    --module-path "$libs:$platform_jar:$app" -m $main
  run "class-path-jdk$v" ok "$java" --enable-native-access=ALL-UNNAMED \
    -cp "$libs:$app" dev.mpjava.consumer.Consumer
  run "class-path-main-module-path-library-jdk$v" ok "$java" --enable-native-access=org.bytedeco.javacpp,dev.mpjava \
    --module-path "$libs" --add-modules ALL-MODULE-PATH -cp "$app" dev.mpjava.consumer.Consumer
done
run module-path-unsupported-platform unsupported "${bin}java" -Dorg.bytedeco.javacpp.platform=linux-arm64 \
  --module-path "$libs:$app" -m $main
run class-path-unsupported-platform unsupported "${bin}java" -Dorg.bytedeco.javacpp.platform=linux-arm64 \
  -cp "$libs:$app" dev.mpjava.consumer.Consumer

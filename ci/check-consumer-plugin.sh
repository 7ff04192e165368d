#!/usr/bin/env bash
# The build side of mpjava-maven-plugin in a consumer's project, run by ci/check-consumer.sh
# after it built ci/consumer in WORK/project: a second build must find the generated code up to
# date (no generation), and the same project with a broken schema must fail its build with a
# "schema error" naming the file, line and column.
# Usage: ci/check-consumer-plugin.sh WORK VERSION
set -euo pipefail
work=$1 version=$2

# run_maven <project dir> <log>: generate-sources only, with Maven's own output kept.
run_maven() {
  mvn -B -ntp -o -f "$1/pom.xml" -Dmpjava.version="$version" generate-sources >"$2" 2>&1
}

if ! run_maven "$work/project" "$work/again.log" || ! grep -q 'generated code up to date' "$work/again.log"; then
  echo "check-consumer: the second build did not find the generated code up to date" >&2
  cat "$work/again.log" >&2
  exit 1
fi
echo "check-consumer: mpjava-maven-plugin skips an unchanged schema"

# Line 15 loses the colon before a type: Cap'n Proto's parser stops there.
mkdir "$work/broken"
cp -r "$work/project/pom.xml" "$work/project/src" "$work/broken/"
schema=$work/broken/src/main/capnp/adder.capnp
sed -i '15s/a :Int32/a Int32/' "$schema"
if run_maven "$work/broken" "$work/broken.log"; then
  echo "check-consumer: a broken schema did not fail the build" >&2
  exit 1
fi
if ! grep -q "mpjava generate: schema error: .*adder.capnp:15:[0-9]*: " "$work/broken.log"; then
  echo "check-consumer: the failed build does not name adder.capnp:15:<column>" >&2
  cat "$work/broken.log" >&2
  exit 1
fi
echo "check-consumer: a broken schema fails the build: $(grep -m 1 -o 'schema error: .*' "$work/broken.log" | sed -e "s:$work/broken/::" -e 's: -> \[Help 1\]$::')"

#!/usr/bin/env bash
# Runs the C++ tests (mpjava_tests, through ctest) under the sanitizers:
#
#   ci/sanitize.sh [address|thread|all]      (default: all)
#
#   address  AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer, built in
#            target/asan
#   thread   ThreadSanitizer, built in target/tsan
#   all      both, one after the other
#
# Each variant is configured with plain cmake (-DMPJAVA_SANITIZE=..., RelWithDebInfo
# at -O1, see cmake/Sanitizers.cmake), which builds only libmpjava and mpjava_tests,
# then runs ctest. Maven is not involved and the normal build is untouched.
#
# Any sanitizer report fails the script: the runtimes stop the test at the first report
# with a non-zero exit (halt_on_error), and in case a report ever slips past a test's
# exit status, the ctest log is searched for report headers afterwards as well.
# Only our code is instrumented; Debian's kj/capnp and libstdc++.so are not, so
# ThreadSanitizer needs ci/tsan.supp for one libstdc++ false positive (explained there).
# The wall time of each variant is printed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

case "${1:-all}" in
  address) variants=(address) ;;
  thread) variants=(thread) ;;
  all) variants=(address thread) ;;
  *)
    echo "usage: $0 [address|thread|all]" >&2
    exit 2
    ;;
esac

bash ci/install-deps.sh

# Options shared by all runtimes: stop at the first report (non-zero exit), end each
# report with its SUMMARY line.
common="halt_on_error=1:print_summary=1"
# ASan: leak checking at exit (LeakSanitizer) and static init-order checks. Not
# detect_stack_use_after_return: it moves locals to heap "fake stacks", and KJ insists
# that an ExceptionCallback (EventLoop::run's KjLogBridge) lives on the real stack.
export ASAN_OPTIONS="$common:detect_leaks=1:check_initialization_order=1:strict_init_order=1"
# UBSan (same build as ASan): a stack with each report. The build already makes every
# UB check fatal (-fno-sanitize-recover=undefined).
export UBSAN_OPTIONS="$common:print_stacktrace=1"
# TSan: the suppressions file, and a second stack for lock-order (deadlock) reports.
export TSAN_OPTIONS="$common:second_deadlock_stack=1:suppressions=$root/ci/tsan.supp"

# Lines that start a sanitizer report, whichever runtime printed it.
report_pattern='ERROR: AddressSanitizer|ERROR: LeakSanitizer|WARNING: ThreadSanitizer|ThreadSanitizer: reported|runtime error:|SUMMARY: (Address|Leak|Thread|UndefinedBehavior)Sanitizer'

run_variant() {
  local sanitizer=$1 dir
  case "$sanitizer" in
    address) dir=target/asan ;;
    thread) dir=target/tsan ;;
  esac
  echo "=== sanitize: $sanitizer (build dir $dir)"
  # Called as `run_variant ... || status=$?`, where set -e does not apply: check each step.
  cmake -S native -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMPJAVA_SANITIZE="$sanitizer" || return 1
  cmake --build "$dir" -j2 || return 1
  local status=0
  # AcceptOutOfFdsBacksOffAndLogsOncePerEpisode fills the fd table on purpose; the
  # sanitizer runtimes need a free fd to probe memory (UBSan's vptr check reports
  # "invalid vptr" when it cannot), so it runs in the normal build only.
  (cd "$dir" && ctest --output-on-failure -E '^AcceptOutOfFdsBacksOffAndLogsOncePerEpisode$') || status=$?
  # The full output of every test, passing ones included, is in LastTest.log.
  local log="$dir/Testing/Temporary/LastTest.log"
  if [ -f "$log" ] && grep -E -q "$report_pattern" "$log"; then
    echo "sanitize: $sanitizer: sanitizer reports in $log:" >&2
    grep -E -n "$report_pattern" "$log" >&2 || true
    status=1
  fi
  return "$status"
}

failed=()
times=()
for sanitizer in "${variants[@]}"; do
  start=$(date +%s)
  status=0
  run_variant "$sanitizer" || status=$?
  elapsed=$(($(date +%s) - start))
  times+=("$sanitizer: ${elapsed}s wall$([ "$status" -eq 0 ] || echo ', FAILED')")
  [ "$status" -eq 0 ] || failed+=("$sanitizer")
done

echo "=== sanitize: wall times"
printf '  %s\n' "${times[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "sanitize: failed: ${failed[*]}" >&2
  exit 1
fi
echo "sanitize: all clean"

// The native round-trip benchmark (C++ client -> C++ server through the core, no
// Java code involved): the baseline the Java benchmark runs as the mpjava_bench_native
// executable. Built into a static library of its own, never into libmpjava; the C++
// tests reuse its add handler.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace mpjava {

class CallHandler;

// Serves CalcInit.add (result = a + b) natively; the benchmark's server, reused by tests.
std::shared_ptr<CallHandler> MakeAddHandler();

struct BenchResult {
    double median_us = 0;
    double p99_us = 0;
    double calls_per_second = 0;
};

// Calls CalcInit.add `calls` times (after calls/10 warm-up calls) from the calling
// thread, with a server loop and a client loop over a socketpair.
BenchResult RunNativeBenchmark(const std::string& schema_file, const std::vector<std::string>& import_paths, int calls);

} // namespace mpjava

// Native baseline for the benchmark, without a JVM in the process. Prints one line:
//   native <calls> <median_us> <p99_us> <calls_per_s>
#include "bench.h"

#include <cstdio>
#include <cstdlib>
#include <exception>

int main(int argc, char** argv)
{
    const int calls = argc > 1 ? std::atoi(argv[1]) : 20000;
    try {
        auto r = mpjava::RunNativeBenchmark(std::string(MPJAVA_TEST_SCHEMAS) + "/calculator.capnp",
                                            {MPJAVA_SCHEMA_RESOURCES, MPJAVA_CAPNP_INCLUDE}, calls);
        std::printf("native %d %.2f %.2f %.0f\n", calls, r.median_us, r.p99_us, r.calls_per_second);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "native benchmark failed: %s\n", e.what());
        return 1;
    }
    return 0;
}

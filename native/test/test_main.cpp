#include "test_support.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

namespace mpjava::test {

std::vector<TestCase>& Registry()
{
    static std::vector<TestCase> tests;
    return tests;
}

void WaitFor(const std::function<bool()>& cond, const std::string& what, std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!cond()) {
        if (std::chrono::steady_clock::now() > deadline) {
            throw CheckFailed("timed out after " + std::to_string(timeout.count()) + " ms waiting for: " + what);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

capnp::InterfaceSchema ThreadTestInterface()
{
    static SchemaSet* set = [] {
        auto* s = new SchemaSet({MPJAVA_SCHEMA_RESOURCES, MPJAVA_CAPNP_INCLUDE});
        s->load(std::string(MPJAVA_TEST_SCHEMAS) + "/threads.capnp");
        return s;
    }();
    return set->findInterface("ThreadTest");
}

SchemaSet& TestSchemas()
{
    static SchemaSet* set = [] {
        auto* s = new SchemaSet({MPJAVA_SCHEMA_RESOURCES, MPJAVA_CAPNP_INCLUDE});
        s->load(std::string(MPJAVA_TEST_SCHEMAS) + "/calculator.capnp");
        s->load(std::string(MPJAVA_TEST_SCHEMAS) + "/types.capnp");
        return s;
    }();
    return *set;
}

int ThreadsNamed(const std::string& prefix)
{
    int count = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        std::getline(comm, name);
        if (name.rfind(prefix, 0) == 0) ++count;
    }
    return count;
}

// The directories TempSocketPath made, removed with what they hold when the test
// process exits (each test runs in its own process).
namespace {
struct TempDirs {
    std::vector<std::string> dirs;
    ~TempDirs()
    {
        std::error_code ec;
        for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
    }
};
TempDirs& CreatedTempDirs()
{
    static TempDirs dirs;
    return dirs;
}
} // namespace

std::string TempSocketPath(const std::string& name)
{
    char dir[] = "/tmp/mpjava-test-XXXXXX";
    if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
    CreatedTempDirs().dirs.push_back(dir);
    return std::string(dir) + "/" + name;
}

} // namespace mpjava::test

int main(int argc, char** argv)
{
    using mpjava::test::Registry;
    if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
        for (const auto& t : Registry()) std::printf("%s\n", t.name);
        return 0;
    }
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <test name> | --list\n", argv[0]);
        for (const auto& t : Registry()) std::fprintf(stderr, "  %s\n", t.name);
        return 2;
    }
    for (const auto& t : Registry()) {
        if (std::strcmp(t.name, argv[1]) != 0) continue;
        try {
            t.fn();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "FAIL %s: %s\n", t.name, e.what());
            return 1;
        } catch (const kj::Exception& e) {
            std::fprintf(stderr, "FAIL %s: %s\n", t.name, e.getDescription().cStr());
            return 1;
        }
        std::printf("PASS %s\n", t.name);
        return 0;
    }
    std::fprintf(stderr, "unknown test %s\n", argv[1]);
    return 2;
}

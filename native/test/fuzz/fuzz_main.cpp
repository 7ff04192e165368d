// mpjava_fuzz: a seeded fuzzer against a live mpjava server (fuzz_cases.h).
//   mpjava_fuzz run <socket> <cases> [seed] [first]   a server already listening there
//                                                      (the Java test starts a Listener)
//   mpjava_fuzz native <cases> [seed] [first]         forks a native server (the same core)
//                                                      and checks its fds and threads too
//   mpjava_fuzz capture <dir>                         writes the corpus (capture.cpp)
//   mpjava_fuzz flood <socket> <calls> <hold-ms>      pipelines add calls, never reads,
//                                                      then holds the connection (flood tests)
// Each case: connect, send, read what comes back for a few ms, disconnect. Every 250
// cases and at the end an ordinary add call must be answered. A failure prints the
// seed and the case number and exits non-zero; "FUZZ OK" and the figures otherwise.
#include "fuzz_cases.h"

#include <mpjava/io/sockets.h>
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/values/schema.h>

#include "bench.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <signal.h>
#include <sys/wait.h>

namespace mpjava::fuzz {

int Capture(const std::string& dir, SchemaSet& schemas);

namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kCheckEvery = 250;

[[noreturn]] void Fail(uint64_t seed, uint64_t number, const std::string& why)
{
    std::fprintf(stderr, "FUZZ FAIL: %s (seed %llu, case %llu; again alone: <cases> 1, [seed] %llu, [first] %llu)\n",
                 why.c_str(), static_cast<unsigned long long>(seed), static_cast<unsigned long long>(number),
                 static_cast<unsigned long long>(seed), static_cast<unsigned long long>(number));
    std::exit(1);
}

int Connect(const std::string& path)
{
    try {
        return ConnectUnixSocket(path);
    } catch (const std::exception&) {
        return -1;
    }
}

// Waits (10 s at most) until the server at path accepts a connection.
void AwaitListening(const std::string& path)
{
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
        int fd = Connect(path);
        if (fd >= 0) {
            CloseFd(fd);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void RunCase(const std::string& path, const Case& c, uint64_t seed, uint64_t number)
{
    int fd = Connect(path);
    if (fd < 0) Fail(seed, number, "the server no longer accepts connections");
    for (const auto& chunk : c.chunks) {
        if (test::raw::WriteSome(fd, chunk.data(), chunk.size(), std::chrono::milliseconds(100)) < chunk.size()) break;
    }
    test::raw::PeerClosed(fd, std::chrono::milliseconds(10));  // read replies, or the close, briefly
    CloseFd(fd);
}

void CheckAnswers(const std::string& path, capnp::InterfaceSchema iface, uint64_t seed, uint64_t number)
{
    std::string error;
    int32_t a = static_cast<int32_t>(number % 100000);
    int32_t got = test::raw::CallAdd(path, iface.getMethodByName("add"), a, 1, std::chrono::seconds(5), error);
    if (got != a + 1) Fail(seed, number, "an ordinary add call after the case was not answered: " + error);
}

// Runs cases [first, first + cases) against the server at path; prints the figures.
void Run(const std::string& path, capnp::InterfaceSchema iface, uint64_t cases, uint64_t seed, uint64_t first)
{
    const char* dir = std::getenv("MPJAVA_FUZZ_CORPUS");
    auto corpus = LoadCorpus(dir ? dir : MPJAVA_FUZZ_CORPUS);
    if (corpus.empty()) Fail(seed, first, "no corpus");
    CheckAnswers(path, iface, seed, first);
    uint64_t counts[kCategories] = {};
    double seconds[kCategories] = {};
    double slowest[kCategories] = {};
    uint64_t slowest_case[kCategories] = {};
    const auto start = Clock::now();
    for (uint64_t n = first; n < first + cases; ++n) {
        Case c = MakeCase(seed, n, corpus, iface);
        const auto begin = Clock::now();
        RunCase(path, c, seed, n);
        const double took = std::chrono::duration<double>(Clock::now() - begin).count();
        const int k = static_cast<int>(c.category);
        seconds[k] += took;
        if (took > slowest[k]) {
            slowest[k] = took;
            slowest_case[k] = n;
        }
        ++counts[static_cast<int>(c.category)];
        if ((n - first + 1) % kCheckEvery == 0) CheckAnswers(path, iface, seed, n);
    }
    CheckAnswers(path, iface, seed, first + cases);
    const double total = std::chrono::duration<double>(Clock::now() - start).count();
    std::fprintf(stderr, "fuzz: %llu cases, seed %llu, first %llu, %.1f s (%.0f cases/s), %zu corpus messages\n",
                 static_cast<unsigned long long>(cases), static_cast<unsigned long long>(seed),
                 static_cast<unsigned long long>(first), total, total > 0 ? cases / total : 0.0, corpus.size());
    for (int i = 0; i < kCategories; ++i) {
        std::fprintf(stderr, "fuzz:   %-8s %llu cases, %.1f s, slowest case %llu (%.0f ms)\n",
                     CategoryName(static_cast<Category>(i)), static_cast<unsigned long long>(counts[i]), seconds[i],
                     static_cast<unsigned long long>(slowest_case[i]), slowest[i] * 1000);
    }
}

size_t Entries(const std::string& dir)
{
    size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
    return n;
}

// A native server in a child process: the same core the JVM loads, CalcInit.add.
pid_t ForkServer(const std::string& path, capnp::InterfaceSchema iface)
{
    pid_t pid = ::fork();
    if (pid != 0) return pid;
    auto loop = EventLoop::Start("fuzz-server", LogOptions{});
    int fd = BindUnixSocket(path, 128);
    loop->sync([&] {
        EventLoop& l = *loop;
        auto handler = MakeAddHandler();
        auto server = std::make_shared<Listener>(
            l, [&l, iface, handler](const Peer&) { return MakeDynamicServer(l, iface, handler); }, ServerOptions{},
            ConnectionEvents{});
        l.adopt(server);
        server->listen(WrapListener(l, fd));
    });
    while (true) ::pause();  // until the parent kills it
}

int Native(capnp::InterfaceSchema iface, uint64_t cases, uint64_t seed, uint64_t first)
{
    auto dir = std::filesystem::temp_directory_path() / ("mpjava-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "server.sock").string();
    pid_t server = ForkServer(path, iface);
    AwaitListening(path);
    CheckAnswers(path, iface, seed, first);
    const std::string proc = "/proc/" + std::to_string(server);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the check's connection is gone
    const size_t fds = Entries(proc + "/fd"), threads = Entries(proc + "/task");
    Run(path, iface, cases, seed, first);
    // Connections of the last cases may still be closing: flat within a deadline.
    const auto settle = Clock::now() + std::chrono::seconds(5);
    while (Entries(proc + "/fd") > fds && Clock::now() < settle) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const size_t fds_after = Entries(proc + "/fd"), threads_after = Entries(proc + "/task");
    int status = 0;
    const bool alive = ::waitpid(server, &status, WNOHANG) == 0;
    std::fprintf(stderr, "fuzz: server fds %zu -> %zu, threads %zu -> %zu, %s\n", fds, fds_after, threads, threads_after,
                 alive ? "alive" : "dead");
    ::kill(server, SIGKILL);
    ::waitpid(server, &status, 0);
    std::filesystem::remove_all(dir);
    if (!alive) Fail(seed, first + cases, "the server process died");
    if (fds_after > fds || threads_after != threads) Fail(seed, first + cases, "the server's fd or thread count grew");
    std::fprintf(stderr, "FUZZ OK\n");
    return 0;
}

// Prints how many calls the server took, then whether it cut the connection within hold.
int FloodPeer(const std::string& path, capnp::InterfaceSchema iface, int calls, int hold_ms)
{
    int fd = Connect(path);
    if (fd < 0) return 1;
    const int taken = test::raw::Flood(fd, iface.getMethodByName("add"), calls);
    std::fprintf(stderr, "flood: %d of %d calls written before the socket stopped taking more\n", taken, calls);
    const bool cut = test::raw::PeerClosed(fd, std::chrono::milliseconds(hold_ms));
    std::fprintf(stderr, "flood: %s\n", cut ? "cut off by the server" : "still connected");
    CloseFd(fd);
    return 0;
}

uint64_t Arg(int argc, char** argv, int i, uint64_t fallback)
{
    return i < argc ? std::strtoull(argv[i], nullptr, 10) : fallback;
}

} // namespace

} // namespace mpjava::fuzz

int main(int argc, char** argv)
{
    using namespace mpjava::fuzz;
    ::signal(SIGPIPE, SIG_IGN);
    const std::string mode = argc > 1 ? argv[1] : "";
    mpjava::SchemaSet schemas({MPJAVA_SCHEMA_RESOURCES, MPJAVA_CAPNP_INCLUDE});
    schemas.load(std::string(MPJAVA_TEST_SCHEMAS) + "/calculator.capnp");
    auto iface = schemas.findInterface("CalcInit");
    if (mode == "run" && argc >= 4) {
        Run(argv[2], iface, Arg(argc, argv, 3, 2000), Arg(argc, argv, 4, 1), Arg(argc, argv, 5, 0));
        std::fprintf(stderr, "FUZZ OK\n");
        return 0;
    }
    if (mode == "native" && argc >= 3) return Native(iface, Arg(argc, argv, 2, 2000), Arg(argc, argv, 3, 1), Arg(argc, argv, 4, 0));
    if (mode == "capture" && argc >= 3) return Capture(argv[2], schemas);
    if (mode == "flood" && argc >= 5) {
        return FloodPeer(argv[2], iface, static_cast<int>(Arg(argc, argv, 3, 100000)), static_cast<int>(Arg(argc, argv, 4, 1000)));
    }
    std::fprintf(stderr,
                 "usage: mpjava_fuzz run <socket> <cases> [seed] [first]\n"
                 "       mpjava_fuzz native <cases> [seed] [first]\n"
                 "       mpjava_fuzz capture <dir>\n"
                 "       mpjava_fuzz flood <socket> <calls> <hold-ms>\n");
    return 2;
}

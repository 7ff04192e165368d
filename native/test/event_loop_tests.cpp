// Event loop, logging, schema and socket behaviour of the native core.
#include "test_support.h"

#include <mpjava/io/sockets.h>

#include <kj/debug.h>

#include <atomic>
#include <mutex>

#include <climits>
#include <cstdlib>

using namespace mpjava;
using namespace mpjava::test;

namespace {
struct CapturedLog {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> lines;  // thread, message
    LogOptions options(Level min)
    {
        LogOptions o;
        o.min_level = min;
        o.fn = [this](Level, const std::string& thread, const std::string& message) {
            std::lock_guard<std::mutex> lock(mutex);
            lines.emplace_back(thread, message);
        };
        return o;
    }
    bool contains(const std::string& text)
    {
        std::lock_guard<std::mutex> lock(mutex);
        for (auto& l : lines) if (l.second.find(text) != std::string::npos) return true;
        return false;
    }
};
} // namespace

MPJ_TEST(PostAndSyncRunOnLoopThread)
{
    auto loop = EventLoop::Start("t", {});
    std::atomic<int> posted{0};
    for (int i = 0; i < 100; ++i) loop->post([&] { MPJ_CHECK(loop->onLoopThread()); ++posted; });
    int value = loop->sync([&] { return loop->onLoopThread() ? 42 : 0; });
    MPJ_CHECK_EQ(value, 42);
    WaitFor([&] { return posted.load() == 100; }, "100 posted functions to run");
    MPJ_CHECK_THROWS(loop->sync([]() -> int { throw std::runtime_error("boom in sync"); }), "boom in sync");
    loop->close();
    MPJ_CHECK_THROWS(loop->post([] {}), "event loop is closed");
}

MPJ_TEST(CloseWithPendingWorkFailsWaiters)
{
    auto loop = EventLoop::Start("t", {});
    std::atomic<bool> release{false};
    loop->post([&] { while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1)); });
    std::atomic<bool> waiter_failed{false};
    std::thread waiter([&] {
        try {
            loop->sync([] {});
        } catch (const LoopClosed&) {
            waiter_failed = true;
        }
    });
    std::thread closer([&] { loop->close(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let both queue up behind the blocker
    release = true;
    closer.join();
    waiter.join();
    // The sync() either ran before the stop or was dropped with LoopClosed; it never hangs.
    MPJ_CHECK(loop->closed());
    (void)waiter_failed;
}

MPJ_TEST(ForeignThreadLogsAreFilteredByLevel)
{
    CapturedLog log;
    auto loop = EventLoop::Start("t", log.options(Level::Warning));
    std::thread foreign([&] {
        SetCurrentThreadName("foreign-thread");
        loop->log(Level::Info, "info is filtered");
        loop->log(Level::Error, "error passes");
    });
    foreign.join();
    MPJ_CHECK(!log.contains("info is filtered"));
    MPJ_CHECK(log.contains("error passes"));
    MPJ_CHECK_EQ(log.lines.back().first, std::string("foreign-thread"));
    loop->close();
}

MPJ_TEST(SchemaErrorsNameFileAndLine)
{
    SchemaSet set({MPJAVA_SCHEMA_RESOURCES, MPJAVA_CAPNP_INCLUDE});
    MPJ_CHECK_THROWS(set.load("/nonexistent/x.capnp"), "schema file not found: /nonexistent/x.capnp");
    // The whole path, line and column (Cap'n Proto's own report loses the path and column).
    char real[PATH_MAX];
    MPJ_CHECK(realpath(MPJAVA_TEST_SCHEMAS, real) != nullptr);
    MPJ_CHECK_THROWS(set.load(std::string(MPJAVA_TEST_SCHEMAS) + "/bad_syntax.capnp"),
                     std::string(real) + "/bad_syntax.capnp:9:");
    set.load(std::string(MPJAVA_TEST_SCHEMAS) + "/types.capnp");
    MPJ_CHECK_THROWS(set.load(std::string(MPJAVA_TEST_SCHEMAS) + "/duplicate_id.capnp"), "Duplicate ID");
    MPJ_CHECK_THROWS(set.findInterface("NoSuchThing"), "no type named 'NoSuchThing'");
    MPJ_CHECK_THROWS(set.findInterface("AllTypes"), "is not an interface");
    MPJ_CHECK(set.findInterface("TypesTest").getMethods().size() == 1);
}

MPJ_TEST(SocketErrorsAreClear)
{
    MPJ_CHECK_THROWS(BindUnixSocket(std::string(200, 'a')), "socket path too long");
    MPJ_CHECK_THROWS(BindUnixSocket("/proc/mpjava-cannot-write-here.sock"), "cannot bind socket");
    std::string path = TempSocketPath("nobody.sock");
    MPJ_CHECK_THROWS(ConnectUnixSocket(path), "cannot connect to socket");
    int fd = BindUnixSocket(path);
    int client = ConnectUnixSocket(path);
    CloseFd(client);
    CloseFd(fd);
    // A stale socket file left behind is replaced, not an error.
    int again = BindUnixSocket(path);
    CloseFd(again);
}

MPJ_TEST(KjLogOutputOnLoopThreadGoesToLogger)
{
    CapturedLog log;
    auto loop = EventLoop::Start("t", log.options(Level::Info));
    loop->sync([] { KJ_LOG(WARNING, "probe from kj"); });
    MPJ_CHECK(log.contains("KJ: "));
    MPJ_CHECK(log.contains("probe from kj"));
    loop->close();
}

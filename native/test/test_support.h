// Minimal test harness for the native tests: each test is a named function, run
// one per process by ctest (`mpjava_tests <name>`), failing with a clear message.
#pragma once

#include <mpjava/runtime/event_loop.h>
#include <mpjava/values/schema.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace mpjava::test {

struct TestCase {
    const char* name;
    void (*fn)();
};
std::vector<TestCase>& Registry();

struct Register {
    Register(const char* name, void (*fn)()) { Registry().push_back({name, fn}); }
};

#define MPJ_TEST(name)                                            \
    static void name();                                           \
    static ::mpjava::test::Register name##_registration(#name, name); \
    static void name()

class CheckFailed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

#define MPJ_CHECK(cond)                                                                                 \
    do {                                                                                                \
        if (!(cond)) {                                                                                  \
            std::ostringstream _msg;                                                                    \
            _msg << __FILE__ << ":" << __LINE__ << ": check failed: " #cond;                            \
            throw ::mpjava::test::CheckFailed(_msg.str());                                             \
        }                                                                                               \
    } while (0)

#define MPJ_CHECK_EQ(a, b)                                                                              \
    do {                                                                                                \
        auto _a = (a);                                                                                  \
        auto _b = (b);                                                                                  \
        if (!(_a == _b)) {                                                                              \
            std::ostringstream _msg;                                                                    \
            _msg << __FILE__ << ":" << __LINE__ << ": " #a " == " #b " failed: " << _a << " vs " << _b; \
            throw ::mpjava::test::CheckFailed(_msg.str());                                             \
        }                                                                                               \
    } while (0)

// Expects `expr` to throw an exception whose message contains `text`.
#define MPJ_CHECK_THROWS(expr, text)                                                                    \
    do {                                                                                                \
        bool _threw = false;                                                                            \
        try {                                                                                           \
            (void)(expr);                                                                               \
        } catch (const std::exception& _e) {                                                            \
            _threw = true;                                                                              \
            if (std::string(_e.what()).find(text) == std::string::npos) {                               \
                throw ::mpjava::test::CheckFailed(std::string(__FILE__) + ":" + std::to_string(__LINE__) + \
                                                  ": wrong message: " + _e.what());                    \
            }                                                                                           \
        }                                                                                               \
        MPJ_CHECK(_threw);                                                                              \
    } while (0)

// Polls `cond` until it holds or `timeout` passes; fails naming `what`.
void WaitFor(const std::function<bool()>& cond, const std::string& what,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Runs `make` on the loop thread and waits (10 s at most) for the promise it returns.
template <typename T, typename F>
T Await(EventLoop& loop, F make)
{
    auto done = std::make_shared<std::promise<T>>();
    auto future = done->get_future();
    loop.post([&loop, make, done]() mutable {
        loop.addTask(kj::evalNow(make).then([done](T&& value) { done->set_value(std::move(value)); },
                                            [done](kj::Exception&& e) {
                                                done->set_exception(
                                                    std::make_exception_ptr(std::runtime_error(e.getDescription().cStr())));
                                            }));
    });
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) throw CheckFailed("RPC timed out");
    return future.get();
}

// A schema set with the test schemas and mp/proxy.capnp on the import path.
SchemaSet& TestSchemas();

// The ThreadTest interface of threads.capnp (Context methods), in its own schema set.
capnp::InterfaceSchema ThreadTestInterface();

// Native threads of this process whose name starts with `prefix` (from /proc).
int ThreadsNamed(const std::string& prefix);

// A unique socket path in a fresh temporary directory.
std::string TempSocketPath(const std::string& name);

} // namespace mpjava::test

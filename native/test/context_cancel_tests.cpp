// A cancelled Context call, through the facade (api.h) with a stand-in for the Java
// dispatcher: the handler blocking on its worker hears of the cancel (the event Java turns
// into an interrupt, and reply_cancelled), the caller is released at once, and the worker
// serves the next call when the handler returns. The worker's cross-thread promise is kept
// until it is fulfilled, which ThreadSanitizer checks here.
#include "test_support.h"

#include <mpjava/api.h>
#include <mpjava/values/codec.h>

#include <capnp/message.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

using namespace mpjava;
using namespace mpjava::test;

namespace {

capnp::InterfaceSchema::Method Method(const char* name)
{
    return ThreadTestInterface().getMethodByName(name);
}

std::string Encode(const capnp::InterfaceSchema::Method& method, bool params, uint32_t millis = 0)
{
    capnp::MallocMessageBuilder message;
    auto s = message.initRoot<capnp::DynamicStruct>(params ? method.getParamType() : method.getResultType());
    if (params && millis != 0) s.set("millis", millis);
    if (!params && s.getSchema().findFieldByName("result") != nullptr) s.set("result", "served");
    std::string bytes;
    EncodeStruct(s.asReader(), bytes);
    return bytes;
}

std::mutex g_mutex;
std::condition_variable g_cv;
std::set<long long> g_cancelled;       // replies EVENT_CALL_CANCELLED named; guarded by g_mutex
std::atomic<int> g_slow_entered{0};
std::atomic<int> g_slow_heard_cancel{0};
std::atomic<int> g_slow_returned{0};

void Reply(long long reply, const std::string& results)
{
    try {
        api::reply_ok(reply, reinterpret_cast<const signed char*>(results.data()), static_cast<int64_t>(results.size()));
    } catch (const std::exception&) {
        // the call ended meanwhile
    }
}

// `slow` waits (on its worker) until it hears of a cancel, as a Java handler does when
// interrupted; the others answer at once.
void OnCall(long long, int method, const char*, long long, long long reply, long long, int, int, int, int)
{
    if (method != static_cast<int>(Method("slow").getIndex())) {
        Reply(reply, Encode(Method("threadName"), false));
        return;
    }
    ++g_slow_entered;
    {
        std::unique_lock<std::mutex> lock(g_mutex);
        // The event, or (for a cancel that came before this upcall) reply_cancelled.
        bool heard = g_cv.wait_for(lock, std::chrono::seconds(10), [reply] {
            return g_cancelled.count(reply) != 0 || api::reply_cancelled(reply);
        });
        if (heard) ++g_slow_heard_cancel;
    }
    Reply(reply, Encode(Method("slow"), false));
    ++g_slow_returned;
}

std::atomic<int64_t> g_iface{0};

void OnEvent(long long token, int event, long long a, long long)
{
    if (event == api::EVENT_INIT) api::event_init(g_iface.load(), 1);  // every connection serves ThreadTest
    if (token != 0 || event != api::EVENT_CALL_CANCELLED) return;
    std::lock_guard<std::mutex> lock(g_mutex);
    g_cancelled.insert(a);
    g_cv.notify_all();
}

struct Served {
    int64_t schema = api::schema_new((std::string(MPJAVA_SCHEMA_RESOURCES) + "\n" + MPJAVA_CAPNP_INCLUDE).c_str());
    int64_t server_loop = api::loop_start("ccserver", static_cast<int>(Level::Warning), 200, 0);
    int64_t client_loop = api::loop_start("ccclient", static_cast<int>(Level::Warning), 200, 0);
    int64_t server = 0;
    int64_t client = 0;

    Served()
    {
        api::install_upcalls(nullptr, &OnCall, &OnEvent, nullptr);
        api::schema_load(schema, (std::string(MPJAVA_TEST_SCHEMAS) + "/threads.capnp").c_str());
        int64_t iface = api::schema_interface(schema, "ThreadTest");
        int fds[2];
        api::socket_pair(fds);
        g_iface = iface;
        server = api::server_serve(server_loop, fds[0], 0, "", 0);
        client = api::client_connect(client_loop, fds[1], iface, 0);
    }
    ~Served()
    {
        api::loop_close(client_loop);
        api::loop_free(client_loop);
        api::loop_close(server_loop);
        api::loop_free(server_loop);
        api::schema_free(schema);
        api::install_upcalls(nullptr, nullptr, nullptr, nullptr);
        std::lock_guard<std::mutex> lock(g_mutex);
        g_cancelled.clear();
    }
    int64_t start(const char* method, uint32_t millis = 0)
    {
        std::string params = Encode(Method(method), true, millis);
        return api::client_call_start(client, static_cast<int>(Method(method).getIndex()),
                                      reinterpret_cast<const signed char*>(params.data()),
                                      static_cast<int64_t>(params.size()));
    }
    // The status of a call waited for up to 5 s (-1: no answer).
    static int finish(int64_t call)
    {
        int64_t result = api::call_wait(call, 5000);
        api::call_free(call);
        if (result == 0) return -1;
        int status = api::result_status(result);
        api::result_free(result);
        return status;
    }
};

} // namespace

MPJ_TEST(CancelledContextCallTellsItsHandlerAndFreesTheWorkerWhenItReturns)
{
    Served s;
    for (int round = 1; round <= 20; ++round) {
        int64_t call = s.start("slow", 1);
        WaitFor([&] { return g_slow_entered.load() == round; }, "slow to run on its worker");
        auto before = std::chrono::steady_clock::now();
        api::call_cancel(call);
        MPJ_CHECK_EQ(Served::finish(call), api::STATUS_CANCELLED);
        MPJ_CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(1));
        WaitFor([&] { return g_slow_returned.load() == round; }, "the handler to return once told");
        MPJ_CHECK_EQ(g_slow_heard_cancel.load(), round);
        // This thread's next Context call is served at once.
        before = std::chrono::steady_clock::now();
        MPJ_CHECK_EQ(Served::finish(s.start("threadName")), api::STATUS_OK);
        MPJ_CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(1));
    }
    g_slow_entered = 0;
    g_slow_heard_cancel = 0;
    g_slow_returned = 0;
}

MPJ_TEST(ContextCallCancelledBeforeItsWorkerStartsNeverRunsItsHandler)
{
    Served s;
    const int entered = g_slow_entered.load();
    for (int i = 0; i < 20; ++i) {  // each cancel retires a server thread: stay below the thread limit
        int64_t call = s.start("slow", 1);
        api::call_cancel(call);
        MPJ_CHECK_EQ(Served::finish(call), api::STATUS_CANCELLED);
    }
    // Each handler that did start heard of its cancel and returned.
    WaitFor([&] { return g_slow_returned.load() == g_slow_entered.load(); }, "every started handler to return");
    MPJ_CHECK_EQ(g_slow_heard_cancel.load(), g_slow_entered.load() - entered);
    MPJ_CHECK_EQ(Served::finish(s.start("threadName")), api::STATUS_OK);
    g_slow_entered = 0;
    g_slow_heard_cancel = 0;
    g_slow_returned = 0;
}

// Java's answers to served calls, through the facade (api.h) with a stand-in for the
// Java dispatcher: answered later from another thread (as a handler executor does), the
// loop serving other calls meanwhile; answered after the caller left; the caller's Peer.
#include "test_support.h"

#include <mpjava/api.h>
#include <mpjava/values/codec.h>

#include <capnp/message.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace mpjava;
using namespace mpjava::test;

namespace {

// What the stand-in dispatcher saw of one call.
struct SeenCall {
    int64_t reply;
    std::string params;
    long long connection;
    int pid;
    int uid;
    int flags;
};

std::mutex g_mutex;
std::condition_variable g_cv;
std::deque<SeenCall> g_calls;  // guarded by g_mutex
bool g_defer = false;          // guarded by g_mutex

std::string AddResults(const std::string& params)
{
    auto add = TestSchemas().findInterface("CalcInit").getMethodByName("add");
    capnp::MallocMessageBuilder in;
    auto p = in.initRoot<capnp::DynamicStruct>(add.getParamType());
    DecodeStruct(reinterpret_cast<const uint8_t*>(params.data()), params.size(), p, "add$Params");
    capnp::MallocMessageBuilder out;
    auto r = out.initRoot<capnp::DynamicStruct>(add.getResultType());
    r.set("result", p.get("a").as<int32_t>() + p.get("b").as<int32_t>());
    std::string bytes;
    EncodeStruct(r.asReader(), bytes);
    return bytes;
}

void Answer(int64_t reply, const std::string& results)
{
    api::reply_ok(reply, reinterpret_cast<const signed char*>(results.data()), static_cast<int64_t>(results.size()));
}

// The stand-in: answers at once, or queues the call for a test thread to answer.
void OnCall(long long, int, const char* params, long long size, long long reply, long long connection, int pid, int uid,
            int, int flags)
{
    SeenCall call{reply, std::string(params, static_cast<size_t>(size)), connection, pid, uid, flags};
    std::unique_lock<std::mutex> lock(g_mutex);
    if (!g_defer) {
        lock.unlock();
        Answer(reply, AddResults(call.params));
        return;
    }
    g_calls.push_back(std::move(call));
    g_cv.notify_all();
}

// The stand-in names the calculator, served by handler token 1, for every new connection.
std::atomic<int64_t> g_iface{0};
void OnEvent(long long, int event, long long, long long)
{
    if (event == api::EVENT_INIT) api::event_init(g_iface.load(), 1);
}

SeenCall NextCall()
{
    std::unique_lock<std::mutex> lock(g_mutex);
    if (!g_cv.wait_for(lock, std::chrono::seconds(10), [] { return !g_calls.empty(); })) throw CheckFailed("no call came");
    SeenCall call = std::move(g_calls.front());
    g_calls.pop_front();
    return call;
}

// A calculator served through the facade to two client connections.
struct Served {
    int64_t schema = api::schema_new((std::string(MPJAVA_SCHEMA_RESOURCES) + "\n" + MPJAVA_CAPNP_INCLUDE).c_str());
    int64_t server_loop = api::loop_start("rserver", static_cast<int>(Level::Warning), 200, 0);
    int64_t client_loop = api::loop_start("rclient", static_cast<int>(Level::Warning), 200, 0);
    int64_t iface = 0;
    int64_t servers[2] = {0, 0};
    int64_t clients[2] = {0, 0};
    int add_index = 0;

    Served()
    {
        api::install_upcalls(nullptr, &OnCall, &OnEvent, nullptr);
        api::schema_load(schema, (std::string(MPJAVA_TEST_SCHEMAS) + "/calculator.capnp").c_str());
        iface = api::schema_interface(schema, "CalcInit");
        g_iface = iface;
        add_index = static_cast<int>(TestSchemas().findInterface("CalcInit").getMethodByName("add").getIndex());
        for (int i = 0; i < 2; ++i) {
            int fds[2];
            api::socket_pair(fds);
            servers[i] = api::server_serve(server_loop, fds[0], 0, "", 0);
            clients[i] = api::client_connect(client_loop, fds[1], iface, 0);
        }
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
        g_calls.clear();
        g_defer = false;
    }
    static std::string Params(int a, int b)
    {
        auto add = TestSchemas().findInterface("CalcInit").getMethodByName("add");
        capnp::MallocMessageBuilder message;
        auto p = message.initRoot<capnp::DynamicStruct>(add.getParamType());
        p.set("a", a);
        p.set("b", b);
        std::string bytes;
        EncodeStruct(p.asReader(), bytes);
        return bytes;
    }
    // add(a, b) on client `i`; the call's status.
    int add(int i, int a, int b)
    {
        std::string params = Params(a, b);
        int64_t call = api::client_call_start(clients[i], add_index, reinterpret_cast<const signed char*>(params.data()),
                                              static_cast<int64_t>(params.size()));
        int64_t result = api::call_wait(call, 30000);
        api::call_free(call);
        if (result == 0) return -1;  // no answer in 30 s
        int status = api::result_status(result);
        api::result_free(result);
        return status;
    }
};

int64_t ReplyHandles()
{
    std::string stats = api::native_stats();
    auto at = stats.find("handles.reply=");
    if (at == std::string::npos) throw CheckFailed("no handles.reply count");
    return std::stoll(stats.substr(at + 14));
}

void Defer(bool defer)
{
    std::lock_guard<std::mutex> lock(g_mutex);
    g_defer = defer;
}

} // namespace

MPJ_TEST(AnswerFromAnotherThreadCompletesTheCallWhileTheLoopServesOthers)
{
    Served served;
    Defer(true);
    std::thread caller([&] { MPJ_CHECK_EQ(served.add(0, 2, 3), api::STATUS_OK); });
    SeenCall held = NextCall();
    MPJ_CHECK_EQ(held.flags & api::CALL_DEFERRABLE, api::CALL_DEFERRABLE);
    Defer(false);
    MPJ_CHECK_EQ(served.add(1, 1, 1), api::STATUS_OK);  // served while the first call waits
    std::thread answering([&] { Answer(held.reply, AddResults(held.params)); });
    answering.join();
    caller.join();
    MPJ_CHECK_THROWS(Answer(held.reply, AddResults(held.params)), api::CLOSED_HANDLE);  // one answer per call
}

MPJ_TEST(AnswerAfterTheCallerLeftIsDroppedAndLeavesNothing)
{
    Served served;
    Defer(true);
    std::thread caller([&] { served.add(0, 2, 3); });
    SeenCall held = NextCall();
    api::client_free(served.clients[0]);  // the caller's connection goes while its call waits
    caller.join();
    WaitFor([&] { return api::server_active(served.servers[0]) == 0; }, "the server to see the connection end");
    // The call ended with its connection (its handle is gone), or Cap'n Proto still holds
    // it and the answer completes it into the void: either way nothing stays.
    try {
        Answer(held.reply, AddResults(held.params));
    } catch (const std::exception& e) {
        MPJ_CHECK(std::string(e.what()).find(api::CLOSED_HANDLE) == 0);
    }
    MPJ_CHECK_EQ(ReplyHandles(), 0);
    Defer(false);
    MPJ_CHECK_EQ(served.add(1, 1, 1), api::STATUS_OK);
}

MPJ_TEST(AnswerAfterTheServerLoopClosedIsAClosedHandle)
{
    auto served = std::make_unique<Served>();
    Defer(true);
    std::thread caller([&] { served->add(0, 2, 3); });
    SeenCall held = NextCall();
    api::loop_close(served->server_loop);
    caller.join();
    MPJ_CHECK_THROWS(Answer(held.reply, AddResults(held.params)), api::CLOSED_HANDLE);
    served.reset();
}

MPJ_TEST(CallsCarryTheirConnectionAndPeerCredentials)
{
    Served served;
    Defer(true);
    std::vector<long long> connections;
    for (int i = 0; i < 2; ++i) {
        std::thread caller([&, i] { served.add(i, i, i); });
        SeenCall held = NextCall();
        connections.push_back(held.connection);
        MPJ_CHECK_EQ(held.pid, static_cast<int>(::getpid()));
        MPJ_CHECK_EQ(held.uid, static_cast<int>(::getuid()));
        Answer(held.reply, AddResults(held.params));
        caller.join();
    }
    MPJ_CHECK(connections[0] > 0 && connections[1] > 0);  // each served stream is connection 1 of its own listener
}

// Cancelling calls through the facade (api.h) against a server whose handler never
// answers: the caller gets CALL_CANCELLED at once, the server drops the call (Finish),
// and a cancel after the answer, or no cancel at all, leaves nothing behind.
#include "test_support.h"

#include <mpjava/api.h>
#include "bench.h"
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/values/codec.h>

#include <capnp/message.h>

#include <atomic>
#include <chrono>

using namespace mpjava;
using namespace mpjava::test;

namespace {

// add never answers: its promise stays pending until the call is dropped, which it records.
class HangingHandler : public CallHandler {
public:
    std::shared_ptr<std::atomic<int>> started = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<int>> dropped = std::make_shared<std::atomic<int>>(0);

    Job prepare(const capnp::InterfaceSchema::Method&, capnp::DynamicStruct::Reader,
                capnp::DynamicStruct::Builder) override
    {
        Job job;
        job.async = [started = started, dropped = dropped]() -> kj::Promise<void> {
            ++*started;
            return kj::Promise<void>(kj::NEVER_DONE).attach(kj::defer([dropped] { ++*dropped; }));
        };
        return job;
    }
};

struct HangingServer {
    std::shared_ptr<HangingHandler> handler = std::make_shared<HangingHandler>();
    std::shared_ptr<EventLoop> loop = EventLoop::Start("hang-server", {});
    int64_t client_loop = api::loop_start("hang-client", static_cast<int>(Level::Warning), 200, 0);
    int64_t schema = api::schema_new((std::string(MPJAVA_SCHEMA_RESOURCES) + "\n" + MPJAVA_CAPNP_INCLUDE).c_str());
    int64_t client = 0;
    std::string params;
    int add = 0;

    HangingServer()
    {
        auto calc = TestSchemas().findInterface("CalcInit");
        int fds[2];
        api::socket_pair(fds);
        loop->sync([&] {
            auto server = std::make_shared<Listener>(
                *loop, [this, calc](const Peer&) { return MakeDynamicServer(*loop, calc, handler); }, ServerOptions{},
                ConnectionEvents{});
            loop->adopt(server);
            server->serve(WrapSocket(*loop, fds[0]));
        });
        api::schema_load(schema, (std::string(MPJAVA_TEST_SCHEMAS) + "/calculator.capnp").c_str());
        client = api::client_connect(client_loop, fds[1], api::schema_interface(schema, "CalcInit"), 0);
        add = static_cast<int>(calc.getMethodByName("add").getIndex());
        capnp::MallocMessageBuilder message;
        auto p = message.initRoot<capnp::DynamicStruct>(calc.getMethodByName("add").getParamType());
        p.set("a", 1);
        EncodeStruct(p.asReader(), params);
    }
    ~HangingServer()
    {
        api::client_free(client);
        api::schema_free(schema);
        api::loop_close(client_loop);
        api::loop_free(client_loop);
        loop->close();
    }
    int64_t start()
    {
        return api::client_call_start(client, add, reinterpret_cast<const signed char*>(params.data()),
                                      static_cast<int64_t>(params.size()));
    }
};

} // namespace

MPJ_TEST(CancelledCallEndsAsCancelledAndTheServerDropsIt)
{
    HangingServer s;
    int64_t call = s.start();
    MPJ_CHECK_EQ(api::call_wait(call, 50), 0);  // still running
    WaitFor([&] { return s.handler->started->load() == 1; }, "the call to reach the server");
    auto before = std::chrono::steady_clock::now();
    api::call_cancel(call);
    int64_t result = api::call_wait(call, 5000);
    MPJ_CHECK(result != 0);
    MPJ_CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(1));
    MPJ_CHECK_EQ(api::result_status(result), api::STATUS_CANCELLED);
    api::result_free(result);
    api::call_cancel(call);  // again: nothing happens
    api::call_free(call);
    WaitFor([&] { return s.handler->dropped->load() == 1; }, "the server to drop the cancelled call");
}

MPJ_TEST(CallFreedWhileRunningIsDroppedWhenItsLoopCloses)
{
    HangingServer s;
    int64_t call = s.start();
    WaitFor([&] { return s.handler->started->load() == 1; }, "the call to reach the server");
    api::call_free(call);  // not cancelled: it runs on until the loop closes
    MPJ_CHECK_THROWS(api::call_wait(call, 10), "call is closed");
    MPJ_CHECK_THROWS(api::call_cancel(call), "call is closed");
}

MPJ_TEST(CallsCancelledFromAnotherThreadWhileTheirThreadWaits)
{
    HangingServer s;
    for (int i = 0; i < 50; i++) {
        int64_t call = s.start();
        std::thread canceller([call] { api::call_cancel(call); });
        int64_t result = api::call_wait(call, 5000);
        canceller.join();
        MPJ_CHECK(result != 0);
        MPJ_CHECK_EQ(api::result_status(result), api::STATUS_CANCELLED);
        api::result_free(result);
        api::call_free(call);
    }
    WaitFor([&] { return s.handler->dropped->load() == s.handler->started->load(); }, "every sent call dropped");
}

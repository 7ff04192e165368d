// Lifecycle of connections and the threads made for them: whatever order a peer
// leaves in, every worker thread ends, nothing of a connection is left behind, and no
// thread ever waits for itself.
#include "test_support.h"

#include <mpjava/rpc/connection.h>
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/io/sockets.h>
#include <mpjava/runtime/stats.h>
#include <mpjava/protocol/thread_map.h>


using namespace mpjava;
using namespace mpjava::test;

namespace {

capnp::InterfaceSchema ThreadTest() { return ThreadTestInterface(); }

class NameHandler : public CallHandler {
public:
    void call(const capnp::InterfaceSchema::Method&, capnp::DynamicStruct::Reader,
              capnp::DynamicStruct::Builder results) override
    {
        results.set("result", capnp::Text::Reader("done"));
    }
};

// One connection from a raw client on `client_loop` to a server on `server_loop`:
// construct, makePool(2), a Context call with a null thread (served on a pool
// thread), then the client drops the connection, waiting for the answer or not.
void PoolCallThenLeave(EventLoop& server_loop, EventLoop& client_loop, bool wait_for_answer)
{
    auto [server_fd, client_fd] = MakeSocketPair();
    server_loop.sync([&, fd = server_fd] {
        auto handler = std::make_shared<NameHandler>();
        auto server = std::make_shared<Listener>(
            server_loop, [&server_loop, handler](const Peer&) { return MakeDynamicServer(server_loop, ThreadTest(), handler); },
            ServerOptions{}, ConnectionEvents{});
        server_loop.adopt(server);
        server->serve(WrapSocket(server_loop, fd));
    });
    auto connection = std::make_shared<std::unique_ptr<Connection>>();
    auto init = std::make_shared<kj::Maybe<capnp::DynamicCapability::Client>>();
    client_loop.sync([&, fd = client_fd] {
        *connection = std::make_unique<Connection>(client_loop, WrapSocket(client_loop, fd));
        *init = (*connection)->bootstrap().castAs<capnp::DynamicCapability>(ThreadTest());
    });
    auto map = Await<mp::ThreadMap::Client>(client_loop, [init] {
        return KJ_ASSERT_NONNULL(*init).newRequest("construct").send().then([](capnp::Response<capnp::DynamicStruct>&& r) {
            return r.get("threadMap").as<capnp::DynamicCapability>().castAs<mp::ThreadMap>();
        });
    });
    Await<bool>(client_loop, [&map] {
        auto request = map.makePoolRequest();
        request.setCount(2);
        return request.send().then([](auto&&) { return true; });
    });
    auto call = [init] {
        auto request = KJ_ASSERT_NONNULL(*init).newRequest("threadName");
        request.init("context");  // thread left null: a pool thread serves it
        return request.send().then([](auto&&) { return true; });
    };
    if (wait_for_answer) {
        MPJ_CHECK(Await<bool>(client_loop, call));
    } else {
        client_loop.sync([&] { client_loop.addTask(call().ignoreResult().catch_([](kj::Exception&&) {})); });
    }
    client_loop.sync([&] {
        map = nullptr;
        *init = nullptr;
        connection->reset();
    });
}

} // namespace

MPJ_TEST(PoolCallsThenDisconnectsLeaveNoThreadsOrConnections)
{
    auto server_loop = EventLoop::Start("poolserver", {});
    auto client_loop = EventLoop::Start("poolclient", {});
    const int64_t connections_before = LiveCount(Live::Connection);
    for (int i = 0; i < 500; ++i) PoolCallThenLeave(*server_loop, *client_loop, i % 2 == 0);
    // While both loops still run: the loop reaps its connections and their threads.
    WaitFor([&] { return LiveCount(Live::Connection) == connections_before; }, "every connection to be destroyed");
    WaitFor([] { return LiveCount(Live::WorkerThread) == 0; }, "every pool thread to exit");
    WaitFor([] { return ThreadsNamed("mpjava-pool-") == 0; }, "no pool thread left in /proc/self/task");
    client_loop->close();
    server_loop->close();
}

MPJ_TEST(WorkerThreadDestroyedOnItsOwnThreadDoesNotJoinItself)
{
    auto loop = EventLoop::Start("selfworker", {});
    auto worker = std::make_shared<std::unique_ptr<WorkerThread>>(std::make_unique<WorkerThread>(*loop, "mpjava-self"));
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    // The last owner lets go from the worker's own thread, as a finished job could.
    (*worker)->waiter()->post([worker, done] {
        worker->reset();
        done->set_value();
    });
    MPJ_CHECK(finished.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    WaitFor([] { return ThreadsNamed("mpjava-self") == 0; }, "the worker to exit");
    loop->close();  // joins the retired thread
}

MPJ_TEST(CloseFromAWorkerOfTheLoopReturnsAndEndsTheLoop)
{
    auto loop = EventLoop::Start("closeworker", {});
    auto worker = std::make_shared<std::unique_ptr<WorkerThread>>(std::make_unique<WorkerThread>(*loop, "mpjava-closer"));
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    loop->sync([&] {
        // The loop owns the worker like a connection's registry does: its teardown retires it.
        struct Holder : LoopResource {
            std::shared_ptr<std::unique_ptr<WorkerThread>> worker;
            void teardown() override { worker->reset(); }
        };
        auto holder = std::make_shared<Holder>();
        holder->worker = worker;
        loop->adopt(holder);
    });
    (*worker)->waiter()->post([loop, done] {
        loop->close();  // a handler on a worker closes its own loop
        done->set_value();
    });
    MPJ_CHECK(finished.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    MPJ_CHECK(loop->closed());
}

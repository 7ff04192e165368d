// ListenConnections with and without a connection limit, the scenarios of
// upstream's listen_tests.cpp driven through our core with real Unix sockets.
#include "test_support.h"

#include <mpjava/rpc/client.h>
#include "bench.h"
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/io/sockets.h>

#include <future>
#include <mutex>

using namespace mpjava;
using namespace mpjava::test;

namespace {

capnp::InterfaceSchema Calc() { return TestSchemas().findInterface("CalcInit"); }

struct Logs {
    std::mutex mutex;
    std::string all;
    LogOptions options()
    {
        LogOptions o;
        o.min_level = Level::Trace;
        o.fn = [this](Level, const std::string&, const std::string& message) {
            std::lock_guard<std::mutex> lock(mutex);
            all += message + "\n";
        };
        return o;
    }
    bool contains(const std::string& text)
    {
        std::lock_guard<std::mutex> lock(mutex);
        return all.find(text) != std::string::npos;
    }
};

struct ListenSetup {
    Logs logs;
    std::shared_ptr<EventLoop> loop;
    std::shared_ptr<Listener> server;
    std::string path = TempSocketPath("listen.sock");

    int refusals = 0;  // the first connections the init factory refuses (by throwing)

    explicit ListenSetup(std::optional<size_t> max, int refuse_first = 0)
    {
        loop = EventLoop::Start("server", logs.options());
        int fd = BindUnixSocket(path);
        refusals = refuse_first;
        loop->sync([&] {
            auto handler = MakeAddHandler();
            EventLoop& l = *loop;
            auto make_init = [this, &l, handler](const Peer&) {
                if (refusals > 0) {
                    --refusals;
                    throw std::runtime_error("not this one");
                }
                return MakeDynamicServer(l, Calc(), handler);
            };
            server = std::make_shared<Listener>(
                l, make_init, [max] { ServerOptions o; o.max_connections = max; return o; }(), ConnectionEvents{});
            l.adopt(server);
            server->listen(WrapListener(l, fd));
        });
    }
    ~ListenSetup() { loop->close(); }
    size_t active() { return server->activeConnections(); }
};

// A client on its own loop, like a separate process would have.
struct TestClient {
    std::shared_ptr<EventLoop> loop = EventLoop::Start("client", {});
    std::shared_ptr<Client> client;

    explicit TestClient(const std::string& path)
    {
        int fd = ConnectUnixSocket(path);
        loop->sync([&] { client = std::make_shared<Client>(*loop, WrapSocket(*loop, fd), Calc()); });
    }
    ~TestClient() { disconnect(); }

    std::future<int> add(int a, int b)
    {
        auto done = std::make_shared<std::promise<int>>();
        auto future = done->get_future();
        loop->post([this, a, b, done] {
            auto method = Calc().getMethodByName("add");
            capnp::MallocMessageBuilder params;
            auto p = params.initRoot<capnp::DynamicStruct>(method.getParamType());
            p.set("a", a);
            p.set("b", b);
            loop->addTask(client->call(method, p.asReader())
                              .then([done, method](capnp::Response<capnp::AnyPointer>&& r) {
                                  done->set_value(r.getAs<capnp::DynamicStruct>(method.getResultType()).get("result").as<int>());
                              }, [done](kj::Exception&& e) {
                                  done->set_exception(std::make_exception_ptr(std::runtime_error(e.getDescription().cStr())));
                              }));
        });
        return future;
    }

    void disconnect()
    {
        if (!client) return;
        loop->sync([&] {
            client->close();
            client.reset();
        });
        loop->close();
    }
};

bool Served(std::future<int>& f, int expected, std::chrono::milliseconds within = std::chrono::seconds(10))
{
    if (f.wait_for(within) != std::future_status::ready) return false;
    MPJ_CHECK_EQ(f.get(), expected);
    return true;
}

// The window in which a capped client must not be served.
constexpr auto kStillWaiting = std::chrono::milliseconds(200);

} // namespace

MPJ_TEST(ListenerAcceptsIncomingConnections)
{
    ListenSetup setup(std::nullopt);
    TestClient a(setup.path), b(setup.path), c(setup.path);
    auto fa = a.add(1, 2), fb = b.add(3, 4), fc = c.add(5, 6);
    MPJ_CHECK(Served(fa, 3));
    MPJ_CHECK(Served(fb, 7));
    MPJ_CHECK(Served(fc, 11));
    MPJ_CHECK_EQ(setup.active(), 3u);
    MPJ_CHECK(setup.logs.contains("IPC server: socket connected."));
}

MPJ_TEST(ListenerMaxOneServesSecondAfterFirstLeaves)
{
    ListenSetup setup(1);
    auto first = std::make_unique<TestClient>(setup.path);
    auto f1 = first->add(1, 1);
    MPJ_CHECK(Served(f1, 2));
    auto second = std::make_unique<TestClient>(setup.path);
    auto f2 = second->add(2, 2);
    MPJ_CHECK(!Served(f2, 4, kStillWaiting));  // waits in the backlog while the first is connected
    MPJ_CHECK_EQ(setup.active(), 1u);
    first.reset();
    MPJ_CHECK(Served(f2, 4));
    second.reset();
    WaitFor([&] { return setup.active() == 0; }, "both clients to leave");
    TestClient third(setup.path);
    auto f3 = third.add(3, 3);
    MPJ_CHECK(Served(f3, 6));
    MPJ_CHECK(setup.logs.contains("IPC server: socket disconnected."));
}

MPJ_TEST(ListenerMaxTwoKeepsThirdWaiting)
{
    ListenSetup setup(2);
    auto a = std::make_unique<TestClient>(setup.path);
    TestClient b(setup.path);
    auto fa = a->add(1, 0), fb = b.add(2, 0);
    MPJ_CHECK(Served(fa, 1));
    MPJ_CHECK(Served(fb, 2));
    TestClient c(setup.path);
    auto fc = c.add(3, 0);
    MPJ_CHECK(!Served(fc, 3, kStillWaiting));
    MPJ_CHECK_EQ(setup.active(), 2u);
    a.reset();
    MPJ_CHECK(Served(fc, 3));
    MPJ_CHECK_EQ(setup.active(), 2u);
}

MPJ_TEST(ListenerRefusesAConnectionItsInitFactoryThrowsForAndGoesOn)
{
    ListenSetup setup(1, 1);
    TestClient refused(setup.path);
    auto f1 = refused.add(1, 1);
    MPJ_CHECK(f1.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    bool failed = false;
    try {
        f1.get();
    } catch (const std::runtime_error&) {
        failed = true;  // the socket was closed unread
    }
    MPJ_CHECK(failed);
    WaitFor([&] { return setup.logs.contains("IPC server: refused connection from pid "); }, "the refusal logged");
    MPJ_CHECK(setup.logs.contains(": not this one"));
    TestClient served(setup.path);  // with a limit of 1: the refused connection took no slot
    auto f2 = served.add(2, 2);
    MPJ_CHECK(Served(f2, 4));
    MPJ_CHECK_EQ(setup.active(), 1u);
}

MPJ_TEST(ListenerSurvivesClientThatLeavesBeforeAccept)
{
    ListenSetup setup(1);
    auto first = std::make_unique<TestClient>(setup.path);
    auto f1 = first->add(1, 1);
    MPJ_CHECK(Served(f1, 2));
    int early = ConnectUnixSocket(setup.path);  // completes connect() into the backlog
    CloseFd(early);                             // and leaves before it is accepted
    first.reset();
    TestClient later(setup.path);
    auto f2 = later.add(5, 5);
    MPJ_CHECK(Served(f2, 10));
}

MPJ_TEST(ListenerDisconnectBurstLeaksNoAccepts)
{
    {
        ListenSetup setup(1);
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 5; ++i) clients.push_back(std::make_unique<TestClient>(setup.path));
        auto f0 = clients[0]->add(0, 0);
        MPJ_CHECK(Served(f0, 0));
        clients.clear();  // all five leave at once, four of them never accepted
        WaitFor([&] { return setup.active() == 0; }, "the burst to drain");
        TestClient after(setup.path);
        auto f = after.add(4, 4);
        MPJ_CHECK(Served(f, 8));
        after.disconnect();
        WaitFor([&] { return setup.active() == 0; }, "the last client to leave");
        setup.loop->close();
        MPJ_CHECK(setup.logs.contains("EventLoop::loop bye."));
        MPJ_CHECK(!setup.logs.contains("PromiseFulfiller"));
        MPJ_CHECK(!setup.logs.contains("Uncaught exception"));
    }
}

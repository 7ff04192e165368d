// Server-side thread rules of the libmultiprocess protocol (wire-protocol.md §3),
// driven by a dynamically typed client over a real socketpair, as an upstream
// client would send them: construct, makeThread / makePool, then Context calls.
#include "test_support.h"

#include <mpjava/rpc/connection.h>
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/io/sockets.h>
#include <mpjava/protocol/thread_map.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <vector>
#include <thread>

using namespace mpjava;
using namespace mpjava::test;

namespace {

capnp::InterfaceSchema ThreadTest() { return ThreadTestInterface(); }

class NameHandler : public CallHandler {
public:
    void call(const capnp::InterfaceSchema::Method& method, capnp::DynamicStruct::Reader params,
              capnp::DynamicStruct::Builder results) override
    {
        if (method.getProto().getName() == "slow") {  // holds its thread for `millis`
            std::this_thread::sleep_for(std::chrono::milliseconds(params.get("millis").as<uint32_t>()));
            return;
        }
        std::string name = CurrentThreadName();
        results.set("result", capnp::Text::Reader(name.c_str()));
    }
};

struct ServerPeer {
    std::shared_ptr<EventLoop> server_loop = EventLoop::Start("ctxserver", {});
    std::shared_ptr<EventLoop> client_loop = EventLoop::Start("ctxclient", {});
    std::unique_ptr<Connection> connection;
    kj::Maybe<capnp::DynamicCapability::Client> init;
    kj::Maybe<mp::ThreadMap::Client> server_map;

    ServerPeer()
    {
        auto [server_fd, client_fd] = MakeSocketPair();
        server_loop->sync([&, fd = server_fd] {
            EventLoop& l = *server_loop;
            auto handler = std::make_shared<NameHandler>();
            auto server = std::make_shared<Listener>(
                l, [&l, handler](const Peer&) { return MakeDynamicServer(l, ThreadTest(), handler); }, ServerOptions{}, ConnectionEvents{});
            l.adopt(server);
            server->serve(WrapSocket(l, fd));
        });
        client_loop->sync([&, fd = client_fd] {
            connection = std::make_unique<Connection>(*client_loop, WrapSocket(*client_loop, fd));
            init = connection->bootstrap().castAs<capnp::DynamicCapability>(ThreadTest());
        });
        // construct(threadMap = null) -> (threadMap): the server's map comes back.
        server_map = Await<mp::ThreadMap::Client>(*client_loop, [this] {
            return initCap().newRequest("construct").send().then([](capnp::Response<capnp::DynamicStruct>&& r) {
                return r.get("threadMap").as<capnp::DynamicCapability>().castAs<mp::ThreadMap>();
            });
        });
    }
    ~ServerPeer()
    {
        client_loop->sync([&] {
            server_map = nullptr;
            init = nullptr;
            connection.reset();
        });
        client_loop->close();
        server_loop->close();
    }
    capnp::DynamicCapability::Client& initCap() { return KJ_ASSERT_NONNULL(init); }
    mp::ThreadMap::Client& map() { return KJ_ASSERT_NONNULL(server_map); }

    // threadName(context{thread}) where make_thread builds the thread cap (or null).
    std::string threadName(std::function<kj::Maybe<capnp::Capability::Client>()> make_thread)
    {
        return Await<std::string>(*client_loop, [this, make_thread] {
            auto request = initCap().newRequest("threadName");
            auto ctx = request.init("context").as<capnp::DynamicStruct>();
            KJ_IF_MAYBE(thread, make_thread()) {
                auto thread_schema = ctx.getSchema().getFieldByName("thread").getType().asInterface();
                ctx.set("thread", thread->castAs<capnp::DynamicCapability>(thread_schema));
            }
            return request.send().then([](capnp::Response<capnp::DynamicStruct>&& r) {
                return std::string(r.get("result").as<capnp::Text>().cStr());
            });
        });
    }
};

} // namespace

MPJ_TEST(ContextCallRunsOnTheWorkerThreadItNames)
{
    // The thread-start hook is how Java names the attached thread: it gets the full name.
    std::mutex m;
    std::vector<std::string> started;
    SetThreadStartHook([&](const std::string& n) {
        std::lock_guard<std::mutex> lock(m);
        started.push_back(n);
    });
    ServerPeer peer;
    std::string name = peer.threadName([&]() -> kj::Maybe<capnp::Capability::Client> {
        auto request = peer.map().makeThreadRequest();
        request.setName("test-client\tof a raw makeThread");
        return capnp::Capability::Client(request.send().getResult());  // pipelined, like upstream
    });
    SetThreadStartHook(nullptr);
    MPJ_CHECK_EQ(name, std::string("mpjw/test-clien"));  // the kernel's name, cut to 15 bytes
    std::lock_guard<std::mutex> lock(m);
    MPJ_CHECK(std::find(started.begin(), started.end(), "mpjava-worker/test-client?of a raw makeThread") != started.end());
}

MPJ_TEST(WorkerNamesCarryThePeersThreadNameSanitisedAndBounded)
{
    // A Java or upstream caller names itself "<exe>-<pid>/<thread>-<tid>".
    WorkerNames upstream = NameWorkerFor("mpcalculator-4242/main-4243");
    MPJ_CHECK_EQ(upstream.full, std::string("mpjava-worker/mpcalculator-4242/main-4243"));
    MPJ_CHECK_EQ(upstream.os, std::string("mpjw/main-4243"));
    // A raw makeThread may send anything: control bytes, non-ASCII, any length.
    WorkerNames raw = NameWorkerFor(std::string("bad\x01name\n\xc3\xa9") + std::string(100, 'x'));
    MPJ_CHECK_EQ(raw.full.substr(0, 27), std::string("mpjava-worker/bad?name???xx"));
    MPJ_CHECK_EQ(raw.full.size(), std::size_t(14 + 64));
    MPJ_CHECK_EQ(raw.full.substr(raw.full.size() - 3), std::string("..."));
    MPJ_CHECK_EQ(raw.os, std::string("mpjw/bad?name??"));
    MPJ_CHECK(raw.os.size() <= 15);
    MPJ_CHECK_EQ(NameWorkerFor("").full, std::string("mpjava-worker"));
}

MPJ_TEST(CallWithoutContextRunsOnLoopThread)
{
    ServerPeer peer;
    std::string name = Await<std::string>(*peer.client_loop, [&] {
        return peer.initCap().newRequest("loopThreadName").send().then([](capnp::Response<capnp::DynamicStruct>&& r) {
            return std::string(r.get("result").as<capnp::Text>().cStr());
        });
    });
    MPJ_CHECK_EQ(name, std::string("mpj-ctxserver"));
}

MPJ_TEST(NullThreadWithoutPoolFailsLikeUpstream)
{
    ServerPeer peer;
    MPJ_CHECK_THROWS(peer.threadName([] { return nullptr; }), "no thread specified and no pool configured");
}

MPJ_TEST(NullThreadWithPoolRunsOnPoolThread)
{
    ServerPeer peer;
    Await<bool>(*peer.client_loop, [&] {
        auto request = peer.map().makePoolRequest();
        request.setCount(2);
        return request.send().then([](auto&&) { return true; });
    });
    MPJ_CHECK_EQ(peer.threadName([] { return nullptr; }), std::string("mpjava-pool-0"));
}

MPJ_TEST(ThreadHostedByCallerIsRejectedAsInvalidHandle)
{
    ServerPeer peer;
    auto own_waiter = std::make_shared<Waiter>();  // a Thread the client hosts itself: not one the server created
    MPJ_CHECK_THROWS(peer.threadName([&]() -> kj::Maybe<capnp::Capability::Client> {
        return capnp::Capability::Client(kj::heap<ThreadServer>("client-side", own_waiter));
    }),
                     "invalid thread handle");
}

MPJ_TEST(ReleasedThreadEndsAndPoolThreadsEndWithTheConnection)
{
    {
        ServerPeer peer;
        Await<bool>(*peer.client_loop, [&] {
            auto request = peer.map().makePoolRequest();
            request.setCount(3);
            return request.send().then([](auto&&) { return true; });
        });
        peer.threadName([&]() -> kj::Maybe<capnp::Capability::Client> {
            auto request = peer.map().makeThreadRequest();
            request.setName("short-lived");
            return capnp::Capability::Client(request.send().getResult());
        });
        // The made thread's capability was only held for that call: its thread ends.
        WaitFor([] { return ThreadsNamed("mpjw") == 0; }, "the released worker thread to be joined");
        // Pool threads start as calls need them (one call: one thread) and live as long as the connection.
        MPJ_CHECK_EQ(ThreadsNamed("mpjava-pool-"), 0);
        peer.threadName([] { return nullptr; });
        MPJ_CHECK_EQ(ThreadsNamed("mpjava-pool-"), 1);
    }  // the client disconnects and both loops close
    WaitFor([] { return ThreadsNamed("mpjava-pool-") == 0; }, "pool threads to be joined with the connection");
}

MPJ_TEST(PoolStartsThreadsOnlyAsConcurrentCallsNeedThemUpToItsCount)
{
    ServerPeer peer;
    Await<bool>(*peer.client_loop, [&] {
        auto request = peer.map().makePoolRequest();
        request.setCount(3);
        return request.send().then([](auto&&) { return true; });
    });
    auto slow_calls = [&](int n) {
        Await<bool>(*peer.client_loop, [&, n] {
            kj::Vector<kj::Promise<void>> calls;
            for (int i = 0; i < n; ++i) {
                auto request = peer.initCap().newRequest("slow");
                request.init("context");  // null thread: the pool
                request.set("millis", 100);
                calls.add(request.send().ignoreResult());
            }
            return kj::joinPromises(calls.releaseAsArray()).then([] { return true; });
        });
    };
    slow_calls(1);
    MPJ_CHECK_EQ(ThreadsNamed("mpjava-pool-"), 1);
    // (A call right after may start a second thread: the first counts as busy until its
    // job has returned, a moment after its answer left.)
    slow_calls(5);  // five at once: the pool grows to its count, and no further
    MPJ_CHECK_EQ(ThreadsNamed("mpjava-pool-"), 3);
}

// The per-connection thread limit (ServerOptions::max_threads_per_connection): makeThread
// and makePool beyond it fail naming the limit, threads made before keep working, a
// released thread gives its place back, and makePool starts no thread up front.
#include "test_support.h"

#include <mpjava/io/sockets.h>
#include <mpjava/protocol/thread_map.h>
#include <mpjava/rpc/connection.h>
#include <mpjava/rpc/listener.h>

#include <cstdio>

using namespace mpjava;
using namespace mpjava::test;

namespace {

// A ThreadMap served with a thread limit, and a client connection to it.
struct LimitedPeer {
    std::shared_ptr<EventLoop> server_loop = EventLoop::Start("limserver", {});
    std::shared_ptr<EventLoop> client_loop = EventLoop::Start("limclient", {});
    std::unique_ptr<Connection> connection;
    kj::Maybe<mp::ThreadMap::Client> map;

    explicit LimitedPeer(std::size_t limit)
    {
        auto [server_fd, client_fd] = MakeSocketPair();
        server_loop->sync([&, fd = server_fd] {
            EventLoop& l = *server_loop;
            auto init = [&l, limit](const Peer&) {
                auto state = std::make_shared<ProtocolState>(l);
                state->threadLimit().set(limit);
                return capnp::Capability::Client(kj::heap<ThreadMapServer>(state));
            };
            auto server = std::make_shared<Listener>(l, init, ServerOptions{}, ConnectionEvents{});
            l.adopt(server);
            server->serve(WrapSocket(l, fd));
        });
        client_loop->sync([&, fd = client_fd] {
            connection = std::make_unique<Connection>(*client_loop, WrapSocket(*client_loop, fd));
            map = connection->bootstrap().castAs<mp::ThreadMap>();
        });
    }
    ~LimitedPeer()
    {
        client_loop->sync([&] {
            threads.clear();
            map = nullptr;
            connection.reset();
        });
        client_loop->close();
        server_loop->close();
    }

    // makeThread; the thread is kept (client loop) until dropThreads().
    std::string makeThread(const std::string& name)
    {
        return Await<std::string>(*client_loop, [this, name] {
            auto request = KJ_ASSERT_NONNULL(map).makeThreadRequest();
            request.setName(name);
            auto thread = request.send().getResult();
            threads.add(thread);
            return thread.getNameRequest().send().then(
                [](capnp::Response<mp::Thread::GetNameResults>&& r) { return std::string(r.getResult().cStr()); });
        });
    }
    bool makePool(uint32_t n)
    {
        return Await<bool>(*client_loop, [this, n] {
            auto request = KJ_ASSERT_NONNULL(map).makePoolRequest();
            request.setCount(n);
            return request.send().then([](auto&&) { return true; });
        });
    }
    void dropThreads()
    {
        client_loop->sync([&] { threads.clear(); });
    }

    kj::Vector<mp::Thread::Client> threads;  // client loop only
};

} // namespace

MPJ_TEST(MakeThreadBeyondTheLimitFailsAndEarlierThreadsStillWork)
{
    LimitedPeer peer(3);
    for (const char* name : {"t0", "t1", "t2"}) peer.makeThread(name);
    MPJ_CHECK_THROWS(peer.makeThread("one-too-many"), "makeThread refused: thread limit reached");
    MPJ_CHECK_EQ(ThreadsNamed("mpjw"), 3);
    // The threads made before the refusal still answer.
    std::string name = Await<std::string>(*peer.client_loop, [&] {
        return peer.threads[0].getNameRequest().send().then(
            [](capnp::Response<mp::Thread::GetNameResults>&& r) { return std::string(r.getResult().cStr()); });
    });
    MPJ_CHECK(name.find("(from t0)") != std::string::npos);
}

MPJ_TEST(ReleasedThreadsGiveTheirPlaceBack)
{
    LimitedPeer peer(2);
    peer.makeThread("a");
    peer.makeThread("b");
    MPJ_CHECK_THROWS(peer.makeThread("c"), "thread limit reached");
    peer.dropThreads();
    WaitFor([] { return ThreadsNamed("mpjw") == 0; }, "released threads to end");
    peer.makeThread("d");  // the places of a and b are free again
}

MPJ_TEST(MakePoolBeyondTheLimitFailsAndCountsWithMakeThread)
{
    LimitedPeer peer(4);
    MPJ_CHECK_THROWS(peer.makePool(500), "makePool refused: thread limit reached");
    peer.makeThread("one");
    MPJ_CHECK_THROWS(peer.makePool(4), "thread limit reached (this connection may have 4 threads, has 1");
    MPJ_CHECK(peer.makePool(3));
    MPJ_CHECK_THROWS(peer.makeThread("two"), "thread limit reached");
}

MPJ_TEST(MakePoolStartsNoThreadUpFront)
{
    LimitedPeer peer(1000);
    auto start = std::chrono::steady_clock::now();
    MPJ_CHECK(peer.makePool(500));
    auto took = std::chrono::steady_clock::now() - start;
    MPJ_CHECK_EQ(ThreadsNamed("mpjava-pool-"), 0);
    std::printf("[figure] makePool(500) answered in %lld us\n",
                static_cast<long long>(std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
    MPJ_CHECK(took < std::chrono::milliseconds(200));
}

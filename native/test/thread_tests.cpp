// Worker threads, Thread and ThreadMap servers, spoken to over a real socketpair with
// the typed proxy.capnp classes, as a C++ libmultiprocess peer would.
#include "test_support.h"

#include <mpjava/rpc/connection.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/io/sockets.h>
#include <mpjava/protocol/thread_map.h>

#include <regex>

using namespace mpjava;
using namespace mpjava::test;

namespace {

// A server loop serving a ThreadMap as init capability, and a client connection to it.
struct ThreadMapPeer {
    std::shared_ptr<EventLoop> server_loop = EventLoop::Start("tmserver", {});
    std::shared_ptr<EventLoop> client_loop = EventLoop::Start("tmclient", {});
    std::unique_ptr<Connection> connection;
    kj::Maybe<mp::ThreadMap::Client> map;

    ThreadMapPeer()
    {
        auto [server_fd, client_fd] = MakeSocketPair();
        server_loop->sync([&, fd = server_fd] {
            EventLoop& l = *server_loop;
            auto server = std::make_shared<Listener>(
                l, [&l](const Peer&) { return capnp::Capability::Client(kj::heap<ThreadMapServer>(std::make_shared<ProtocolState>(l))); },
                ServerOptions{}, ConnectionEvents{});
            l.adopt(server);
            server->serve(WrapSocket(l, fd));
        });
        client_loop->sync([&, fd = client_fd] {
            connection = std::make_unique<Connection>(*client_loop, WrapSocket(*client_loop, fd));
            map = connection->bootstrap().castAs<mp::ThreadMap>();
        });
    }
    ~ThreadMapPeer()
    {
        client_loop->sync([&] {
            map = nullptr;
            connection.reset();
        });
        client_loop->close();
        server_loop->close();
    }
    mp::ThreadMap::Client& threadMap() { return KJ_ASSERT_NONNULL(map); }
};

} // namespace

MPJ_TEST(WaiterRunsPostedJobsWhileWaiting)
{
    Waiter waiter;
    std::atomic<bool> done{false};
    int ran = 0;
    std::thread poster([&] {
        for (int i = 0; i < 3; ++i) waiter.post([&] { ++ran; });
        waiter.post([&] { done = true; });
    });
    waiter.waitUntil([&] { return done.load(); });
    poster.join();
    MPJ_CHECK_EQ(ran, 3);
}

MPJ_TEST(MakeThreadNamesThreadLikeUpstream)
{
    ThreadMapPeer peer;
    std::string name = Await<std::string>(*peer.client_loop, [&] {
        auto request = peer.threadMap().makeThreadRequest();
        request.setName("client-main");
        auto thread = request.send().getResult();
        return thread.getNameRequest().send().then([](capnp::Response<mp::Thread::GetNameResults>&& r) {
            return std::string(r.getResult().cStr());
        });
    });
    // "<exe>-<pid>/<pthread name>-<tid> (from <name>)"
    MPJ_CHECK(std::regex_match(name, std::regex(R"(tmserver-\d+/.+-\d+ \(from client-main\))")));
}

MPJ_TEST(SecondMakePoolFailsLikeUpstream)
{
    ThreadMapPeer peer;
    auto pool = [&](uint32_t n) {
        return Await<bool>(*peer.client_loop, [&, n] {
            auto request = peer.threadMap().makePoolRequest();
            request.setCount(n);
            return request.send().then([](auto&&) { return true; });
        });
    };
    MPJ_CHECK(pool(2));
    MPJ_CHECK_THROWS(pool(1), "makePool called on connection with existing pool");
}

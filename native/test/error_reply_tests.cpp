// What a peer sees of a failure on this side: the type and the message, without the
// absolute paths and addresses the server's log keeps (protocol/error_reply.h).
#include "test_support.h"

#include <mpjava/io/sockets.h>
#include <mpjava/protocol/dispatch.h>
#include <mpjava/protocol/error_reply.h>
#include <mpjava/rpc/client.h>
#include <mpjava/rpc/listener.h>

#include <kj/debug.h>

#include <cstdio>
#include <mutex>

using namespace mpjava;
using namespace mpjava::test;

namespace {

capnp::InterfaceSchema Calc() { return TestSchemas().findInterface("CalcInit"); }

// The directory of this source file: a path of the build tree.
std::string SourceDir()
{
    std::string file = __FILE__;
    return file.substr(0, file.rfind('/'));
}

// fail(message) throws: a std::exception naming this file and an address, or with
// message "kj", a KJ exception's what() (file:line, description, stack) as some code
// paths pass it on.
class FailHandler : public CallHandler {
public:
    void call(const capnp::InterfaceSchema::Method&, capnp::DynamicStruct::Reader params,
              capnp::DynamicStruct::Builder) override
    {
        std::string message = params.get("message").as<capnp::Text>().cStr();
        if (message == "kj") {
            try {
                int local = 0;
                KJ_FAIL_REQUIRE("state is broken", &local);
            } catch (const std::exception& e) {
                throw std::runtime_error(std::string("results do not fit: ") + e.what());
            }
        }
        throw std::runtime_error(message + " reading " + __FILE__ + " at 0x7ffd1234abcd");
    }
};

struct Served {
    std::mutex mutex;
    std::string log;
    std::shared_ptr<EventLoop> server_loop, client_loop;
    std::shared_ptr<Client> client;

    Served()
    {
        LogOptions logs;
        logs.min_level = Level::Error;
        logs.fn = [this](Level, const std::string&, const std::string& message) {
            std::lock_guard<std::mutex> lock(mutex);
            log += message + "\n";
        };
        server_loop = EventLoop::Start("error-server", logs);
        client_loop = EventLoop::Start("error-client", {});
        auto [server_fd, client_fd] = MakeSocketPair();
        server_loop->sync([&, fd = server_fd] {
            EventLoop& l = *server_loop;
            auto handler = std::make_shared<FailHandler>();
            auto server = std::make_shared<Listener>(
                l, [&l, handler](const Peer&) { return MakeDynamicServer(l, Calc(), handler); }, ServerOptions{},
                ConnectionEvents{});
            l.adopt(server);
            server->serve(WrapSocket(l, fd));
        });
        client_loop->sync([&, fd = client_fd] {
            client = std::make_shared<Client>(*client_loop, WrapSocket(*client_loop, fd), Calc());
        });
    }
    ~Served()
    {
        client_loop->sync([&] {
            client->close();
            client.reset();
        });
        client_loop->close();
        server_loop->close();
    }
    // The reason the client gets for fail(message).
    std::string reasonOf(const std::string& message)
    {
        try {
            Await<int>(*client_loop, [this, message] {
                auto method = Calc().getMethodByName("fail");
                capnp::MallocMessageBuilder params;
                params.initRoot<capnp::DynamicStruct>(method.getParamType()).set("message", message.c_str());
                return client->call(method, params.getRoot<capnp::DynamicStruct>(method.getParamType()).asReader())
                    .then([](capnp::Response<capnp::AnyPointer>&&) { return 0; });
            });
        } catch (const std::exception& e) {
            return e.what();
        }
        throw CheckFailed("fail() did not fail");
    }
    bool logged(const std::string& text)
    {
        std::lock_guard<std::mutex> lock(mutex);
        return log.find(text) != std::string::npos;
    }
};

bool HasAddress(const std::string& text)
{
    for (std::size_t at = text.find("0x"); at != std::string::npos; at = text.find("0x", at + 1)) {
        std::size_t digits = 0;
        while (at + 2 + digits < text.size() && std::isxdigit(static_cast<unsigned char>(text[at + 2 + digits]))) ++digits;
        if (digits >= 6) return true;
    }
    // KJ's bare hex pointers: a word of 8+ hex digits with letters and digits.
    std::size_t run = 0;
    bool letter = false, digit = false;
    for (char c : text + " ") {
        if (std::isxdigit(static_cast<unsigned char>(c))) {
            ++run;
            (std::isdigit(static_cast<unsigned char>(c)) ? digit : letter) = true;
            continue;
        }
        if (run >= 8 && letter && digit) return true;
        run = 0;
        letter = digit = false;
    }
    return false;
}

} // namespace

MPJ_TEST(ReasonForPeerDropsPathsAddressesAndStacks)
{
    MPJ_CHECK_EQ(ReasonForPeer("open /home/u/x/secret.key failed"), std::string("open secret.key failed"));
    MPJ_CHECK_EQ(ReasonForPeer("/src/kj/async.c++:123: failed: x"), std::string("async.c++:123: failed: x"));
    MPJ_CHECK_EQ(ReasonForPeer("path=/a/b (at 0x55d1c0ffee00)"), std::string("path=b (at 0x?)"));
    MPJ_CHECK_EQ(ReasonForPeer("flags 0x1f, ratio 3/4"), std::string("flags 0x1f, ratio 3/4"));
    MPJ_CHECK_EQ(ReasonForPeer("failed: y\nstack: 7f01 7f02\nnext"), std::string("failed: y\n\nnext"));
    MPJ_CHECK_EQ(ReasonForPeer("java.io.IOException: no"), std::string("java.io.IOException: no"));
    MPJ_CHECK_EQ(ReasonForPeer("&local = 7fea8dd1acf0; id deadbeef12"), std::string("&local = 0x?; id 0x?"));
    const std::string txid(64, 'a');
    MPJ_CHECK_EQ(ReasonForPeer("tx " + txid + "1 missing"), "tx " + txid + "1 missing");
}

MPJ_TEST(ErrorReplyHidesLocalPathsAndAddressesServerLogKeepsThem)
{
    Served served;
    std::string plain = served.reasonOf("cannot go on");
    std::string kj = served.reasonOf("kj");
    std::printf("client sees: [%s]\nclient sees: [%s]\n", plain.c_str(), kj.c_str());
    for (const auto& reason : {plain, kj}) {
        MPJ_CHECK(reason.find(SourceDir()) == std::string::npos);
        MPJ_CHECK(reason.find(" /") == std::string::npos);
        MPJ_CHECK(!HasAddress(reason));
    }
    MPJ_CHECK(plain.find("cannot go on reading error_reply_tests.cpp at 0x?") != std::string::npos);
    MPJ_CHECK(kj.find("results do not fit") != std::string::npos);
    MPJ_CHECK(kj.find("state is broken") != std::string::npos);
    MPJ_CHECK(served.logged(std::string("cannot go on reading ") + __FILE__ + " at 0x7ffd1234abcd"));
    MPJ_CHECK(served.logged("state is broken"));
}

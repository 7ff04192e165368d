// `mpjava_fuzz capture <dir>`: the corpus of the mutated category. Our own client
// (rpc/client.h: bootstrap, construct with its ThreadMap, then add, echo, fail and its
// release on close) talks to our server through a relay that records what the client
// sends; each recorded message becomes one file, NN-<type>.bin, in sending order.
#include "fuzz_cases.h"

#include <mpjava/io/sockets.h>
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/client.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/values/schema.h>

#include "bench.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <poll.h>

namespace mpjava::fuzz {

namespace {

// Copies both ways between a and b until both sides are closed; keeps a -> b.
void Relay(int a, int b, Bytes& recorded, std::atomic<bool>& stop)
{
    unsigned char buffer[65536];
    while (!stop) {
        struct pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
        if (::poll(fds, 2, 20) <= 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
            ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
            if (n <= 0) return;
            if (i == 0) recorded.insert(recorded.end(), buffer, buffer + n);
            test::raw::WriteSome(i == 0 ? b : a, buffer, static_cast<size_t>(n), std::chrono::seconds(5));
        }
    }
}

const char* TypeName(const Bytes& bytes)
{
    auto words = kj::heapArray<capnp::word>((bytes.size() + 7) / 8);
    memcpy(words.begin(), bytes.data(), bytes.size());
    capnp::FlatArrayMessageReader reader(words);
    switch (reader.getRoot<capnp::rpc::Message>().which()) {
    case capnp::rpc::Message::BOOTSTRAP: return "bootstrap";
    case capnp::rpc::Message::CALL: return "call";
    case capnp::rpc::Message::RETURN: return "return";
    case capnp::rpc::Message::FINISH: return "finish";
    case capnp::rpc::Message::RELEASE: return "release";
    default: return "other";
    }
}

// Splits a recorded stream into its messages (segment table framing).
std::vector<Bytes> Split(const Bytes& stream)
{
    std::vector<Bytes> messages;
    size_t at = 0;
    auto word32 = [&](size_t offset) {
        uint32_t v;
        memcpy(&v, stream.data() + offset, 4);
        return v;
    };
    while (at + 8 <= stream.size()) {
        const uint32_t count = word32(at) + 1;
        const size_t table = ((count + 2) / 2) * 8;
        if (at + table > stream.size()) break;
        size_t words = 0;
        for (uint32_t i = 0; i < count; ++i) words += word32(at + 4 + 4 * i);
        const size_t size = table + words * 8;
        if (at + size > stream.size()) break;
        messages.emplace_back(stream.begin() + static_cast<long>(at), stream.begin() + static_cast<long>(at + size));
        at += size;
    }
    return messages;
}

template <typename F>
void OnLoopAndWait(EventLoop& loop, F make)
{
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    loop.post([&loop, make, done]() mutable {
        loop.addTask(make().then([done](auto&&) { done->set_value(); }, [done](kj::Exception&&) { done->set_value(); }));
    });
    future.wait_for(std::chrono::seconds(10));
}

} // namespace

int Capture(const std::string& dir, SchemaSet& schemas)
{
    auto iface = schemas.findInterface("CalcInit");
    auto server_loop = EventLoop::Start("capture-server", LogOptions{});
    auto client_loop = EventLoop::Start("capture-client", LogOptions{});
    auto [server_fd, relay_server] = MakeSocketPair();
    auto [client_fd, relay_client] = MakeSocketPair();
    Bytes recorded;
    std::atomic<bool> stop{false};
    std::thread relay([&, a = relay_client, b = relay_server] { Relay(a, b, recorded, stop); });
    server_loop->sync([&, fd = server_fd] {
        EventLoop& l = *server_loop;
        auto handler = MakeAddHandler();
        auto server = std::make_shared<Listener>(
            l, [&l, iface, handler](const Peer&) { return MakeDynamicServer(l, iface, handler); }, ServerOptions{},
            ConnectionEvents{});
        l.adopt(server);
        server->serve(WrapSocket(l, fd));
    });
    std::shared_ptr<Client> client;
    client_loop->sync([&, fd = client_fd] { client = std::make_shared<Client>(*client_loop, WrapSocket(*client_loop, fd), iface); });
    auto call = [&](const char* name, auto fill) {
        OnLoopAndWait(*client_loop, [&] {
            auto method = iface.getMethodByName(name);
            capnp::MallocMessageBuilder params;
            auto p = params.initRoot<capnp::DynamicStruct>(method.getParamType());
            fill(p);
            return client->call(method, p.asReader());
        });
    };
    call("add", [](capnp::DynamicStruct::Builder p) { p.set("a", 2); p.set("b", 3); });
    call("echo", [](capnp::DynamicStruct::Builder p) { p.set("text", "hello"); });
    call("fail", [](capnp::DynamicStruct::Builder p) { p.set("message", "boom"); });
    client_loop->sync([&] {
        client->close();
        client.reset();
    });
    client_loop->close();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the last messages pass the relay
    stop = true;
    relay.join();
    server_loop->close();
    std::filesystem::create_directories(dir);
    auto messages = Split(recorded);
    for (size_t i = 0; i < messages.size(); ++i) {
        char name[64];
        std::snprintf(name, sizeof(name), "%02zu-%s.bin", i, TypeName(messages[i]));
        std::ofstream out(std::filesystem::path(dir) / name, std::ios::binary);
        out.write(reinterpret_cast<const char*>(messages[i].data()), static_cast<std::streamsize>(messages[i].size()));
    }
    std::fprintf(stderr, "captured %zu messages (%zu bytes) into %s\n", messages.size(), recorded.size(), dir.c_str());
    return messages.empty() ? 1 : 0;
}

} // namespace mpjava::fuzz

#include "bench.h"

#include <mpjava/rpc/client.h>
#include <mpjava/values/schema.h>
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/io/sockets.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace mpjava {

namespace {
class AddHandler : public CallHandler {
public:
    void call(const capnp::InterfaceSchema::Method&, capnp::DynamicStruct::Reader params,
              capnp::DynamicStruct::Builder results) override
    {
        results.set("result", params.get("a").as<int32_t>() + params.get("b").as<int32_t>());
    }
};
} // namespace

std::shared_ptr<CallHandler> MakeAddHandler() { return std::make_shared<AddHandler>(); }

BenchResult RunNativeBenchmark(const std::string& schema_file, const std::vector<std::string>& import_paths, int calls)
{
    const int warmup = calls / 10;
    SchemaSet schemas(import_paths);
    schemas.load(schema_file);
    auto iface = schemas.findInterface("CalcInit");
    auto method = iface.getMethodByName("add");

    LogOptions quiet;  // no log function: nothing is logged
    auto server_loop = EventLoop::Start("bench-server", quiet);
    auto client_loop = EventLoop::Start("bench-client", quiet);
    auto [server_fd, client_fd] = MakeSocketPair();
    server_loop->sync([&, fd = server_fd] {
        auto handler = MakeAddHandler();
        EventLoop& l = *server_loop;
        auto server = std::make_shared<Listener>(
            l, [&l, iface, handler](const Peer&) { return MakeDynamicServer(l, iface, handler); }, ServerOptions{}, ConnectionEvents{});
        l.adopt(server);
        server->serve(WrapSocket(l, fd));
    });
    std::shared_ptr<Client> client;
    client_loop->sync([&, fd = client_fd] { client = std::make_shared<Client>(*client_loop, WrapSocket(*client_loop, fd), iface); });

    std::mutex mutex;
    std::condition_variable cv;
    std::vector<double> micros;
    micros.reserve(calls);
    for (int i = 0; i < warmup + calls; ++i) {
        auto start = std::chrono::steady_clock::now();
        bool done = false;
        int result = 0;
        // The calling thread builds params, the loop sends, the caller waits: the
        // same steps a Java caller's call() takes.
        capnp::MallocMessageBuilder params;
        auto p = params.initRoot<capnp::DynamicStruct>(method.getParamType());
        p.set("a", i);
        p.set("b", 1);
        client_loop->post([&] {
            client_loop->addTask(client->call(method, p.asReader()).then([&](capnp::Response<capnp::AnyPointer>&& r) {
                int value = r.getAs<capnp::DynamicStruct>(method.getResultType()).get("result").as<int>();
                std::lock_guard<std::mutex> lock(mutex);
                result = value;
                done = true;
                cv.notify_one();
            }));
        });
        std::unique_lock<std::mutex> lock(mutex);
        cv.wait(lock, [&] { return done; });
        if (result != i + 1) throw std::runtime_error("native benchmark: wrong result " + std::to_string(result));
        auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        if (i >= warmup) micros.push_back(us);
    }
    client_loop->sync([&] {
        client->close();
        client.reset();
    });
    client_loop->close();
    server_loop->close();

    std::sort(micros.begin(), micros.end());
    double total = 0;
    for (double m : micros) total += m;
    BenchResult out;
    out.median_us = micros[micros.size() / 2];
    out.p99_us = micros[micros.size() * 99 / 100];
    out.calls_per_second = micros.size() / (total / 1e6);
    return out;
}

} // namespace mpjava

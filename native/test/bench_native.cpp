// Native baseline for the benchmark: a C++ client calling `add` on a C++ server
// through the core alone (no JVM), same topology as the Java benchmark: server
// loop, client loop, calling thread, over a Unix socket. Prints one line:
//   native <calls> <median_us> <p99_us> <calls_per_s>
#include <mpjava/client.h>
#include <mpjava/schema.h>
#include <mpjava/server.h>
#include <mpjava/sockets.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#include <unistd.h>

using namespace mpjava;

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

int main(int argc, char** argv)
{
    const int calls = argc > 1 ? std::atoi(argv[1]) : 20000;
    const int warmup = calls / 10;
    SchemaSet schemas({MPJAVA_SCHEMA_RESOURCES, MPJAVA_CAPNP_INCLUDE});
    schemas.load(std::string(MPJAVA_TEST_SCHEMAS) + "/calculator.capnp");
    auto iface = schemas.findInterface("CalcInit");
    auto method = iface.getMethodByName("add");

    auto server_loop = EventLoop::Start("bench-server", {});
    auto client_loop = EventLoop::Start("bench-client", {});
    auto [server_fd, client_fd] = MakeSocketPair();
    server_loop->sync([&, fd = server_fd] {
        auto handler = std::make_shared<AddHandler>();
        EventLoop& l = *server_loop;
        auto server = std::make_shared<Server>(
            l, [&l, iface, handler] { return MakeDynamicServer(l, iface, handler); }, std::nullopt, ServerEvents{});
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
        if (result != i + 1) {
            std::fprintf(stderr, "wrong result %d\n", result);
            return 1;
        }
        auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        if (i >= warmup) micros.push_back(us);
    }
    client_loop->sync([&] { client->close(); client.reset(); });
    client_loop->close();
    server_loop->close();

    std::sort(micros.begin(), micros.end());
    double total = 0;
    for (double m : micros) total += m;
    double median = micros[micros.size() / 2];
    double p99 = micros[micros.size() * 99 / 100];
    std::printf("native %d %.2f %.2f %.0f\n", calls, median, p99, calls / (total / 1e6));
    return 0;
}

// The JNI facade (api.h) driven directly, for inputs Java's own checks never pass on.
#include "test_support.h"

#include <mpjava/api.h>
#include "bench.h"
#include <mpjava/rpc/connection.h>
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/values/codec.h>

#include <capnp/message.h>

#include <vector>

using namespace mpjava;
using namespace mpjava::test;

MPJ_TEST(CallWithBadMethodIndexFailsAndLeavesTheNextCallIntact)
{
    auto calc = TestSchemas().findInterface("CalcInit");
    auto add = calc.getMethodByName("add");
    auto server_loop = EventLoop::Start("server", {});
    int fds[2];
    api::socket_pair(fds);
    server_loop->sync([&] {
        auto handler = MakeAddHandler();
        auto server = std::make_shared<Listener>(
            *server_loop, [&, handler](const Peer&) { return MakeDynamicServer(*server_loop, calc, handler); }, ServerOptions{},
            ConnectionEvents{});
        server_loop->adopt(server);
        server->serve(WrapSocket(*server_loop, fds[0]));
    });

    int64_t loop = api::loop_start("client", static_cast<int>(Level::Warning), 200, 0);
    int64_t schema = api::schema_new((std::string(MPJAVA_SCHEMA_RESOURCES) + "\n" + MPJAVA_CAPNP_INCLUDE).c_str());
    api::schema_load(schema, (std::string(MPJAVA_TEST_SCHEMAS) + "/calculator.capnp").c_str());
    int64_t client = api::client_connect(loop, fds[1], api::schema_interface(schema, "CalcInit"), 0);

    MPJ_CHECK_THROWS(api::client_call_start(client, -1, nullptr, 0), "method index -1 out of range");
    MPJ_CHECK_THROWS(api::client_call_async(client, 99, nullptr, 0, 0), "method index 99 out of range");

    // The same thread's next call gets its own result, not a leftover of the failed one.
    capnp::MallocMessageBuilder message;
    auto params = message.initRoot<capnp::DynamicStruct>(add.getParamType());
    params.set("a", 2);
    params.set("b", 3);
    std::string bytes;
    EncodeStruct(params.asReader(), bytes);
    int64_t call = api::client_call_start(client, static_cast<int>(add.getIndex()),
                                          reinterpret_cast<const signed char*>(bytes.data()),
                                          static_cast<int64_t>(bytes.size()));
    int64_t result = api::call_wait(call, 10000);
    api::call_free(call);
    MPJ_CHECK(result != 0);
    MPJ_CHECK_EQ(api::result_status(result), api::STATUS_OK);
    std::vector<signed char> out(static_cast<size_t>(api::result_size(result)));
    api::result_read(result, out.data());
    api::result_free(result);
    capnp::MallocMessageBuilder reply;
    auto results = reply.initRoot<capnp::DynamicStruct>(add.getResultType());
    DecodeStruct(reinterpret_cast<const uint8_t*>(out.data()), out.size(), results, "add$Results");
    MPJ_CHECK_EQ(results.get("result").as<int32_t>(), 5);

    api::client_free(client);
    api::schema_free(schema);
    api::loop_close(loop);
    api::loop_free(loop);
    server_loop->close();
}

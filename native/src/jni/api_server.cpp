#include <mpjava/api.h>

#include "facade.h"

#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>


namespace mpjava {
namespace api {

namespace {

ConnectionEvents MakeConnectionEvents(int64_t token)
{
    ConnectionEvents events;
    events.connected = [token](uint64_t id, size_t active) {
        Event(token, EVENT_CONNECTED, static_cast<int64_t>(id), static_cast<int64_t>(active));
    };
    events.disconnected = [token](uint64_t id, size_t active) {
        Event(token, EVENT_DISCONNECTED, static_cast<int64_t>(id), static_cast<int64_t>(active));
    };
    return events;
}

int64_t StartServer(int64_t loop_id, int fd, int64_t iface_id, int64_t handler, const char* options_text,
                    int64_t token, bool listening)
{
    FdGuard owned(fd);
    ServerOptions options = ParseServerOptions(options_text ? options_text : "");
    auto loop = LoopOf(loop_id);
    auto iface = Get<const InterfaceInfo>(iface_id, HandleKind::Interface);
    auto handle = std::make_shared<ServerHandle>();
    handle->loop = loop;
    loop->sync([&] {
        EventLoop& l = *loop;
        // A fresh init capability and thread registry per connection, one Java handler.
        auto make_init = [&l, loop_ptr = std::weak_ptr<EventLoop>(loop), loop_id, iface, handler,
                          max_threads = options.max_threads_per_connection](const Peer& peer) {
            auto threads = std::make_shared<ProtocolState>(l);
            threads->setPeer(peer);
            threads->setThreadLimit(max_threads);
            auto call_handler = std::make_shared<JavaCallHandler>(loop_ptr.lock(), loop_id, iface, handler, threads, false);
            return MakeDynamicServer(l, iface->schema, call_handler, threads);
        };
        auto server = std::make_shared<Listener>(l, make_init, options, MakeConnectionEvents(token));
        l.adopt(server);
        if (listening) {
            server->listen(WrapListener(l, owned.release()));
        } else {
            server->serve(WrapSocket(l, owned.release()));
        }
        handle->server = server;
    });
    return AddLoopHandle(HandleKind::Listener, handle, loop, loop_id);
}

} // namespace

// ---- servers ----------------------------------------------------------------

int64_t server_listen(int64_t loop, int fd, int64_t iface, int64_t handler, const char* options,
                      int64_t event_token)
{
    return Guarded([&] { return StartServer(loop, fd, iface, handler, options, event_token, true); });
}

int64_t server_serve(int64_t loop, int fd, int64_t iface, int64_t handler, const char* options,
                     int64_t event_token)
{
    return Guarded([&] { return StartServer(loop, fd, iface, handler, options, event_token, false); });
}

int64_t server_active(int64_t server)
{
    return static_cast<int64_t>(Get<ServerHandle>(server, HandleKind::Listener)->server->activeConnections());
}

void server_stop_accepting(int64_t server)
{
    auto handle = Get<ServerHandle>(server, HandleKind::Listener);
    OnLoopOrAfterClose(handle->loop, [&] { handle->server->stopAccepting(); });
}

void server_free(int64_t server)
{
    auto handle = std::static_pointer_cast<ServerHandle>(TakeHandle(server, HandleKind::Listener));
    if (!handle) return;
    OnLoopOrAfterClose(handle->loop, [&] { handle->server.reset(); });
}

void reply_ok(int64_t reply_handle, const signed char* results, int64_t size)
{
    // Taken, not looked up: one answer per call, and none after the call ended.
    auto reply = std::static_pointer_cast<PendingReply>(TakeHandle(reply_handle, HandleKind::Reply));
    if (!reply) throw ClosedHandle(HandleKind::Reply);
    Answer(*reply, false, std::string(reinterpret_cast<const char*>(results), static_cast<size_t>(size)));
}

void reply_fail(int64_t reply_handle, const char* message)
{
    auto reply = std::static_pointer_cast<PendingReply>(TakeHandle(reply_handle, HandleKind::Reply));
    if (!reply) throw ClosedHandle(HandleKind::Reply);
    Answer(*reply, true, message ? message : "unknown error");
}

} // namespace api
} // namespace mpjava

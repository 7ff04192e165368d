#include <mpjava/api.h>

#include "facade.h"

#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>


namespace mpjava {
namespace api {

namespace {

// The peer of the connection event being delivered on this thread (event_peer).
thread_local const Peer* t_event_peer = nullptr;

void PeerEvent(int64_t token, int kind, const Peer& peer, size_t active)
{
    const Peer* outer = t_event_peer;
    t_event_peer = &peer;
    try {
        Event(token, kind, static_cast<int64_t>(peer.connection_id), static_cast<int64_t>(active));
    } catch (...) {
        t_event_peer = outer;
        throw;
    }
    t_event_peer = outer;
}

ConnectionEvents MakeConnectionEvents(int64_t token)
{
    ConnectionEvents events;
    events.connected = [token](const Peer& peer, size_t active) { PeerEvent(token, EVENT_CONNECTED, peer, active); };
    events.disconnected = [token](const Peer& peer, size_t active) {
        PeerEvent(token, EVENT_DISCONNECTED, peer, active);
    };
    return events;
}

BindOptions BindOptionsOf(const ServerOptions& options)
{
    BindOptions bind;
    bind.backlog = options.backlog;
    bind.mode = options.socket_mode;
    bind.group = options.socket_group;
    return bind;
}

// A socket file server_bind made, unlinked if the server does not take it over.
struct BoundFileGuard {
    ~BoundFileGuard()
    {
        if (file) file->unlinkIfOurs();
    }
    std::optional<SocketFile> file;
};

int64_t StartServer(int64_t loop_id, int fd, int64_t iface_id, int64_t handler, const char* options_text,
                    int64_t token, bool listening, BoundFileGuard* bound = nullptr)
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
            threads->threadLimit().set(max_threads);
            auto call_handler = std::make_shared<JavaCallHandler>(loop_ptr.lock(), loop_id, iface, handler, threads, false);
            return MakeDynamicServer(l, iface->schema, call_handler, threads);
        };
        auto server = std::make_shared<Listener>(l, make_init, options, MakeConnectionEvents(token));
        l.adopt(server);
        if (listening) {
            std::optional<SocketFile> file;
            if (bound) std::swap(file, bound->file);
            server->listen(WrapListener(l, owned.release()), std::move(file));
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

int64_t server_bind(int64_t loop, const char* path, int64_t iface, int64_t handler, const char* options,
                    int64_t event_token)
{
    return Guarded([&] {
        BoundSocket socket = BindSocketFile(path ? path : "", BindOptionsOf(ParseServerOptions(options ? options : "")));
        BoundFileGuard bound;
        bound.file = socket.file;
        return StartServer(loop, socket.fd, iface, handler, options, event_token, true, &bound);
    });
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

void event_peer(int64_t* out)
{
    if (!t_event_peer) throw std::runtime_error("event_peer: no connection event is being delivered on this thread");
    out[0] = static_cast<int64_t>(t_event_peer->connection_id);
    out[1] = t_event_peer->pid;
    out[2] = t_event_peer->uid;
    out[3] = t_event_peer->gid;
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

bool reply_cancelled(int64_t reply_handle)
{
    std::shared_ptr<PendingReply> reply;
    try {
        reply = Get<PendingReply>(reply_handle, HandleKind::Reply);
    } catch (const ClosedHandle&) {
        return true;
    }
    std::lock_guard<std::mutex> lock(reply->mutex);
    return reply->cancelled;
}

} // namespace api
} // namespace mpjava

#include <mpjava/api.h>

#include "facade.h"

#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>

#include <map>


namespace mpjava {
namespace api {

namespace {

// The peer of the connection event being delivered on this thread (event_peer).
thread_local const Peer* t_event_peer = nullptr;

// The interfaces a listener has served, by handle id: kept for its life, so its later
// connections are served them after their schema was closed, as earlier ones are.
using KnownInterfaces = std::map<int64_t, std::shared_ptr<const InterfaceInfo>>;

// What Java names for a connection during its EVENT_INIT upcall (event_init, event_refuse).
struct InitChoice {
    KnownInterfaces* known = nullptr;
    std::shared_ptr<const InterfaceInfo> iface;
    int64_t handler = 0;
    std::string refusal;
};
thread_local InitChoice* t_init_choice = nullptr;

std::shared_ptr<const InterfaceInfo> Resolve(KnownInterfaces& known, int64_t iface)
{
    auto& slot = known[iface];
    if (!slot) slot = Get<const InterfaceInfo>(iface, HandleKind::Interface);
    return slot;
}

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

// Asks Java what a new connection serves; throws the refusal (the listener logs it).
InitChoice AskJava(int64_t token, const Peer& peer, KnownInterfaces& known)
{
    InitChoice choice;
    choice.known = &known;
    InitChoice* outer = t_init_choice;
    t_init_choice = &choice;
    try {
        PeerEvent(token, EVENT_INIT, peer, 0);
    } catch (...) {
        t_init_choice = outer;
        throw;
    }
    t_init_choice = outer;
    if (!choice.iface) {
        throw std::runtime_error(choice.refusal.empty() ? "no implementation was named for it" : choice.refusal);
    }
    return choice;
}

int64_t StartServer(int64_t loop_id, int fd, int64_t iface, const char* options_text, int64_t token, bool listening,
                    BoundFileGuard* bound = nullptr)
{
    FdGuard owned(fd);
    ServerOptions options = ParseServerOptions(options_text ? options_text : "");
    auto loop = LoopOf(loop_id);
    auto known = std::make_shared<KnownInterfaces>();
    if (iface) Resolve(*known, iface);
    auto handle = std::make_shared<ServerHandle>();
    handle->loop = loop;
    loop->sync([&] {
        EventLoop& l = *loop;
        // A fresh init capability and thread registry per connection, served by the Java
        // handler Java names for it; that handler hears EVENT_RELEASED when it is gone.
        auto make_init = [&l, loop_ptr = std::weak_ptr<EventLoop>(loop), loop_id, token, known,
                          max_threads = options.max_threads_per_connection](const Peer& peer) {
            InitChoice choice = AskJava(token, peer, *known);
            auto threads = std::make_shared<ProtocolState>(l);
            threads->setPeer(peer);
            threads->threadLimit().set(max_threads);
            auto call_handler =
                std::make_shared<JavaCallHandler>(loop_ptr.lock(), loop_id, choice.iface, choice.handler, threads, true);
            return MakeDynamicServer(l, choice.iface->schema, call_handler, threads);
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

int64_t server_listen(int64_t loop, int fd, int64_t iface, const char* options, int64_t event_token)
{
    return Guarded([&] { return StartServer(loop, fd, iface, options, event_token, true); });
}

int64_t server_bind(int64_t loop, const char* path, int64_t iface, const char* options, int64_t event_token)
{
    return Guarded([&] {
        BoundSocket socket = BindSocketFile(path ? path : "", BindOptionsOf(ParseServerOptions(options ? options : "")));
        BoundFileGuard bound;
        bound.file = socket.file;
        return StartServer(loop, socket.fd, iface, options, event_token, true, &bound);
    });
}

int64_t server_serve(int64_t loop, int fd, int64_t iface, const char* options, int64_t event_token)
{
    return Guarded([&] { return StartServer(loop, fd, iface, options, event_token, false); });
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

void event_init(int64_t iface, int64_t handler)
{
    if (!t_init_choice) throw std::runtime_error("event_init: no EVENT_INIT is being delivered on this thread");
    t_init_choice->iface = Resolve(*t_init_choice->known, iface);  // throws to Java if it is closed
    t_init_choice->handler = handler;
}

void event_refuse(const char* reason)
{
    if (!t_init_choice) throw std::runtime_error("event_refuse: no EVENT_INIT is being delivered on this thread");
    t_init_choice->iface = nullptr;
    t_init_choice->refusal = reason ? reason : "";
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

// Everything the libmultiprocess protocol keeps per connection, one part per concern:
// the Thread servers this side hosts (registry), the peer (Peer), the thread limit, the
// pool, the client side's calling threads, the server side's request threads and the
// protocol-field cache.
//
// Shared (shared_ptr) by the connection's capability servers, handlers and Java handles
// of capabilities received over it; its Cap'n Proto parts are used and cleared on the
// loop thread only. Peer and the thread limit are set once when the connection starts.
#pragma once

#include <mpjava/protocol/caller_threads.h>
#include <mpjava/protocol/fields.h>
#include <mpjava/protocol/request_threads.h>
#include <mpjava/protocol/thread_limit.h>
#include <mpjava/protocol/thread_pool.h>
#include <mpjava/protocol/thread_server.h>
#include <mpjava/rpc/server_options.h>
#include <mpjava/runtime/event_loop.h>

#include <mp/proxy.capnp.h>

#include <capnp/capability.h>

#include <string>

namespace mpjava {

class ProtocolState {
public:
    explicit ProtocolState(EventLoop& loop)
        : m_loop(loop), m_exe(loop.name()), m_pool(loop), m_callers(loop, m_exe, m_registry, m_requests)
    {
    }
    ProtocolState(const ProtocolState&) = delete;
    ProtocolState& operator=(const ProtocolState&) = delete;

    EventLoop& loop() const { return m_loop; }
    // This side's name in thread names (upstream's exe name): the loop's name.
    const std::string& exe() const { return m_exe; }
    // The process at the other end (served connections; unknown ids are -1).
    void setPeer(const Peer& peer) { m_peer = peer; }
    const Peer& peer() const { return m_peer; }

    // The Thread servers this side hosts on this connection.
    mp::Thread::Client add(kj::Own<ThreadServer> server) { return m_registry.add(kj::mv(server)); }
    // Resolves to the local server behind `thread`, or null if it is not one of ours.
    kj::Promise<kj::Maybe<mp::Thread::Server&>> find(mp::Thread::Client thread) { return m_registry.getLocalServer(thread); }

    ThreadLimit& threadLimit() { return m_limit; }
    ThreadPool& pool() { return m_pool; }
    CallerThreads& callers() { return m_callers; }
    RequestThreads& requests() { return m_requests; }

    // The protocol's fields of a struct type, found once per type on this connection:
    // looking them up by type on every call was a measurable part of a call.
    const ProtocolFields& fieldsOf(capnp::StructSchema type) { return m_fields.of(type); }

    // Drops every capability held (loop thread, before the connection goes).
    void clear()
    {
        m_callers.clear();
        m_requests.clear();
        m_pool.clear();
    }

private:
    EventLoop& m_loop;
    std::string m_exe;
    Peer m_peer;
    capnp::CapabilityServerSet<mp::Thread> m_registry;
    ThreadLimit m_limit;
    ThreadPool m_pool;
    RequestThreads m_requests;  // before m_callers, which refers to it
    CallerThreads m_callers;
    FieldCache m_fields;
};

} // namespace mpjava

// The client side of one connection's threads (wire-protocol.md §3): for each calling
// thread, the peer thread its Context calls run on (made with a pipelined makeThread on
// first use) and the Thread this side hosts for it as callbackThread; plus the worker
// that serves callbacks made during calls nobody waits on (callAsync).
//
// Owned by the connection's ProtocolState. Loop thread only, except asyncCallbackWaiter.
#pragma once

#include <mpjava/protocol/fields.h>
#include <mpjava/protocol/request_threads.h>
#include <mpjava/protocol/thread_server.h>
#include <mpjava/runtime/event_loop.h>
#include <mpjava/runtime/worker.h>

#include <mp/proxy.capnp.h>

#include <capnp/capability.h>
#include <capnp/dynamic.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace mpjava {

class CallerThreads {
public:
    CallerThreads(EventLoop& loop, const std::string& exe, capnp::CapabilityServerSet<mp::Thread>& registry,
                  RequestThreads& requests)
        : m_loop(loop), m_exe(exe), m_registry(registry), m_requests(requests)
    {
    }

    // The peer's ThreadMap, received in a ThreadMap-typed param or result (construct).
    void setPeerThreadMap(capnp::Capability::Client map) { m_peer_thread_map = kj::mv(map); }

    // Fills a call's Context as upstream's client does: `thread` is the peer thread kept
    // for the calling thread (or, while that thread serves a request from the peer, the
    // request's callbackThread), `callbackThread` the Thread this side hosts for it.
    void fillContext(capnp::DynamicStruct::Builder params, const ProtocolFields::Context& fields,
                     const std::string& caller_name, const std::shared_ptr<Waiter>& caller_waiter);

    // After a call from `caller` was cancelled, its peer thread may still be busy with it:
    // the caller's next Context call gets a fresh thread instead of queueing behind it.
    void forgetRemoteThread(Waiter* caller);

    // The thread that serves callbacks made during calls nobody waits on (callAsync): a
    // worker made on first use. Any thread; returns its waiter and sets `name`.
    std::shared_ptr<Waiter> asyncCallbackWaiter(std::string& name);

    void clear();

private:
    struct Threads {
        kj::Maybe<capnp::Capability::Client> remote_thread;  // made on first top-level call
        capnp::Capability::Client callback_thread;
    };
    EventLoop& m_loop;
    const std::string& m_exe;
    capnp::CapabilityServerSet<mp::Thread>& m_registry;
    RequestThreads& m_requests;
    kj::Maybe<capnp::Capability::Client> m_peer_thread_map;
    std::map<Waiter*, Threads> m_callers;  // keyed by the calling thread's waiter
    std::mutex m_async_mutex;
    std::unique_ptr<WorkerThread> m_async_worker;  // guarded by m_async_mutex
};

} // namespace mpjava

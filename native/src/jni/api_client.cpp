#include <mpjava/api.h>

#include "facade.h"

#include <cstring>
#include <thread>

namespace mpjava {
namespace api {

namespace {

// The calling thread as a Context names it: a stable name per thread (upstream's
// ThreadName format), and its waiter, on which callbacks addressed to it run.
Caller CurrentCaller(const EventLoop& loop)
{
    thread_local std::string name = LongThreadName(loop.name());
    return Caller{std::this_thread::get_id(), name, CurrentThreadWaiter()};
}

// The capability a client handle calls (loop thread).
capnp::Capability::Client Target(const ClientHandle& handle)
{
    if (handle.connection) {
        KJ_IF_MAYBE(failure, handle.connection->checkUsable()) {
            kj::throwFatalException(kj::mv(*failure));
        }
        return handle.connection->init();
    }
    KJ_IF_MAYBE(cap, handle.ref->cap()) {
        return *cap;
    }
    kj::throwFatalException(KJ_EXCEPTION(DISCONNECTED, "IPC client method called after the capability was released."));
}

// Checked before a call's CallCompletion exists: once it does, it always reports.
void CheckMethodIndex(const ClientHandle& handle, int method_index)
{
    if (method_index < 0 || static_cast<size_t>(method_index) >= handle.iface->methods.size()) {
        throw std::invalid_argument("method index " + std::to_string(method_index) + " out of range");
    }
}

// Starts a call on the capability behind `handle` (value-call engine, protocol/).
void StartCall(const std::shared_ptr<ClientHandle>& handle, int method_index, std::string params, Caller caller,
               CallCompletion completion)
{
    ClientHandle target = *handle;  // shared_ptr copies: usable on the loop after Java frees its handle
    ValueCallTarget call_target{
        [target] { return Target(target); },
        target.threads,
        std::make_shared<JavaCaps>(target.loop, target.loop_id, target.threads, target.iface->owner()),
    };
    StartValueCall(*target.loop, std::move(call_target), target.iface->methods[method_index], std::move(params),
                   std::move(caller), std::move(completion));
}

// Closes a client's connection, or releases a received capability (loop thread, or
// after the loop has stopped).
void CloseClient(ClientHandle& handle)
{
    OnLoopOrAfterClose(handle.loop, [&] {
        if (handle.connection) handle.connection->close();
        if (handle.ref) {
            handle.ref->teardown();  // releases the capability
            if (handle.loop->onLoopThread() && !handle.loop->closed()) handle.loop->forgetLater(handle.ref.get());
        }
    });
}

int64_t NewResult(int64_t loop_id, std::unique_ptr<CallOutcome> result)
{
    return AddHandle(HandleKind::Result, std::shared_ptr<CallOutcome>(std::move(result)), loop_id);
}

} // namespace

// ---- clients ----------------------------------------------------------------

int64_t client_connect(int64_t loop_id, int fd, int64_t iface_id, int64_t event_token)
{
    return Guarded([&] {
        FdGuard owned(fd);
        auto loop = LoopOf(loop_id);
        auto handle = std::make_shared<ClientHandle>();
        handle->loop = loop;
        handle->loop_id = loop_id;
        handle->iface = Get<const InterfaceInfo>(iface_id, HandleKind::Interface);
        loop->sync([&] {
            auto client = std::make_shared<Client>(*loop, WrapSocket(*loop, owned.release()), handle->iface->schema,
                                                   [event_token] { Event(event_token, EVENT_PEER_DISCONNECTED, 0, 0); });
            loop->adopt(client);
            handle->connection = client;
            handle->threads = client->threads();
        });
        return AddLoopHandle(HandleKind::Client, handle, loop, loop_id);
    });
}

std::string client_describe(int64_t client) { return Describe(*Get<ClientHandle>(client, HandleKind::Client)->iface); }

int64_t client_call(int64_t client, int method, const signed char* params, int64_t size)
{
    return Guarded([&] {
        auto handle = Get<ClientHandle>(client, HandleKind::Client);
        if (handle->loop->onLoopThread()) {
            throw std::logic_error("blocking call on the event loop thread would deadlock; use callAsync");
        }
        // Wait on this thread's waiter: callbacks addressed to this thread (through the
        // callbackThread of its Context) run here, on its stack, while it waits.
        Caller caller = CurrentCaller(*handle->loop);
        CheckMethodIndex(*handle, method);
        auto waiter = caller.waiter;
        // On the heap, not this frame: should this function leave early (an allocation
        // failing), the job the completion posts to this thread's waiter stays harmless.
        auto slot = std::make_shared<std::unique_ptr<CallOutcome>>();
        auto deliver = [waiter, slot](std::unique_ptr<CallOutcome> r) {
            auto shared = std::make_shared<std::unique_ptr<CallOutcome>>(std::move(r));
            waiter->post([slot, shared] { *slot = std::move(*shared); });
        };
        try {
            StartCall(handle, method,
                      std::string(reinterpret_cast<const char*>(params), static_cast<size_t>(size)), std::move(caller),
                      CallCompletion(deliver, deliver));
        } catch (const LoopClosed&) {
            // The closure (and its completion) was destroyed in post(): already reported.
        }
        waiter->waitUntil([&] { return *slot != nullptr; });
        return NewResult(handle->loop_id, std::move(*slot));
    });
}

void client_call_async(int64_t client, int method, const signed char* params, int64_t size, int64_t token)
{
    Guarded([&] {
        auto handle = Get<ClientHandle>(client, HandleKind::Client);
        CheckMethodIndex(*handle, method);
        try {
            // Nobody waits on this call, so callbacks made during it go to a worker thread.
            std::string name;
            auto waiter = handle->threads->asyncCallbackWaiter(name);
            int64_t loop_id = handle->loop_id;
            StartCall(handle, method,
                      std::string(reinterpret_cast<const char*>(params), static_cast<size_t>(size)),
                      Caller{std::this_thread::get_id(), name, waiter},
                      CallCompletion([token, loop_id](std::unique_ptr<CallOutcome> result) {
                          int64_t id;
                          try {
                              id = NewResult(loop_id, std::move(result));
                          } catch (const ClosedHandle&) {
                              return;  // the loop is being released: Java fails the call itself
                          }
                          Event(token, EVENT_CALL_DONE, id, 0);
                      }, nullptr));
        } catch (const LoopClosed&) {
            throw std::runtime_error(std::string(CLOSED_HANDLE) + "event loop is closed");
        }
    });
}

void client_close(int64_t client) { CloseClient(*Get<ClientHandle>(client, HandleKind::Client)); }

void client_free(int64_t client)
{
    auto handle = std::static_pointer_cast<ClientHandle>(TakeHandle(client, HandleKind::Client));
    if (!handle) return;
    CloseClient(*handle);
    auto loop = handle->loop;
    OnLoopOrAfterClose(loop, [&] { handle.reset(); });  // its capability is dropped on the loop thread
}

// ---- results ----------------------------------------------------------------

int result_status(int64_t result) { return Get<CallOutcome>(result, HandleKind::Result)->status; }
int64_t result_size(int64_t result) { return static_cast<int64_t>(Get<CallOutcome>(result, HandleKind::Result)->bytes.size()); }

void result_read(int64_t result, signed char* out)
{
    auto r = Get<CallOutcome>(result, HandleKind::Result);
    std::memcpy(out, r->bytes.data(), r->bytes.size());
}

void result_free(int64_t result) { TakeHandle(result, HandleKind::Result); }

} // namespace api
} // namespace mpjava

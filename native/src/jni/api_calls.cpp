// Calls through client handles: started from Java, waited for in slices (so Java can
// notice Thread.interrupt() and deadlines between them), cancelled from any thread.
#include <mpjava/api.h>

#include "facade.h"

#include <chrono>
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
               CallCompletion completion, std::shared_ptr<CallCancel> cancel)
{
    ClientHandle target = *handle;  // shared_ptr copies: usable on the loop after Java frees its handle
    ValueCallTarget call_target{
        [target] { return Target(target); },
        target.threads,
        std::make_shared<JavaCaps>(target.loop, target.loop_id, target.threads, target.iface->owner()),
    };
    StartValueCall(*target.loop, std::move(call_target), target.iface->methods[method_index], std::move(params),
                   std::move(caller), std::move(completion), std::move(cancel));
}

int64_t NewResult(int64_t loop_id, std::unique_ptr<CallOutcome> result)
{
    return AddHandle(HandleKind::Result, std::shared_ptr<CallOutcome>(std::move(result)), loop_id);
}

// Behind a Java call handle. `slot` is written by a job the completion posts to the
// calling thread's waiter, so only that thread (in call_wait) touches it.
struct CallHandle {
    std::shared_ptr<EventLoop> loop;
    int64_t loop_id = 0;
    std::shared_ptr<CallCancel> cancel = std::make_shared<CallCancel>();
    std::thread::id thread;
    std::shared_ptr<Waiter> waiter;
    std::shared_ptr<std::unique_ptr<CallOutcome>> slot = std::make_shared<std::unique_ptr<CallOutcome>>();
    bool taken = false;
};

} // namespace

// ---- calls ------------------------------------------------------------------

int64_t client_call_start(int64_t client, int method, const signed char* params, int64_t size)
{
    return Guarded([&] {
        auto handle = Get<ClientHandle>(client, HandleKind::Client);
        if (handle->loop->onLoopThread()) {
            throw std::logic_error("blocking call on the event loop thread would deadlock; use callAsync");
        }
        CheckMethodIndex(*handle, method);
        // Wait on this thread's waiter: callbacks addressed to this thread (through the
        // callbackThread of its Context) run here, on its stack, while it waits.
        Caller caller = CurrentCaller(*handle->loop);
        auto call = std::make_shared<CallHandle>();
        call->loop = handle->loop;
        call->loop_id = handle->loop_id;
        call->thread = std::this_thread::get_id();
        call->waiter = caller.waiter;
        int64_t id = AddLoopHandle(HandleKind::Call, call, call->loop, call->loop_id);
        // The slot is on the heap, shared with the completion: a job it posts after the
        // caller gave up (deadline, interrupt) writes there harmlessly.
        auto deliver = [waiter = call->waiter, slot = call->slot](std::unique_ptr<CallOutcome> r) {
            auto shared = std::make_shared<std::unique_ptr<CallOutcome>>(std::move(r));
            waiter->post([slot, shared] { *slot = std::move(*shared); });
        };
        try {
            StartCall(handle, method, std::string(reinterpret_cast<const char*>(params), static_cast<size_t>(size)),
                      std::move(caller), CallCompletion(deliver, deliver), call->cancel);
        } catch (const LoopClosed&) {
            // The closure (and its completion) was destroyed in post(): already reported.
        }
        return id;
    });
}

int64_t call_wait(int64_t call_id, int64_t timeout_ms)
{
    return Guarded([&] {
        auto call = Get<CallHandle>(call_id, HandleKind::Call);
        if (call->thread != std::this_thread::get_id()) {
            throw std::logic_error("a call is waited for by the thread that made it");
        }
        if (call->taken) throw std::logic_error("the call's result was already taken");
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max<int64_t>(timeout_ms, 0));
        auto& slot = *call->slot;
        if (!call->waiter->waitUntil([&] { return slot != nullptr; }, deadline)) return int64_t{0};
        call->taken = true;
        return NewResult(call->loop_id, std::move(slot));
    });
}

int64_t client_call_async(int64_t client, int method, const signed char* params, int64_t size, int64_t token)
{
    return Guarded([&] {
        auto handle = Get<ClientHandle>(client, HandleKind::Client);
        CheckMethodIndex(*handle, method);
        auto call = std::make_shared<CallHandle>();
        call->loop = handle->loop;
        call->loop_id = handle->loop_id;
        int64_t id = AddLoopHandle(HandleKind::Call, call, call->loop, call->loop_id);
        try {
            // Nobody waits on this call, so callbacks made during it go to a worker thread.
            std::string name;
            auto waiter = handle->threads->callers().asyncCallbackWaiter(name);
            int64_t loop_id = handle->loop_id;
            StartCall(handle, method,
                      std::string(reinterpret_cast<const char*>(params), static_cast<size_t>(size)),
                      Caller{std::this_thread::get_id(), name, waiter},
                      CallCompletion([token, loop_id](std::unique_ptr<CallOutcome> result) {
                          int64_t result_id;
                          try {
                              result_id = NewResult(loop_id, std::move(result));
                          } catch (const ClosedHandle&) {
                              return;  // the loop is being released: Java fails the call itself
                          }
                          Event(token, EVENT_CALL_DONE, result_id, 0);
                      }, nullptr),
                      call->cancel);
        } catch (const LoopClosed&) {
            TakeHandle(id, HandleKind::Call);
            throw std::runtime_error(std::string(CLOSED_HANDLE) + "event loop is closed");
        }
        return id;
    });
}

void call_cancel(int64_t call_id)
{
    auto call = Get<CallHandle>(call_id, HandleKind::Call);
    call->cancel->cancel(*call->loop);
}

void call_free(int64_t call_id)
{
    // Dropped here, without a trip to the loop thread (that cost a context switch per
    // call): the call's loop task holds its own reference to the CallCancel until the
    // call has ended and disarmed it (see value_call.h).
    TakeHandle(call_id, HandleKind::Call);
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

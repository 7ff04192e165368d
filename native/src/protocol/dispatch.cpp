#include <mpjava/protocol/dispatch.h>

#include <mpjava/protocol/error_reply.h>
#include <mpjava/protocol/thread_map.h>

#include <kj/debug.h>

#include <exception>

namespace mpjava {

namespace {

// A KJ exception keeps its type (DISCONNECTED, OVERLOADED...) in the reply; anything else is FAILED.
kj::Exception::Type ExceptionType(std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (const kj::Exception& e) {
        return e.getType();
    } catch (...) {
        return kj::Exception::Type::FAILED;
    }
}

// Runs `work` on the thread behind `waiter` and resolves when it is done there.
kj::Promise<void> RunOn(Waiter& waiter, std::function<void()> work)
{
    auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
    // Shared so the job stays copyable; the fulfiller may be used and dropped on any thread.
    auto fulfiller = std::make_shared<kj::Own<kj::CrossThreadPromiseFulfiller<void>>>(kj::mv(paf.fulfiller));
    waiter.post([work = std::move(work), fulfiller] {
        try {
            work();
            (*fulfiller)->fulfill();
        } catch (...) {
            (*fulfiller)->reject(kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__,
                                               kj::str(ExceptionText(std::current_exception()))));
        }
    });
    return kj::mv(paf.promise);
}

// Guards a call's params and results while a worker uses them (see CallHandler).
struct CallGuard {
    std::mutex mutex;
    bool cancelled = false;  // guarded by mutex
};

} // namespace

CallHandler::Job CallHandler::prepare(const capnp::InterfaceSchema::Method& method,
                                      capnp::DynamicStruct::Reader params, capnp::DynamicStruct::Builder results)
{
    auto guard = std::make_shared<CallGuard>();
    Job job;
    job.run = [this, method, params, results, guard] {
        std::lock_guard<std::mutex> lock(guard->mutex);
        if (guard->cancelled) throw std::runtime_error("call cancelled");
        call(method, params, results);
    };
    job.cancel = [guard] {
        std::lock_guard<std::mutex> lock(guard->mutex);
        guard->cancelled = true;
    };
    return job;
}

namespace {

class DynamicServer final : public capnp::DynamicCapability::Server {
public:
    DynamicServer(EventLoop& loop, capnp::InterfaceSchema schema, std::shared_ptr<CallHandler> handler,
                  std::shared_ptr<ProtocolState> threads)
        : capnp::DynamicCapability::Server(schema),
          m_loop(loop),
          m_handler(std::move(handler)),
          m_threads(threads ? std::move(threads) : std::make_shared<ProtocolState>(loop))
    {
    }

    kj::Promise<void> call(capnp::InterfaceSchema::Method method,
                           capnp::CallContext<capnp::DynamicStruct, capnp::DynamicStruct> context) override
    {
        const uint64_t request = ++m_requests;
        std::string type;
        if (m_loop.logEnabled(Level::Debug)) {
            type = std::string(method.getContainingInterface().getShortDisplayName().cStr()) + "." +
                   method.getProto().getName().cStr();
            m_loop.log(Level::Debug, "IPC server recv request  #" + std::to_string(request) + " " + type + "$Params");
        }
        auto params = context.getParams();
        const ProtocolFields& param_fields = m_threads->fieldsOf(params.getSchema());
        for (auto field : param_fields.thread_maps) {
            if (params.has(field)) m_threads->callers().setPeerThreadMap(params.get(field).as<capnp::DynamicCapability>());
        }
        auto results = context.getResults();
        for (auto field : m_threads->fieldsOf(results.getSchema()).thread_maps) {
            results.set(field, capnp::Capability::Client(kj::heap<ThreadMapServer>(m_threads))
                                   .castAs<capnp::DynamicCapability>(field.getType().asInterface()));
        }
        // Upstream's convention: `construct` only exchanges thread maps, nothing runs.
        if (method.getProto().getName() == "construct") return kj::READY_NOW;

        // The log keeps the whole text; the peer gets the type and a sanitized reason.
        auto failed = [this](std::exception_ptr error) {
            std::string text = ExceptionText(error);
            m_loop.log(Level::Error, "IPC server unhandled exception: " + text);
            return kj::Exception(ExceptionType(error), "mpjava", 0, kj::str(ReasonForPeer(text)));
        };
        try {
            auto job = std::make_shared<CallHandler::Job>(m_handler->prepare(method, params, results));
            // Runs on the loop when the call's promise goes, finished or cancelled.
            auto ended = kj::defer([job] {
                if (job->cancel) job->cancel();
            });
            auto finish = [this, job, request, type] {
                if (job->finish) job->finish();
                if (!type.empty()) {
                    m_loop.log(Level::Debug, "IPC server send response #" + std::to_string(request) + " " + type + "$Results");
                }
            };
            if (job->async) {
                // A peer that gives up on the call (Finish) drops its promise: `ended` runs
                // now rather than when the work is done (Cap'n Proto 0.9 keeps calls by
                // default). Only for calls that wait on the loop thread: dropping one that
                // waits for a worker races the worker's cross-thread fulfil in KJ 0.9.2.
                context.allowCancellation();
                return job->async().then(kj::mv(finish)).catch_(
                    [failed](kj::Exception&& e) -> kj::Promise<void> { return failed(std::make_exception_ptr(e)); })
                    .attach(kj::mv(ended));
            }
            KJ_IF_MAYBE(fields, param_fields.context) {
                if (job->allow_cancellation) context.allowCancellation();
                // The worker gets a copy of `run` only: the Job stays here, on the loop.
                return dispatchOnThread(params.get(fields->field).as<capnp::DynamicStruct>(), *fields, request,
                                        job->run, job->allow_cancellation)
                    .then(kj::mv(finish))
                    .catch_([failed](kj::Exception&& e) -> kj::Promise<void> { return failed(std::make_exception_ptr(e)); })
                    .attach(kj::mv(ended));
            }
            job->run();
            finish();
        } catch (...) {
            return failed(std::current_exception());
        }
        return kj::READY_NOW;
    }

private:
    // Finds the worker thread context.thread names (or a pool thread) and runs there.
    // While the call runs there, that thread's calls back to this peer go to the
    // caller's callbackThread (upstream's request_threads), so re-entrant call chains
    // land on the threads that are waiting.
    kj::Promise<void> dispatchOnThread(capnp::DynamicStruct::Reader ctx, const ProtocolFields::Context& fields,
                                       uint64_t request, std::function<void()> invoke, bool cancellable)
    {
        kj::Maybe<capnp::Capability::Client> callback;
        if (ctx.has(fields.callback_thread)) {
            capnp::Capability::Client cb = ctx.get(fields.callback_thread).as<capnp::DynamicCapability>();
            m_threads->requests().keepPeerThread(cb);
            callback = kj::mv(cb);
        }
        auto threads = m_threads;
        auto on = [threads, invoke = std::move(invoke), callback = kj::mv(callback),
                   cancellable](Waiter& waiter) mutable -> kj::Promise<void> {
            bool pushed = false;
            KJ_IF_MAYBE(cb, callback) {
                threads->requests().push(&waiter, *cb);
                pushed = true;
            }
            auto work = RunOn(waiter, kj::mv(invoke)).attach(kj::defer([threads, &waiter, pushed] {
                if (pushed) threads->requests().pop(&waiter);
            }));
            if (!cancellable) return work;
            // A Finish drops the branch returned; the detached one keeps the cross-thread
            // promise until the worker has fulfilled it (dropping it earlier races the
            // fulfil in KJ 0.9.2).
            auto forked = work.fork();
            forked.addBranch().detach([](kj::Exception&&) {});  // the returned branch reports it
            return forked.addBranch();
        };
        if (!ctx.has(fields.thread)) {
            if (!m_threads->pool().configured()) {
                m_loop.log(Level::Error, "IPC server error request #" + std::to_string(request) +
                                             ", no thread specified and no pool configured");
                return KJ_EXCEPTION(FAILED, "std::exception: no thread specified and no pool configured");
            }
            return on(m_threads->pool().pick());
        }
        auto thread = ctx.get(fields.thread).as<capnp::DynamicCapability>().castAs<mp::Thread>();
        return m_threads->find(thread).then([this, on = kj::mv(on), request](kj::Maybe<mp::Thread::Server&> server) mutable -> kj::Promise<void> {
            KJ_IF_MAYBE(s, server) {
                return on(static_cast<ThreadServer&>(*s).waiter());
            }
            m_loop.log(Level::Error, "IPC server error request #" + std::to_string(request) +
                                         ", missing thread to execute request");
            return KJ_EXCEPTION(FAILED, "std::exception: invalid thread handle");
        });
    }

    EventLoop& m_loop;
    std::shared_ptr<CallHandler> m_handler;
    std::shared_ptr<ProtocolState> m_threads;
    uint64_t m_requests = 0;
    LiveCounter<Live::Capability> m_live;
};

} // namespace

capnp::Capability::Client MakeDynamicServer(EventLoop& loop, capnp::InterfaceSchema schema,
                                            std::shared_ptr<CallHandler> handler,
                                            std::shared_ptr<ProtocolState> threads)
{
    return kj::heap<DynamicServer>(loop, schema, std::move(handler), std::move(threads));
}

} // namespace mpjava

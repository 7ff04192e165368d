#include <mpjava/protocol/value_call.h>

#include <kj/debug.h>

namespace mpjava {

namespace {

int StatusOf(const kj::Exception& e)
{
    switch (e.getType()) {
    case kj::Exception::Type::OVERLOADED: return CALL_OVERLOADED;
    case kj::Exception::Type::DISCONNECTED: return CALL_DISCONNECTED;
    case kj::Exception::Type::UNIMPLEMENTED: return CALL_UNIMPLEMENTED;
    default: return CALL_FAILED;
    }
}

// "Interface.method$Params" or "...$Results": the struct's name in messages and logs.
std::string MethodPath(const capnp::InterfaceSchema::Method& method, const char* suffix)
{
    return std::string(method.getContainingInterface().getShortDisplayName().cStr()) + "." +
           method.getProto().getName().cStr() + suffix;
}

// The outcome of a response: its results, or the raised $Proxy.exception field (§7).
CallOutcome ReadResponse(capnp::Response<capnp::AnyPointer>& response, const capnp::InterfaceSchema::Method& method,
                         ProtocolState& threads, CapabilityCodec* caps)
{
    CallOutcome outcome;
    auto results = response.getAs<capnp::DynamicStruct>(method.getResultType());
    AdoptThreadMaps(results, threads);
    KJ_IF_MAYBE(raised, threads.fieldsOf(results.getSchema()).exception) {
        if (results.has(*raised)) {
            kj::StringPtr name = raised->getProto().getName();
            uint16_t length = static_cast<uint16_t>(name.size());
            outcome.status = CALL_RAISED;
            outcome.bytes.push_back(static_cast<char>(length & 0xff));
            outcome.bytes.push_back(static_cast<char>(length >> 8));
            outcome.bytes.append(name.cStr(), name.size());
        }
    }
    EncodeStruct(results, outcome.bytes, caps);
    return outcome;
}

void TraceResponse(const EventLoop& loop, capnp::Response<capnp::AnyPointer>& response,
                   const capnp::InterfaceSchema::Method& method)
{
    if (!loop.logEnabled(Level::Debug)) return;
    loop.log(Level::Debug, "IPC client recv " + MethodPath(method, "$Results"));
    if (loop.logEnabled(Level::Trace)) {
        auto results = response.getAs<capnp::DynamicStruct>(method.getResultType());
        loop.log(Level::Trace, std::string("IPC client recv data: ") + kj::str(results).cStr());
    }
}

} // namespace

CallCompletion::CallCompletion(CallCompletion&& other) noexcept
    : m_fn(std::move(other.m_fn)), m_abandoned(std::move(other.m_abandoned))
{
    other.m_fn = nullptr;
    other.m_abandoned = nullptr;
}

CallCompletion::~CallCompletion()
{
    if (!m_fn || !m_abandoned) return;
    try {
        m_abandoned(std::make_unique<CallOutcome>(
            CallOutcome{CALL_CLOSED, "IPC client call cancelled: the event loop was closed."}));
    } catch (...) {
    }
}

void CallCompletion::complete(CallOutcome outcome)
{
    Fn fn = std::move(m_fn);
    m_fn = nullptr;
    if (fn) fn(std::make_unique<CallOutcome>(std::move(outcome)));
}

void CallCancel::cancel(EventLoop& loop)
{
    if (m_requested.exchange(true)) return;
    try {
        loop.post([self = shared_from_this()] {
            KJ_IF_MAYBE (fulfiller, self->m_fulfiller) {
                if (self->m_now) self->m_now();
                (*fulfiller)->fulfill();
            }
            self->disarm();
        });
    } catch (const LoopClosed&) {
        // The loop dropped every call when it closed.
    }
}

kj::Promise<void> CallCancel::arm(std::function<void()> now)
{
    auto paf = kj::newPromiseAndFulfiller<void>();
    m_fulfiller = kj::mv(paf.fulfiller);
    m_now = std::move(now);
    return kj::mv(paf.promise);
}

void StartValueCall(EventLoop& loop, ValueCallTarget target, capnp::InterfaceSchema::Method method,
                    std::string params, Caller caller, CallCompletion completion, std::shared_ptr<CallCancel> cancel)
{
    loop.post([&loop, target = std::move(target), method, params = std::move(params), caller = std::move(caller),
               completion = std::move(completion), cancel = std::move(cancel)]() mutable {
        auto done = std::make_shared<CallCompletion>(std::move(completion));
        if (cancel && cancel->requested()) {
            done->complete(CallOutcome{CALL_CANCELLED, "IPC client call cancelled before it was sent."});
            return;
        }
        kj::Maybe<kj::Promise<capnp::Response<capnp::AnyPointer>>> sent;
        const std::string path = MethodPath(method, "$Params");
        try {
            auto cap = target.resolve();
            sent = SendCall(
                cap, method,
                [&](capnp::AnyPointer::Builder root) {
                    auto built = root.initAs<capnp::DynamicStruct>(method.getParamType());
                    DecodeStruct(reinterpret_cast<const uint8_t*>(params.data()), params.size(), built, path,
                                 target.caps.get());
                    // Upstream's pair of lines; nothing is formatted for a level that is off.
                    if (loop.logEnabled(Level::Debug)) loop.log(Level::Debug, "IPC client send " + path);
                    if (loop.logEnabled(Level::Trace)) {
                        loop.log(Level::Trace, std::string("IPC client send data: ") + kj::str(built.asReader()).cStr());
                    }
                },
                &caller, target.threads, params.size());
        } catch (const ValueError& e) {
            done->complete(CallOutcome{CALL_INVALID_ARGUMENT, e.what()});
            return;
        } catch (const ClosedError& e) {
            done->complete(CallOutcome{CALL_CLOSED, e.what()});
            return;
        } catch (const kj::Exception& e) {
            done->complete(CallOutcome{StatusOf(e), e.getDescription().cStr()});
            return;
        } catch (const std::exception& e) {
            done->complete(CallOutcome{CALL_FAILED, e.what()});
            return;
        }
        kj::Promise<void> call = KJ_ASSERT_NONNULL(sent).then(
            [&loop, method, done, caps = target.caps, threads = target.threads](capnp::Response<capnp::AnyPointer>&& response) {
                CallOutcome outcome;
                try {
                    TraceResponse(loop, response, method);
                    outcome = ReadResponse(response, method, *threads, caps.get());
                } catch (const kj::Exception& e) {
                    outcome = CallOutcome{CALL_FAILED, std::string("cannot read results: ") + e.getDescription().cStr()};
                } catch (const std::exception& e) {
                    outcome = CallOutcome{CALL_FAILED, std::string("cannot read results: ") + e.what()};
                }
                done->complete(std::move(outcome));
            },
            [done](kj::Exception&& e) {
                std::string text = e.getDescription().cStr();
                if (e.getType() == kj::Exception::Type::DISCONNECTED &&
                    text.find("IPC client method called") == std::string::npos) {
                    text = "IPC client method call interrupted by disconnect. (" + text + ")";
                }
                done->complete(CallOutcome{StatusOf(e), text});
            });
        if (!cancel) {
            loop.addTask(kj::mv(call));
            return;
        }
        // Whichever ends first: the call, or cancel() (which drops the call: Finish).
        // The peer's thread may still be busy with this call: the caller's next call, which
        // may be posted right after the cancel, must not queue behind it.
        auto forget = [threads = target.threads, waiter = caller.waiter] { threads->callers().forgetRemoteThread(waiter.get()); };
        auto cancelled = cancel->arm(forget).then([done] {
            done->complete(CallOutcome{CALL_CANCELLED, "IPC client call cancelled."});
        });
        loop.addTask(call.exclusiveJoin(kj::mv(cancelled)).then([cancel] { cancel->disarm(); }));
    });
}

} // namespace mpjava

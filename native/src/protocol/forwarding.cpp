#include <mpjava/protocol/forwarding.h>

#include <mpjava/protocol/call.h>

#include <kj/debug.h>

namespace mpjava {

namespace {
// Serves a capability of another connection on this one, forwarding each call with
// this side's Context for that connection, as upstream wraps a ProxyClient passed on
// to a third party in a new local ProxyServer (a Thread of one connection means
// nothing on another). Forwarded calls are sent from the loop thread; callbacks
// addressed to their callbackThread run on the target connection's callback worker.
class ForwardingHandler final : public CallHandler {
public:
    ForwardingHandler(capnp::Capability::Client target, std::shared_ptr<ProtocolState> target_threads)
        : m_target(kj::mv(target)), m_threads(std::move(target_threads))
    {
        // Nobody waits on a forwarded call here, so callbacks made during it go to the
        // target connection's callback worker.
        m_caller.id = std::this_thread::get_id();
        m_caller.waiter = m_threads->callers().asyncCallbackWaiter(m_caller.name);
    }

    ~ForwardingHandler() noexcept override = default;

    Job prepare(const capnp::InterfaceSchema::Method& method, capnp::DynamicStruct::Reader params,
                capnp::DynamicStruct::Builder results) override
    {
        auto response = std::make_shared<kj::Maybe<capnp::Response<capnp::AnyPointer>>>();
        Job job;
        job.async = [this, method, params, response]() {
            return SendCall(m_target, method, [params](capnp::AnyPointer::Builder root) {
                root.setAs<capnp::DynamicStruct>(params);
            }, &m_caller, m_threads).then([response](capnp::Response<capnp::AnyPointer>&& r) {
                *response = kj::mv(r);
            });
        };
        job.finish = [method, results, response]() mutable {
            auto reply = KJ_ASSERT_NONNULL(*response).getAs<capnp::DynamicStruct>(method.getResultType());
            for (auto field : reply.getSchema().getNonUnionFields()) results.set(field, reply.get(field));
            KJ_IF_MAYBE(active, reply.which()) {
                results.set(*active, reply.get(*active));
            }
            *response = nullptr;
        };
        return job;
    }

private:
    capnp::Capability::Client m_target;
    std::shared_ptr<ProtocolState> m_threads;
    Caller m_caller;
};
} // namespace

std::shared_ptr<CallHandler> MakeForwardingHandler(capnp::Capability::Client target,
                                                   std::shared_ptr<ProtocolState> target_threads)
{
    return std::make_shared<ForwardingHandler>(kj::mv(target), std::move(target_threads));
}

} // namespace mpjava

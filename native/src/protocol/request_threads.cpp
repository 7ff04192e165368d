#include <mpjava/protocol/request_threads.h>

namespace mpjava {

void RequestThreads::push(Waiter* waiter, capnp::Capability::Client callback_thread)
{
    m_serving[waiter].push_back(kj::mv(callback_thread));
}

void RequestThreads::pop(Waiter* waiter)
{
    auto it = m_serving.find(waiter);
    if (it == m_serving.end()) return;
    it->second.pop_back();
    if (it->second.empty()) m_serving.erase(it);
}

kj::Maybe<capnp::Capability::Client&> RequestThreads::current(Waiter* waiter)
{
    auto it = m_serving.find(waiter);
    if (it == m_serving.end()) return nullptr;
    return it->second.back();
}

void RequestThreads::keepPeerThread(capnp::Capability::Client thread)
{
    auto hook = capnp::ClientHook::from(kj::cp(thread));
    const capnp::ClientHook* key = hook.get();
    if (m_peer_threads.count(key) == 0) m_peer_threads.emplace(key, kj::mv(thread));
}

void RequestThreads::clear()
{
    m_serving.clear();
    m_peer_threads.clear();
}

} // namespace mpjava

// How many threads a peer may make on one connection (makeThread, makePool), against
// ListenOptions.withMaxThreadsPerConnection (ServerOptions::max_threads_per_connection).
//
// Owned by the connection's ProtocolState. claim() runs on the loop thread; a ThreadClaim
// may be dropped on any thread (its Thread server goes wherever Cap'n Proto drops it).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

namespace mpjava {

// A share of a connection's threads: given back when it goes, so a peer that releases
// its threads may make new ones.
class ThreadClaim {
public:
    ThreadClaim(std::shared_ptr<std::atomic<std::size_t>> used, std::size_t n) : m_used(std::move(used)), m_n(n) {}
    ~ThreadClaim() { *m_used -= m_n; }
    ThreadClaim(const ThreadClaim&) = delete;
    ThreadClaim& operator=(const ThreadClaim&) = delete;

private:
    std::shared_ptr<std::atomic<std::size_t>> m_used;  // outlives the limit if a claim does
    std::size_t m_n;
};

class ThreadLimit {
public:
    // The default per-connection limit.
    static constexpr std::size_t kDefault = 64;

    void set(std::size_t limit) { m_limit = limit; }
    std::size_t get() const { return m_limit; }
    // Claims `n` more threads, or throws "<what> refused: thread limit reached (...)".
    std::unique_ptr<ThreadClaim> claim(std::size_t n, const char* what);

private:
    std::size_t m_limit = kDefault;
    std::shared_ptr<std::atomic<std::size_t>> m_used = std::make_shared<std::atomic<std::size_t>>(0);
};

} // namespace mpjava

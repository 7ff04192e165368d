#include <mpjava/protocol/thread_limit.h>

#include <stdexcept>
#include <string>

namespace mpjava {

std::unique_ptr<ThreadClaim> ThreadLimit::claim(std::size_t n, const char* what)
{
    const std::size_t used = m_used->load();
    if (n > m_limit || used > m_limit - n) {
        throw std::runtime_error(std::string(what) + " refused: thread limit reached (this connection may have " +
                                 std::to_string(m_limit) + " threads, has " + std::to_string(used) + ", asked for " +
                                 std::to_string(n) + " more)");
    }
    *m_used += n;
    return std::make_unique<ThreadClaim>(m_used, n);
}

} // namespace mpjava

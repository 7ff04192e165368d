#include <mpjava/runtime/logging.h>

#include <kj/exception.h>

#include <pthread.h>

namespace mpjava {

void Logger::log(Level level, const std::string& message) const
{
    if (!enabled(level)) return;
    std::string text = message;
    if (m_options.max_chars > 0 && text.size() > m_options.max_chars) {
        text.resize(m_options.max_chars);
        text += "...";
    }
    try {
        m_options.fn(level, CurrentThreadName(), text);
    } catch (...) {
        // A log sink must never take the caller down; the Java bridge already catches,
        // this guards C++ sinks.
    }
}

std::string CurrentThreadName()
{
    char name[64] = {0};
    if (pthread_getname_np(pthread_self(), name, sizeof(name)) != 0) return "unknown";
    return name;
}

void SetCurrentThreadName(const std::string& name)
{
    // Linux limits pthread names to 15 characters plus the terminator.
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

std::string ExceptionText(std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (const kj::Exception& e) {
        return e.getDescription().cStr();
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

} // namespace mpjava

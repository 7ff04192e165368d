// Log levels and options, modelled on libmultiprocess's mp::Log / mp::LogOptions.
#pragma once

#include <cstddef>
#include <functional>
#include <exception>
#include <string>

namespace mpjava {

// Same order and meaning as upstream's `enum class Log`.
enum class Level : int { Trace = 0, Debug = 1, Info = 2, Warning = 3, Error = 4, Raise = 5 };


// Receives every message that passes the level filter; `thread` is the name of the
// native thread that produced it. Called from that thread, so it must be thread safe.
using LogFn = std::function<void(Level level, const std::string& thread, const std::string& message)>;

struct LogOptions {
    LogFn fn;                       // no function: messages are dropped
    std::size_t max_chars = 200;    // longer messages are cut, as upstream cuts Trace dumps
    Level min_level = Level::Info;  // filtering happens here, before anything reaches Java
};

class Logger {
public:
    explicit Logger(LogOptions options) : m_options(std::move(options)) {}
    bool enabled(Level level) const { return m_options.fn && level >= m_options.min_level; }
    void log(Level level, const std::string& message) const;

private:
    LogOptions m_options;
};

// Name of the calling OS thread (pthread name), for log lines and Java thread names.
std::string CurrentThreadName();
void SetCurrentThreadName(const std::string& name);

// The text of a caught exception (kj::Exception's description, std::exception's what()),
// for a log line or an error reply.
std::string ExceptionText(std::exception_ptr error);

} // namespace mpjava

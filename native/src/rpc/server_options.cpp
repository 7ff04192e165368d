#include <mpjava/rpc/server_options.h>

#include <functional>
#include <map>
#include <stdexcept>

namespace mpjava {

namespace {

int64_t ParseInteger(const std::string& name, const std::string& value)
{
    std::size_t used = 0;
    long long parsed = 0;
    try {
        parsed = std::stoll(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != value.size()) {
        throw std::invalid_argument("server option " + name + ": not an integer: '" + value + "'");
    }
    return parsed;
}

std::size_t ParseCount(const std::string& name, const std::string& value)
{
    int64_t n = ParseInteger(name, value);
    if (n < 0) throw std::invalid_argument("server option " + name + ": negative: " + value);
    return static_cast<std::size_t>(n);
}

using Setter = std::function<void(ServerOptions&, const std::string& name, const std::string& value)>;

const std::map<std::string, Setter>& Setters()
{
    static const std::map<std::string, Setter> setters{
        {"maxConnections",
         [](ServerOptions& o, const std::string& n, const std::string& v) { o.max_connections = ParseCount(n, v); }},
        {"maxThreadsPerConnection",
         [](ServerOptions& o, const std::string& n, const std::string& v) {
             o.max_threads_per_connection = ParseCount(n, v);
         }},
        {"maxInFlightCalls",
         [](ServerOptions& o, const std::string& n, const std::string& v) { o.flow.max_in_flight_calls = ParseCount(n, v); }},
        {"maxInFlightBytes",
         [](ServerOptions& o, const std::string& n, const std::string& v) { o.flow.max_in_flight_bytes = ParseCount(n, v); }},
        {"outgoingPauseBytes",
         [](ServerOptions& o, const std::string& n, const std::string& v) { o.flow.outgoing_pause_bytes = ParseCount(n, v); }},
        {"maxOutgoingBytes",
         [](ServerOptions& o, const std::string& n, const std::string& v) { o.flow.max_outgoing_bytes = ParseCount(n, v); }},
    };
    return setters;
}

} // namespace

ServerOptions ParseServerOptions(const std::string& text)
{
    ServerOptions options;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        std::size_t eq = line.find('=');
        std::string name = line.substr(0, eq);
        auto setter = Setters().find(name);
        if (eq == std::string::npos || setter == Setters().end()) {
            throw std::invalid_argument("unknown server option: '" + line + "'");
        }
        setter->second(options, name, line.substr(eq + 1));
    }
    return options;
}

} // namespace mpjava

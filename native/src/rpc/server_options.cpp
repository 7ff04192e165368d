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

unsigned ParseId(const std::string& name, const std::string& value)
{
    int64_t n = ParseInteger(name, value);
    if (n < 0 || n > 0xfffffffe) throw std::invalid_argument("server option " + name + ": not a uid/gid: " + value);
    return static_cast<unsigned>(n);
}

// "1000,1001": comma-separated ids; empty: none.
std::vector<int64_t> ParseIds(const std::string& name, const std::string& value)
{
    std::vector<int64_t> ids;
    std::size_t start = 0;
    while (start < value.size()) {
        std::size_t comma = value.find(',', start);
        if (comma == std::string::npos) comma = value.size();
        ids.push_back(ParseId(name, value.substr(start, comma - start)));
        start = comma + 1;
    }
    return ids;
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
        {"backlog",
         [](ServerOptions& o, const std::string& n, const std::string& v) {
             std::size_t b = ParseCount(n, v);
             if (b < 1 || b > 65535) throw std::invalid_argument("server option backlog: out of range: " + v);
             o.backlog = static_cast<int>(b);
         }},
        {"socketMode",
         [](ServerOptions& o, const std::string& n, const std::string& v) {
             std::size_t mode = ParseCount(n, v);
             if (mode > 0777) throw std::invalid_argument("server option socketMode: not a permission mode: " + v);
             o.socket_mode = static_cast<unsigned>(mode);
         }},
        {"socketGroup",
         [](ServerOptions& o, const std::string& n, const std::string& v) { o.socket_group = ParseId(n, v); }},
        {"allowedUids",
         [](ServerOptions& o, const std::string& n, const std::string& v) { o.allowed_uids = ParseIds(n, v); }},
        {"allowedGids",
         [](ServerOptions& o, const std::string& n, const std::string& v) { o.allowed_gids = ParseIds(n, v); }},
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

// A peer that speaks Cap'n Proto RPC by hand, message by message, over a plain
// socket: what a careless or hostile client can send that our own client never does
// (calls pipelined without reading a reply, never answering). Header only, for the
// tests and the fuzzer.
#pragma once

#include <capnp/dynamic.h>
#include <capnp/message.h>
#include <capnp/rpc.capnp.h>
#include <capnp/serialize.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace mpjava::test::raw {

using Bytes = std::vector<unsigned char>;

inline Bytes Serialize(capnp::MessageBuilder& message)
{
    auto words = capnp::messageToFlatArray(message);
    auto bytes = words.asBytes();
    return Bytes(bytes.begin(), bytes.end());
}

// Bootstrap with question id `question`.
inline Bytes Bootstrap(uint32_t question)
{
    capnp::MallocMessageBuilder message;
    message.initRoot<capnp::rpc::Message>().initBootstrap().setQuestionId(question);
    return Serialize(message);
}

// A call of `method` on the answer to question `target` (the bootstrap capability,
// pipelined), its params filled by `fill`.
inline Bytes Call(uint32_t question, uint32_t target, const capnp::InterfaceSchema::Method& method,
                  const std::function<void(capnp::DynamicStruct::Builder)>& fill)
{
    capnp::MallocMessageBuilder message(256);
    auto call = message.initRoot<capnp::rpc::Message>().initCall();
    call.setQuestionId(question);
    call.initTarget().initPromisedAnswer().setQuestionId(target);
    call.setInterfaceId(method.getContainingInterface().getProto().getId());
    call.setMethodId(method.getIndex());
    auto params = call.initParams().getContent().initAs<capnp::DynamicStruct>(method.getParamType());
    if (fill) fill(params);
    return Serialize(message);
}

inline Bytes Finish(uint32_t question)
{
    capnp::MallocMessageBuilder message(64);
    message.initRoot<capnp::rpc::Message>().initFinish().setQuestionId(question);
    return Serialize(message);
}

// Writes what the socket takes within `timeout`; returns the bytes written (all of
// `bytes` unless the peer stopped reading or went away).
inline size_t WriteSome(int fd, const unsigned char* bytes, size_t size, std::chrono::milliseconds timeout)
{
    size_t done = 0;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (done < size) {
        ssize_t n = ::send(fd, bytes + done, size - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            done += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) break;  // the peer is gone
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        struct pollfd p {fd, POLLOUT, 0};
        ::poll(&p, 1, static_cast<int>(left.count()));
    }
    return done;
}

// Pipelines up to `calls` calls of `method` (params a, b: Int32) on the bootstrap
// capability without reading a reply; stops when the peer has taken nothing for 2 s.
// Returns about how many calls were written.
inline int Flood(int fd, const capnp::InterfaceSchema::Method& method, int calls)
{
    auto boot = Bootstrap(0);
    if (WriteSome(fd, boot.data(), boot.size(), std::chrono::seconds(2)) < boot.size()) return 0;
    int sent = 0;
    const int batch = 500;
    while (sent < calls) {
        Bytes bytes;
        const int n = std::min(batch, calls - sent);
        for (int i = 0; i < n; ++i) {
            const uint32_t q = static_cast<uint32_t>(sent + i + 1);
            auto call = Call(q, 0, method, [q](capnp::DynamicStruct::Builder p) {
                p.set("a", static_cast<int32_t>(q));
                p.set("b", 1);
            });
            bytes.insert(bytes.end(), call.begin(), call.end());
        }
        const size_t done = WriteSome(fd, bytes.data(), bytes.size(), std::chrono::seconds(2));
        if (done < bytes.size()) return sent + static_cast<int>(done * static_cast<size_t>(n) / bytes.size());
        sent += n;
    }
    return sent;
}

// Whether the other end closed or reset the socket within `timeout`: what is
// readable meanwhile is read and dropped.
inline bool PeerClosed(int fd, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    unsigned char buffer[65536];
    while (true) {
        ssize_t n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
        if (n == 0) return true;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return true;
        if (n > 0) continue;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        struct pollfd p {fd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(left.count()));
    }
}

// Reads one whole message (Cap'n Proto stream framing) within `timeout`; false when
// the peer closed, the framing is implausible or time ran out.
inline bool ReadMessage(int fd, kj::Array<capnp::word>& out, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto read_exactly = [&](void* into, size_t size) {
        size_t done = 0;
        while (done < size) {
            ssize_t n = ::recv(fd, static_cast<char*>(into) + done, size - done, MSG_DONTWAIT);
            if (n > 0) {
                done += static_cast<size_t>(n);
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return false;
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            struct pollfd p {fd, POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(left.count()));
        }
        return true;
    };
    uint32_t first[2];
    if (!read_exactly(first, sizeof(first))) return false;
    const uint32_t count = first[0] + 1;
    if (count > 512) return false;
    std::vector<uint32_t> sizes(count);
    sizes[0] = first[1];
    const size_t table_words = (count + 2) / 2;  // the table with its padding, in words
    std::vector<uint32_t> rest(table_words * 2 - 2);
    if (!rest.empty() && !read_exactly(rest.data(), rest.size() * 4)) return false;
    size_t total = 0;
    for (uint32_t i = 0; i < count; ++i) {
        if (i > 0) sizes[i] = rest[i - 1];
        total += sizes[i];
    }
    if (total > (64u << 20) / 8) return false;
    out = kj::heapArray<capnp::word>(table_words + total);
    memcpy(out.begin(), first, sizeof(first));
    if (!rest.empty()) memcpy(reinterpret_cast<char*>(out.begin()) + sizeof(first), rest.data(), rest.size() * 4);
    return read_exactly(out.begin() + table_words, total * sizeof(capnp::word));
}

// One ordinary call as any client makes it, on its own connection: bootstrap, then
// method(a, b) on it; returns the result (`-1` and `error` set when not answered in
// `timeout`). The method takes and returns Int32s named a, b and result (CalcInit.add).
inline int32_t CallAdd(const std::string& path, const capnp::InterfaceSchema::Method& method, int32_t a, int32_t b,
                       std::chrono::milliseconds timeout, std::string& error)
{
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    if (::connect(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) != 0) {
        error = std::string("connect: ") + std::strerror(errno);
        ::close(fd);
        return -1;
    }
    Bytes out = Bootstrap(0);
    Bytes call = Call(1, 0, method, [a, b](capnp::DynamicStruct::Builder p) {
        p.set("a", a);
        p.set("b", b);
    });
    out.insert(out.end(), call.begin(), call.end());
    int32_t result = -1;
    error = "no answer";
    if (WriteSome(fd, out.data(), out.size(), timeout) == out.size()) {
        kj::Array<capnp::word> words;
        while (ReadMessage(fd, words, timeout)) {
            capnp::FlatArrayMessageReader reader(words);
            auto message = reader.getRoot<capnp::rpc::Message>();
            if (!message.isReturn() || message.getReturn().getAnswerId() != 1) continue;
            auto ret = message.getReturn();
            if (!ret.isResults()) {
                error = ret.isException() ? ret.getException().getReason().cStr() : "not results";
                break;
            }
            result = ret.getResults().getContent().getAs<capnp::DynamicStruct>(method.getResultType()).get("result").as<int32_t>();
            error.clear();
            break;
        }
    }
    ::close(fd);
    return result;
}

} // namespace mpjava::test::raw

// A peer that speaks Cap'n Proto RPC by hand, message by message, over a plain
// socket: what a careless or hostile client can send that our own client never does
// (calls pipelined without reading a reply, never answering). Header only, for the
// tests and the fuzzer.
#pragma once

#include <capnp/dynamic.h>
#include <capnp/message.h>
#include <capnp/rpc.capnp.h>
#include <capnp/serialize.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
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

} // namespace mpjava::test::raw

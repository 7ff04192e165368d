// The socket streams connections use (unix_stream.h): writes larger than the socket
// buffer block and resume, end of stream and a vanished peer are reported as KJ
// expects, and a listener hands out working streams.
#include "test_support.h"

#include <mpjava/rpc/connection.h>
#include <mpjava/io/sockets.h>

#include <kj/debug.h>

#include <mutex>

#include <sys/socket.h>
#include <unistd.h>

using namespace mpjava;
using namespace mpjava::test;

namespace {

std::pair<int, int> SocketPair()
{
    int fds[2];
    MPJ_CHECK(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    return {fds[0], fds[1]};
}

// Reads until end of stream, in chunks no larger than `chunk`.
kj::Promise<void> ReadAll(kj::AsyncIoStream& stream, std::string& into, size_t chunk)
{
    auto buffer = kj::heapArray<kj::byte>(chunk);
    auto read = stream.tryRead(buffer.begin(), 1, buffer.size());
    return read.then([&stream, &into, chunk, buffer = kj::mv(buffer)](size_t n) -> kj::Promise<void> {
        if (n == 0) return kj::READY_NOW;
        into.append(reinterpret_cast<const char*>(buffer.begin()), n);
        return ReadAll(stream, into, chunk);
    });
}

} // namespace

MPJ_TEST(StreamWritesLargerThanTheSocketBufferArriveWhole)
{
    auto loop = EventLoop::Start("stream", {});
    auto [a, b] = SocketPair();
    // 8 MiB in three pieces of odd sizes: the writer meets EAGAIN many times and must
    // resume in the middle of a piece.
    std::string first(3 << 20, '\0'), second(5, '\0'), third((5 << 20) - 5 + 7, '\0');
    for (size_t i = 0; i < first.size(); ++i) first[i] = static_cast<char>(i * 7);
    for (size_t i = 0; i < second.size(); ++i) second[i] = static_cast<char>(200 + i);
    for (size_t i = 0; i < third.size(); ++i) third[i] = static_cast<char>(i * 13 + 1);
    std::string received;
    std::shared_ptr<kj::Own<kj::AsyncIoStream>> writer, reader;
    bool written = Await<bool>(*loop, [&, a = a, b = b] {
        writer = std::make_shared<kj::Own<kj::AsyncIoStream>>(WrapSocket(*loop, a));
        reader = std::make_shared<kj::Own<kj::AsyncIoStream>>(WrapSocket(*loop, b));
        auto pieces = kj::heapArray<kj::ArrayPtr<const kj::byte>>(3);
        pieces[0] = kj::arrayPtr(reinterpret_cast<const kj::byte*>(first.data()), first.size());
        pieces[1] = kj::arrayPtr(reinterpret_cast<const kj::byte*>(second.data()), second.size());
        pieces[2] = kj::arrayPtr(reinterpret_cast<const kj::byte*>(third.data()), third.size());
        // Eager: a join evaluates its branches' continuations only once all are ready.
        auto write = (*writer)->write(pieces).then([writer] { (*writer)->shutdownWrite(); }).eagerlyEvaluate(nullptr);
        pieces = nullptr;  // the stream must not need the array of pieces after write() returns
        return kj::joinPromises(kj::arr(kj::mv(write), ReadAll(**reader, received, 64 << 10))).then([] { return true; });
    });
    MPJ_CHECK(written);
    MPJ_CHECK_EQ(received.size(), first.size() + second.size() + third.size());
    MPJ_CHECK(received == first + second + third);
    loop->sync([&] {
        writer.reset();
        reader.reset();
    });
}

MPJ_TEST(StreamWriteToVanishedPeerFailsAsDisconnected)
{
    auto loop = EventLoop::Start("stream", {});
    auto [a, b] = SocketPair();
    ::close(b);
    std::shared_ptr<kj::Own<kj::AsyncIoStream>> stream;
    auto type = Await<int>(*loop, [&, a = a] {
        stream = std::make_shared<kj::Own<kj::AsyncIoStream>>(WrapSocket(*loop, a));
        static const char bytes[] = "hello";
        // No SIGPIPE: the process survives and the write fails as DISCONNECTED.
        return (*stream)->write(bytes, sizeof(bytes)).then(
            [] { return -1; }, [](kj::Exception&& e) { return static_cast<int>(e.getType()); });
    });
    MPJ_CHECK_EQ(type, static_cast<int>(kj::Exception::Type::DISCONNECTED));
    auto read = Await<size_t>(*loop, [&] {
        static char buffer[8];
        return (*stream)->tryRead(buffer, 1, sizeof(buffer));
    });
    MPJ_CHECK_EQ(read, size_t{0});  // end of stream
    loop->sync([&] { stream.reset(); });
}

MPJ_TEST(StreamDestroyedWhileAWriteWaitsClosesCleanly)
{
    std::mutex mutex;
    std::string problems;
    LogOptions options;
    options.min_level = Level::Warning;
    options.fn = [&](Level, const std::string&, const std::string& message) {
        std::lock_guard<std::mutex> lock(mutex);
        problems += message + "\n";
    };
    auto loop = EventLoop::Start("stream", options);
    auto [a, b] = SocketPair();
    loop->sync([&, a = a] {
        auto stream = WrapSocket(*loop, a);
        static const std::string big(4 << 20, 'x');
        {
            auto pending = stream->write(big.data(), big.size());  // waits for writability: nobody reads
        }  // cancelled first, as KJ requires, then the stream goes
        stream = nullptr;
    });
    ::close(b);
    loop->close();
    std::lock_guard<std::mutex> lock(mutex);
    MPJ_CHECK_EQ(problems, std::string());
}

MPJ_TEST(ListenerHandsOutStreamsThatCarryData)
{
    auto loop = EventLoop::Start("stream", {});
    std::string path = TempSocketPath("stream.sock");
    int listen_fd = BindUnixSocket(path);
    std::shared_ptr<kj::Own<kj::ConnectionReceiver>> listener;
    std::shared_ptr<kj::Own<kj::AsyncIoStream>> accepted;
    std::string received;
    loop->sync([&] { listener = std::make_shared<kj::Own<kj::ConnectionReceiver>>(WrapListener(*loop, listen_fd)); });
    int client = ConnectUnixSocket(path);
    MPJ_CHECK(::write(client, "ping", 4) == 4);
    ::shutdown(client, SHUT_WR);
    bool done = Await<bool>(*loop, [&] {
        return (*listener)->accept().then([&](kj::Own<kj::AsyncIoStream> stream) {
            accepted = std::make_shared<kj::Own<kj::AsyncIoStream>>(kj::mv(stream));
            return ReadAll(**accepted, received, 2);
        }).then([] { return true; });
    });
    MPJ_CHECK(done);
    MPJ_CHECK_EQ(received, std::string("ping"));
    ::close(client);
    loop->sync([&] {
        accepted.reset();
        listener.reset();
    });
}

#include <mpjava/io/unix_stream.h>

#include <kj/debug.h>

#include <cerrno>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace mpjava {

namespace {

using Observer = kj::UnixEventPort::FdObserver;

// Owns fd (closing it even if this throws) and makes it non-blocking.
kj::AutoCloseFd OwnNonBlocking(int fd)
{
    kj::AutoCloseFd owned(fd);
    int flags;
    KJ_SYSCALL(flags = ::fcntl(fd, F_GETFL));
    if ((flags & O_NONBLOCK) == 0) {
        KJ_SYSCALL(::fcntl(fd, F_SETFL, flags | O_NONBLOCK));
    }
    return owned;
}

void GetSockOpt(int fd, int level, int option, void* value, kj::uint* length)
{
    socklen_t size = *length;
    KJ_SYSCALL(::getsockopt(fd, level, option, value, &size));
    *length = size;
}

// getsockname() or getpeername() with KJ's length type.
void GetAddress(int (*get)(int, struct sockaddr*, socklen_t*), int fd, struct sockaddr* addr, kj::uint* length)
{
    socklen_t size = *length;
    KJ_SYSCALL(get(fd, addr, &size));
    *length = size;
}

class UnixStream final : public kj::AsyncIoStream {
public:
    UnixStream(kj::UnixEventPort& port, int fd)
        : m_port(port), m_fd(OwnNonBlocking(fd)), m_read_observer(port, fd, Observer::OBSERVE_READ)
    {
    }

    kj::Promise<size_t> tryRead(void* buffer, size_t min_bytes, size_t max_bytes) override
    {
        return kj::evalNow([&] { return readFrom(static_cast<kj::byte*>(buffer), min_bytes, max_bytes, 0); });
    }

    kj::Promise<void> write(const void* buffer, size_t size) override
    {
        kj::ArrayPtr<const kj::byte> piece(static_cast<const kj::byte*>(buffer), size);
        return write(kj::arrayPtr(&piece, 1));  // writeFrom copies the pieces before it waits
    }

    kj::Promise<void> write(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces) override
    {
        return kj::evalNow([&] { return writeFrom(pieces); });
    }

    kj::Promise<void> whenWriteDisconnected() override
    {
        // EPOLLHUP is reported whatever the watched events, so the read observer sees it,
        // but only once: a hang-up already reported is found by asking the socket.
        struct pollfd state {m_fd.get(), POLLOUT, 0};
        if (::poll(&state, 1, 0) > 0 && (state.revents & (POLLHUP | POLLERR))) return kj::READY_NOW;
        if (m_write_disconnected == nullptr) m_write_disconnected = m_read_observer.whenWriteDisconnected().fork();
        return KJ_ASSERT_NONNULL(m_write_disconnected).addBranch();
    }

    void shutdownWrite() override { KJ_SYSCALL(::shutdown(m_fd, SHUT_WR)); }
    void abortRead() override { ::shutdown(m_fd, SHUT_RD); }

    void getsockopt(int level, int option, void* value, kj::uint* length) override
    {
        GetSockOpt(m_fd, level, option, value, length);
    }
    void setsockopt(int level, int option, const void* value, kj::uint length) override
    {
        KJ_SYSCALL(::setsockopt(m_fd, level, option, value, length));
    }
    void getsockname(struct sockaddr* addr, kj::uint* length) override { GetAddress(::getsockname, m_fd, addr, length); }
    void getpeername(struct sockaddr* addr, kj::uint* length) override { GetAddress(::getpeername, m_fd, addr, length); }
    kj::Maybe<int> getFd() const override { return m_fd.get(); }

private:
    // Reads until at least min_bytes are in (or the peer ended the stream); waits for
    // readability only after the socket said EAGAIN, as edge-triggered epoll requires.
    kj::Promise<size_t> readFrom(kj::byte* buffer, size_t min_bytes, size_t max_bytes, size_t done)
    {
        while (true) {
            ssize_t n = ::read(m_fd, buffer + done, max_bytes - done);
            if (n < 0) {
                int error = errno;
                if (error == EINTR) continue;
                if (error != EAGAIN && error != EWOULDBLOCK) KJ_FAIL_SYSCALL("read(socket)", error);
                if (done >= min_bytes) return done;
                return m_read_observer.whenBecomesReadable().then([this, buffer, min_bytes, max_bytes, done] {
                    return readFrom(buffer, min_bytes, max_bytes, done);
                });
            }
            if (n == 0) return done;  // end of stream
            done += static_cast<size_t>(n);
            if (done >= min_bytes) return done;
        }
    }

    // Writes every piece; the caller keeps the bytes alive until the promise resolves,
    // but not the array of pieces, so a blocked write continues from a copy.
    kj::Promise<void> writeFrom(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces)
    {
        size_t index = 0;
        size_t offset = 0;  // into pieces[index]
        while (true) {
            while (index < pieces.size() && offset == pieces[index].size()) {
                ++index;
                offset = 0;
            }
            if (index == pieces.size()) return kj::READY_NOW;
            constexpr size_t kMaxIov = 64;
            struct iovec iov[kMaxIov];
            size_t count = 0;
            for (size_t i = index; i < pieces.size() && count < kMaxIov; ++i) {
                size_t skip = i == index ? offset : 0;
                iov[count].iov_base = const_cast<kj::byte*>(pieces[i].begin() + skip);
                iov[count].iov_len = pieces[i].size() - skip;
                ++count;
            }
            ssize_t n = send(iov, count);
            if (n < 0) {
                int error = errno;
                if (error == EINTR) continue;
                if (error != EAGAIN && error != EWOULDBLOCK) KJ_FAIL_SYSCALL("sendmsg(socket)", error);
                auto rest = kj::heapArray<kj::ArrayPtr<const kj::byte>>(pieces.size() - index);
                rest[0] = pieces[index].slice(offset, pieces[index].size());
                for (size_t i = index + 1; i < pieces.size(); ++i) rest[i - index] = pieces[i];
                return whenWritable().then([this, rest = kj::mv(rest)]() { return writeFrom(rest); });
            }
            size_t left = static_cast<size_t>(n);
            while (left > 0) {
                size_t here = pieces[index].size() - offset;
                if (left < here) {
                    offset += left;
                    left = 0;
                } else {
                    left -= here;
                    ++index;
                    offset = 0;
                }
            }
        }
    }

    ssize_t send(struct iovec* iov, size_t count)
    {
        if (m_plain_fd) return ::writev(m_fd, iov, static_cast<int>(count));
        struct msghdr message {};
        message.msg_iov = iov;
        message.msg_iovlen = count;
        // MSG_NOSIGNAL: a peer gone away is an error for this call, not SIGPIPE for the process.
        ssize_t n = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK) {
            m_plain_fd = true;  // a pipe or other fd handed to ServeStream
            return send(iov, count);
        }
        return n;
    }

    // Writability is watched through a duplicate fd, registered only while a write
    // waits, so the peer's reads do not wake this loop otherwise. The watch lives in
    // the returned promise, which KJ's rules make end before the stream does.
    kj::Promise<void> whenWritable()
    {
        if (m_write_fd.get() < 0) {
            int fd;
            KJ_SYSCALL(fd = ::fcntl(m_fd, F_DUPFD_CLOEXEC, 0));
            m_write_fd = kj::AutoCloseFd(fd);
        }
        auto observer = kj::heap<Observer>(m_port, m_write_fd, Observer::OBSERVE_WRITE);
        auto writable = observer->whenBecomesWritable();
        return writable.attach(kj::mv(observer));
    }

    kj::UnixEventPort& m_port;
    kj::AutoCloseFd m_fd;        // closed after the observers below are gone
    kj::AutoCloseFd m_write_fd;  // the duplicate watched while a write waits
    Observer m_read_observer;
    kj::Maybe<kj::ForkedPromise<void>> m_write_disconnected;
    bool m_plain_fd = false;
};

class UnixListener final : public kj::ConnectionReceiver {
public:
    UnixListener(kj::UnixEventPort& port, int fd)
        : m_port(port), m_fd(OwnNonBlocking(fd)), m_observer(port, fd, Observer::OBSERVE_READ)
    {
    }

    kj::Promise<kj::Own<kj::AsyncIoStream>> accept() override
    {
        return kj::evalNow([&] { return acceptNext(); });
    }

    kj::uint getPort() override { return 0; }

    void getsockopt(int level, int option, void* value, kj::uint* length) override
    {
        GetSockOpt(m_fd, level, option, value, length);
    }
    void setsockopt(int level, int option, const void* value, kj::uint length) override
    {
        KJ_SYSCALL(::setsockopt(m_fd, level, option, value, length));
    }
    void getsockname(struct sockaddr* addr, kj::uint* length) override { GetAddress(::getsockname, m_fd, addr, length); }

private:
    kj::Promise<kj::Own<kj::AsyncIoStream>> acceptNext()
    {
        while (true) {
            int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd >= 0) return WrapUnixStream(m_port, fd);
            int error = errno;
            switch (error) {
            case EINTR:
            case ECONNABORTED:  // the client left before it was accepted
            case EPROTO:
                continue;
            case EAGAIN:
#if EAGAIN != EWOULDBLOCK
            case EWOULDBLOCK:
#endif
                return m_observer.whenBecomesReadable().then([this] { return acceptNext(); });
            default:
                KJ_FAIL_SYSCALL("accept(listening socket)", error);
            }
        }
    }

    kj::UnixEventPort& m_port;
    kj::AutoCloseFd m_fd;
    Observer m_observer;
};

} // namespace

kj::Own<kj::AsyncIoStream> WrapUnixStream(kj::UnixEventPort& port, int fd) { return kj::heap<UnixStream>(port, fd); }

kj::Own<kj::ConnectionReceiver> WrapUnixListener(kj::UnixEventPort& port, int fd)
{
    return kj::heap<UnixListener>(port, fd);
}

} // namespace mpjava

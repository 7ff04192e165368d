package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.nio.file.Path;

/** Unix socket helpers: the fds {@link EventLoop#listen}, {@code serve} and {@code connect} take. */
public final class Sockets {
    private Sockets() {}

    /**
     * Binds and listens on a Unix socket path; a stale socket file nobody listens on is
     * replaced, and a path a live server listens on fails at once (the probe never waits
     * on a busy server). The caller owns the file: nothing removes it when the fd closes;
     * {@link EventLoop#listen(Path, Implementation, ListenOptions)} binds a file its
     * listener removes, with a mode and group if asked.
     *
     * @param path the socket path
     * @param backlog the listen(2) backlog
     * @return the listening fd
     */
    public static int bind(Path path, int backlog) {
        Dispatcher.ensureInstalled();
        try {
            return NativeApi.socket_bind(path.toString(), backlog);
        } catch (RuntimeException e) {
            throw new IpcException(e.getMessage());
        }
    }

    /**
     * Connects to a Unix socket path.
     *
     * @param path the socket path
     * @return the connected fd
     */
    public static int connect(Path path) {
        Dispatcher.ensureInstalled();
        try {
            return NativeApi.socket_connect(path.toString());
        } catch (RuntimeException e) {
            throw new IpcException(e.getMessage());
        }
    }

    /**
     * A connected pair of Unix stream sockets, both close-on-exec.
     *
     * @return the two fds
     */
    public static int[] pair() {
        Dispatcher.ensureInstalled();
        int[] fds = new int[2];
        try {
            NativeApi.socket_pair(fds);
        } catch (RuntimeException e) {
            throw new IpcException(e.getMessage());
        }
        return fds;
    }

    /**
     * Closes an fd that was not handed to a loop.
     *
     * @param fd the fd
     */
    public static void close(int fd) {
        Dispatcher.ensureInstalled();
        NativeApi.fd_close(fd);
    }
}

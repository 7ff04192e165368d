package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process connected by a socketpair, started the way upstream's SpawnProcess
 * does: the child inherits one end at an fd number given on its command line
 * ({@code mpcalculator <fd>}). Java's ProcessBuilder cannot pass fds, so this is native.
 * Hand {@link #takeSocket()} to {@link EventLoop#connect(int, InterfaceType)}.
 * After {@link #close()}, {@link #takeSocket()} throws {@link ClosedException};
 * {@link #pid()} and {@link #waitFor} keep describing the (ended) child.
 */
public final class SpawnedProcess implements AutoCloseable {
    /** The argument that is replaced by the child's fd number (appended if absent). */
    public static final String FD = "{fd}";

    private final int pid;
    private int socket;        // guarded by this; -1 once taken or closed
    private boolean closed;    // guarded by this
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private SpawnedProcess(int pid, int socket) {
        this.pid = pid;
        this.socket = socket;
        Thread reaper = new Thread(() -> {
            try {
                exit.complete(NativeApi.process_wait(pid));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "mpjava-wait-" + pid);
        reaper.setDaemon(true);
        reaper.start();
    }

    public static SpawnedProcess spawn(List<String> command) {
        Dispatcher.ensureInstalled();
        for (String arg : command) {
            if (arg.contains("\n")) throw new IllegalArgumentException("argument contains a newline: " + arg);
        }
        int[] fd = new int[1];
        try {
            int pid = NativeApi.process_spawn(String.join("\n", command), fd);
            return new SpawnedProcess(pid, fd[0]);
        } catch (RuntimeException e) {
            throw new IpcException(e.getMessage());
        }
    }

    /** The command line to start this JVM's class {@code mainClass} with the same class path. */
    public static List<String> javaCommand(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) command.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    public int pid() {
        return pid;
    }

    /** The parent's end of the socketpair; the caller owns it from now on. */
    public synchronized int takeSocket() {
        if (closed) throw new ClosedException("process " + pid + " is closed");
        if (socket < 0) throw new IllegalStateException("socket already taken");
        int fd = socket;
        socket = -1;
        return fd;
    }

    /** Waits for the child to exit; returns its exit code (128 + signal if killed). */
    public int waitFor(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        try {
            return exit.get(timeout, unit);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IpcException("waiting for process " + pid + " failed: " + e.getCause().getMessage());
        }
    }

    /** Closes our socket if still held, waits up to 10 s for the child, then kills it. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (socket >= 0) {
                NativeApi.fd_close(socket);
                socket = -1;
            }
        }
        try {
            waitFor(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            NativeApi.process_kill(pid);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

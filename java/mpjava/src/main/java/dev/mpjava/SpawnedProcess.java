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

    /**
     * Starts {@code command} (the executable is looked up in PATH) with one end of a new
     * socketpair inherited: its fd number replaces the argument {@link #FD}, or is appended.
     *
     * @param command the executable and its arguments, none containing a newline
     * @return the running child, holding the parent's end of the socketpair
     * @throws IpcException if the process cannot be started
     */
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

    /**
     * The command line that starts {@code mainClass} in a new JVM like this one: the same
     * {@code java} executable, JavaCPP cache directory, class path and module path. A class in a
     * named module is started as {@code -m module/class}; a class on the class path next to a
     * module path gets {@code --add-modules ALL-MODULE-PATH}. Native access is enabled for the
     * module that loads the libraries: the unnamed module when mpjava is on the class path,
     * {@code org.bytedeco.javacpp} and {@code dev.mpjava} when it is on the module path. Pass the
     * result to {@link #spawn(List)}, with {@link #FD} among {@code args} if the fd number is not
     * the last argument.
     *
     * @param mainClass the class whose {@code main} the child runs
     * @param args the child's program arguments
     * @return a new mutable list: the executable, JVM options, main class and {@code args}
     */
    public static List<String> javaCommand(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        Module library = SpawnedProcess.class.getModule();
        command.add("--enable-native-access="
                + (library.isNamed() ? "org.bytedeco.javacpp," + library.getName() : "ALL-UNNAMED"));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) command.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path", "");
        if (!modulePath.isEmpty()) {
            command.add("--module-path");
            command.add(modulePath);
        }
        if (!classPath.isEmpty()) {
            command.add("-cp");
            command.add(classPath);
        }
        Module module = mainClass.getModule();
        if (module.isNamed()) {
            command.add("-m");
            command.add(module.getName() + "/" + mainClass.getName());
        } else {
            if (!modulePath.isEmpty()) {
                command.add("--add-modules");
                command.add("ALL-MODULE-PATH");
            }
            command.add(mainClass.getName());
        }
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The child's process id.
     *
     * @return the pid
     */
    public int pid() {
        return pid;
    }

    /**
     * The parent's end of the socketpair; the caller owns it from now on.
     *
     * @return the fd, e.g. for {@link EventLoop#connect(int, InterfaceType)}
     * @throws IllegalStateException if it was already taken
     */
    public synchronized int takeSocket() {
        if (closed) throw new ClosedException("process " + pid + " is closed");
        if (socket < 0) throw new IllegalStateException("socket already taken");
        int fd = socket;
        socket = -1;
        return fd;
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return its exit code (128 + signal if killed)
     * @throws TimeoutException if it is still running after the timeout
     * @throws InterruptedException if this thread is interrupted while waiting
     */
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

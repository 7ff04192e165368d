package dev.mpjava;

import dev.mpjava.internal.NativeApi;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises a peer of another interface: it answers any call, {@code construct} first,
 * with Cap'n Proto's "Requested interface not implemented", naming its own. With
 * {@link ConnectOptions#withInterfaceCheck()} connect waits for construct's answer, as
 * upstream's client does before its first call.
 */
final class ConstructCheck {
    private static final int OK = NativeApi.STATUS_OK();
    private static final int DISCONNECTED = NativeApi.STATUS_DISCONNECTED();
    private static final int UNIMPLEMENTED = NativeApi.STATUS_UNIMPLEMENTED();
    private static final String NOT_THIS_INTERFACE = "Requested interface not implemented";
    // Cap'n Proto names the serving interface by its display name, "file.capnp:Name".
    private static final Pattern SERVED = Pattern.compile("[iI]nterfaceName = ([^;]+)");
    private static final long SLICE_MILLIS = 20;  // how often a wait without deadline looks at the handle

    private ConstructCheck() {}

    /** Returns once construct succeeded; on the loop thread it cannot wait and returns at once. */
    static void await(EventLoop loop, InterfaceType type, NativeHandle handle, CompletableFuture<Integer> answered,
            Duration timeout) {
        if (NativeApi.loop_on_thread(loop.idForOwned())) return;
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        int status;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DeadlineExceededException("connect " + type.name() + ": the peer did not answer construct within "
                        + timeout.toMillis() + " ms");
            }
            try {
                status = answered.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)), TimeUnit.NANOSECONDS);
                break;
            } catch (TimeoutException e) {
                if (!handle.isOpen()) throw handle.closedException();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("connect " + type.name() + " interrupted while waiting for construct");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());  // never: the future only completes normally
            }
        }
        if (status == OK) return;
        String failure;
        try {
            failure = NativeApi.client_construct_failure(handle.get());
        } catch (RuntimeException e) {
            throw handle.translate(e);
        }
        if (status == DISCONNECTED) throw new DisconnectedException(failure);
        if (status == UNIMPLEMENTED) throw unimplemented(type.name(), failure);
        throw new IpcException("connect " + type.name() + ": construct failed: " + failure);
    }

    /** A peer's UNIMPLEMENTED answer: an InterfaceMismatchException if it serves another interface. */
    static RemoteException unimplemented(String expected, String description) {
        if (!description.contains(NOT_THIS_INTERFACE)) return new RemoteException(RemoteException.Type.UNIMPLEMENTED, description);
        return new InterfaceMismatchException(expected, served(description), description);
    }

    /** The short name of the interface the answer names, or null. */
    static String served(String failure) {
        Matcher m = SERVED.matcher(failure);
        if (!m.find()) return null;
        String name = m.group(1).trim();
        return name.substring(name.lastIndexOf(':') + 1);
    }
}

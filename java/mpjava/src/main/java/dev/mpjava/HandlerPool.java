package dev.mpjava;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded handler pool of {@link ListenOptions#withHandlerThreads}: a fixed most of
 * threads, started as calls come and ended after a while idle (an idle listener holds
 * none), a bounded queue, rejection beyond it. Its loop shuts it down when it closes;
 * handlers still running then finish, and their answers are dropped.
 */
final class HandlerPool implements Executor, EventLoop.Owned {
    private static final long IDLE_SECONDS = 30;
    private final ThreadPoolExecutor pool;

    HandlerPool(String loopName, int threads, int queue) {
        AtomicInteger next = new AtomicInteger();
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, waiting, r -> {
            Thread t = new Thread(r, "mpjava-handler-" + loopName + "-" + next.incrementAndGet());
            t.setDaemon(true);  // never keeps the JVM alive
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);  // RejectedExecutionException when full or shut down
    }

    @Override
    public void ownerClosed(String why) {
        pool.shutdown();
    }
}

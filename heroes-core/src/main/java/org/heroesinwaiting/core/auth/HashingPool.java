package org.heroesinwaiting.core.auth;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.core.InterruptedOperationException;

/**
 * A few threads for password hashing with a bounded queue: at most {@code threads} hashes run at
 * once (one core stays free for everything else), at most {@code queueCapacity} wait, and the rest
 * are refused at once with {@link HashingOverloadedException}, never queued without end.
 *
 * <pre>{@code
 * HashingPool pool = HashingPool.forThisMachine(64);
 * PasswordCheck check = pool.run(() -> hasher.verify(typed, stored));
 * }</pre>
 */
public final class HashingPool implements AutoCloseable {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final ThreadPoolExecutor executor;

    /**
     * @param threads hashes run at once (at least 1)
     * @param queueCapacity hashes that may wait (at least 1)
     */
    public HashingPool(int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("threads and queueCapacity must be at least 1");
        }
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread thread = new Thread(runnable, "heroes-password-hashing");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * @param queueCapacity hashes that may wait
     * @return a pool of max(1, cores - 1) threads
     */
    public static HashingPool forThisMachine(int queueCapacity) {
        return new HashingPool(Math.max(1, Runtime.getRuntime().availableProcessors() - 1), queueCapacity);
    }

    /**
     * Runs the work on the pool and waits for it.
     *
     * @param work a hash or a verification
     * @param <T> its result
     * @return its result
     * @throws HashingOverloadedException when the queue is full
     */
    public <T> T run(Callable<T> work) {
        Future<T> future;
        try {
            future = executor.submit(work);
        } catch (RejectedExecutionException e) {
            throw new HashingOverloadedException(RETRY_AFTER);
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedOperationException("hashing a password", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            // the work passed in throws nothing checked; a Callable that did is a programming error
            throw new IllegalStateException("password hashing failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** @return how many hashes wait now */
    public int queued() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

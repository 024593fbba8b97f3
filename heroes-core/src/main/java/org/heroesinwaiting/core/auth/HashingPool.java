package org.heroesinwaiting.core.auth;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.heroesinwaiting.core.InterruptedOperationException;

/**
 * A few threads for password hashing with a bounded queue and a CPU budget: at most {@code threads}
 * hashes run at once, each thread hashes at most {@code busyShare} of its time (after a hash that
 * took t it rests t x (1 / busyShare - 1) before the next), at most {@code queueCapacity} wait, and
 * the rest are refused at once with {@link HashingOverloadedException}, never queued without end.
 * So a flood of logins takes at most threads x busyShare cores, whatever its size, and the requests
 * that are not logins keep the rest.
 *
 * <pre>{@code
 * HashingPool pool = HashingPool.forThisMachine(64);
 * PasswordCheck check = pool.run(() -> hasher.verify(typed, stored));
 * }</pre>
 */
public final class HashingPool implements AutoCloseable {

    /**
     * The share of the machine's cores that hashing may take, all threads together. Measured with
     * heroes-bench's AuthBench on 2 cores: with one thread hashing all the time (half the machine),
     * a flood of logins raised the p99 of the other requests to 1.9x of it alone (1.3x to 2.5x in
     * five runs); with a quarter, 1.2x (1.1x to 1.4x); both against a server still compiling, which
     * heroes-bench/README.md corrects.
     */
    public static final double DEFAULT_MACHINE_SHARE = 0.25;

    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final ThreadPoolExecutor executor;

    /**
     * @param threads hashes run at once (at least 1)
     * @param queueCapacity hashes that may wait (at least 1)
     */
    public HashingPool(int threads, int queueCapacity) {
        this(threads, queueCapacity, 1.0);
    }

    /**
     * @param threads hashes run at once (at least 1)
     * @param queueCapacity hashes that may wait (at least 1)
     * @param busyShare the share of its time each thread may spend hashing, above 0 and at most 1
     */
    public HashingPool(int threads, int queueCapacity, double busyShare) {
        this(threads, queueCapacity, busyShare, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /** With the clock that times a hash and the rest after it given, for tests. */
    HashingPool(int threads, int queueCapacity, double busyShare, LongSupplier nanoTime, Rest rest) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("threads and queueCapacity must be at least 1");
        }
        requireBusyShare(busyShare);
        ThreadLocal<long[]> started = ThreadLocal.withInitial(() -> new long[1]);
        double restPerBusy = 1 / busyShare - 1;
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread thread = new Thread(runnable, "heroes-password-hashing");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy()) {
            @Override
            protected void beforeExecute(Thread thread, Runnable task) {
                started.get()[0] = nanoTime.getAsLong();
            }

            // the caller already has its answer: the thread rests before it takes the next hash
            @Override
            protected void afterExecute(Runnable task, Throwable failure) {
                long nanos = (long) ((nanoTime.getAsLong() - started.get()[0]) * restPerBusy);
                if (nanos > 0) {
                    try {
                        rest.rest(nanos);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // closing: the pool is shutting down
                    }
                }
            }
        };
    }

    /**
     * @param busyShare a share of a thread's time
     * @return it, when above 0 and at most 1
     * @throws IllegalArgumentException otherwise (NaN included)
     */
    public static double requireBusyShare(double busyShare) {
        if (!(busyShare > 0 && busyShare <= 1)) {
            throw new IllegalArgumentException("a hashing thread's busy share must be above 0 and at most 1, not " + busyShare);
        }
        return busyShare;
    }

    /** How a thread rests after a hash. */
    @FunctionalInterface
    interface Rest {
        void rest(long nanos) throws InterruptedException;
    }

    /**
     * @param queueCapacity hashes that may wait
     * @return a pool that takes at most {@link #DEFAULT_MACHINE_SHARE} of this machine's cores
     *     ({@link #threadsFor} and {@link #busyShareFor} its cores)
     */
    public static HashingPool forThisMachine(int queueCapacity) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new HashingPool(threadsFor(cores), queueCapacity, busyShareFor(cores));
    }

    /**
     * @param cores the machine's cores
     * @return hashing threads for it: a quarter of its cores, at least 1
     */
    public static int threadsFor(int cores) {
        return Math.max(1, (int) Math.floor(cores * DEFAULT_MACHINE_SHARE));
    }

    /**
     * @param cores the machine's cores
     * @return the share of its time each of {@link #threadsFor}'s threads may hash, so that together
     *     they take a quarter of the cores (one thread on 2 cores: half its time)
     */
    public static double busyShareFor(int cores) {
        return Math.min(1.0, cores * DEFAULT_MACHINE_SHARE / threadsFor(cores));
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

    /**
     * Refuses at once when no hash could wait now. A caller with work to do before its hash (a
     * login reads the throttle and the account) asks first, so that a refused login costs its
     * answer and nothing more: a client that ignores {@code Retry-After} sends it again at once.
     * A hash admitted here may still be refused by {@link #run}, when others took the places meanwhile.
     *
     * @throws HashingOverloadedException when the queue is full
     */
    public void admit() {
        if (executor.getQueue().remainingCapacity() == 0) {
            throw new HashingOverloadedException(RETRY_AFTER);
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

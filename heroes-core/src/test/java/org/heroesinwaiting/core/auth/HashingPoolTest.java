package org.heroesinwaiting.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The hashing pool's budget: how much of the machine it takes by default, the rest a thread takes
 * after a hash (told by a hand-driven clock, so nothing here is timed), and the bounded queue.
 */
class HashingPoolTest {

    @Test
    void byDefaultHashingTakesAQuarterOfTheCores() {
        assertThat(HashingPool.threadsFor(1)).isEqualTo(1);
        assertThat(HashingPool.busyShareFor(1)).isEqualTo(0.25);
        assertThat(HashingPool.threadsFor(2)).isEqualTo(1);
        assertThat(HashingPool.busyShareFor(2)).as("one thread, half its time, on 2 cores").isEqualTo(0.5);
        assertThat(HashingPool.threadsFor(4)).isEqualTo(1);
        assertThat(HashingPool.busyShareFor(4)).isEqualTo(1.0);
        assertThat(HashingPool.threadsFor(6)).isEqualTo(1);
        assertThat(HashingPool.busyShareFor(6)).as("never more than all of a thread's time").isEqualTo(1.0);
        assertThat(HashingPool.threadsFor(16)).isEqualTo(4);
        assertThat(HashingPool.busyShareFor(16)).isEqualTo(1.0);
    }

    @Test
    void afterAHashTheThreadRestsSoThatItHashesItsShareOfTheTime() throws Exception {
        assertThat(restsAfter(40_000_000L, 0.5)).as("half its time: as long as the hash").containsExactly(40_000_000L);
        assertThat(restsAfter(40_000_000L, 0.25)).as("a quarter: three times the hash").containsExactly(120_000_000L);
        assertThat(restsAfter(40_000_000L, 1.0)).as("all its time: no rest").isEmpty();
    }

    /** One hash on a pool whose clock says it took {@code took}; the rests its thread asked for. */
    private static List<Long> restsAfter(long took, double busyShare) throws Exception {
        AtomicLong now = new AtomicLong(1_000L);
        List<Long> rests = new CopyOnWriteArrayList<>();
        CountDownLatch rested = new CountDownLatch(1);
        try (HashingPool pool = new HashingPool(1, 1, busyShare, now::get, nanos -> {
            rests.add(nanos);
            rested.countDown();
        })) {
            assertThat(pool.run(() -> now.addAndGet(took))).isEqualTo(1_000L + took);
            // the answer came first; the rest follows on the pool's thread (or not at all)
            pool.run(() -> "the thread is free again");
            if (busyShare < 1) {
                assertThat(rested.await(1, TimeUnit.MINUTES)).isTrue();
            }
        }
        return rests;
    }

    @Test
    void theCallerHasItsAnswerBeforeTheThreadRests() throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch resting = new CountDownLatch(1);
        try (HashingPool pool = new HashingPool(1, 1, 0.5, System::nanoTime, nanos -> {
            resting.countDown();
            assertThat(answered.await(1, TimeUnit.MINUTES)).isTrue();
        })) {
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<String> answer = caller.submit(() -> pool.run(() -> "checked"));
                assertThat(answer.get(1, TimeUnit.MINUTES)).isEqualTo("checked");
                answered.countDown();
                assertThat(resting.await(1, TimeUnit.MINUTES)).isTrue();
            } finally {
                caller.shutdownNow();
            }
        }
    }

    @Test
    void pastTheQueueALoginIsRefusedAtOnceWithWhenToRetry() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (HashingPool pool = new HashingPool(1, 1, 1.0)) {
            callers.submit(() -> pool.run(() -> {
                running.countDown();
                return release.await(1, TimeUnit.MINUTES);
            }));
            assertThat(running.await(1, TimeUnit.MINUTES)).isTrue();
            pool.admit(); // a place left to wait in: admitted
            Future<String> waiting = callers.submit(() -> pool.run(() -> "waited"));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (pool.queued() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(pool.queued()).as("the second waits").isEqualTo(1);
            assertThatThrownBy(pool::admit).as("asked before any other work").isInstanceOf(HashingOverloadedException.class);
            assertThatThrownBy(() -> pool.run(() -> "refused")).isInstanceOf(HashingOverloadedException.class)
                    .satisfies(e -> assertThat(((HashingOverloadedException) e).retryAfter()).isPositive());
            release.countDown();
            assertThat(waiting.get(1, TimeUnit.MINUTES)).isEqualTo("waited");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aBusyShareOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new HashingPool(1, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busy share");
        assertThatThrownBy(() -> new HashingPool(1, 1, 1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busy share");
        assertThatThrownBy(() -> new HashingPool(1, 1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}

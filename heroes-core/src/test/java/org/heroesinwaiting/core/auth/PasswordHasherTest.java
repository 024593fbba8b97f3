package org.heroesinwaiting.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private static final PasswordHasher HASHER = PasswordHasher.standard();

    @Test
    void aHashIsAnArgon2idPhcStringWithOwaspParametersAndAFreshSalt() {
        String first = HASHER.hash("correct horse battery staple");
        String second = HASHER.hash("correct horse battery staple");

        assertThat(first).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void theRightPasswordMatchesAndAWrongOneDoesNot() {
        String stored = HASHER.hash("correct horse battery staple");

        assertThat(HASHER.verify("correct horse battery staple", stored)).isEqualTo(new PasswordCheck(true, false));
        assertThat(HASHER.verify("correct horse battery stapler", stored).matches()).isFalse();
        assertThat(HASHER.verifyAgainstNothing("correct horse battery staple").matches()).isFalse();
    }

    @Test
    void aHashMadeWithOlderParametersMatchesAndAsksToBeRehashed() {
        String weaker = new PasswordHasher(4096, 1, 1).hash("correct horse battery staple");

        assertThat(HASHER.verify("correct horse battery staple", weaker)).isEqualTo(new PasswordCheck(true, true));
        assertThat(HASHER.verify("wrong password here", weaker)).isEqualTo(new PasswordCheck(false, false));
    }

    @Test
    void somethingThatIsNoArgon2HashMatchesNothing() {
        assertThat(HASHER.verify("x", "$2a$10$notargon").matches()).isFalse();
        assertThat(HASHER.verify("x", "plain text").matches()).isFalse();
    }

    @Test
    void hashesInterchangeWithAnIndependentImplementation() {
        Argon2Function password4j = Argon2Function.getInstance(PasswordHasher.MEMORY_KIB, PasswordHasher.ITERATIONS,
                PasswordHasher.PARALLELISM, 32, Argon2.ID, 19);
        String written = password4j.hash("correct horse battery staple").getResult();
        String ours = HASHER.hash("pässwörd with ünïcode ✓ and length");

        assertThat(HASHER.verify("correct horse battery staple", written)).isEqualTo(new PasswordCheck(true, false));
        assertThat(HASHER.verify("correct horse battery stapl", written).matches()).isFalse();
        assertThat(password4j.check("pässwörd with ünïcode ✓ and length", ours)).isTrue();
        assertThat(password4j.check("passwörd with ünïcode ✓ and length", ours)).isFalse();
    }

    @Test
    void aStoredStringOutsideTheFormatOrItsBoundsMatchesNothingAndCostsNothing() {
        String good = HASHER.hash("correct horse battery staple");
        String tail = good.substring(good.indexOf("$", "$argon2id$v=19$m=".length()));

        for (String stored : new String[] {
            good.replace("$argon2id$", "$argon2i$"),
            good.replace("$v=19$", "$v=16$"),
            "$argon2id$v=19$m=99999999,t=2,p=1" + tail, // 95 GiB asked for
            "$argon2id$v=19$m=19456,t=0,p=1" + tail,
            "$argon2id$v=19$m=19456,t=2,p=0" + tail,
            "$argon2id$v=19$m=7,t=2,p=1" + tail,
            good.substring(0, good.length() - 1) + "=",
            good + "$extra",
        }) {
            assertThat(HASHER.verify("correct horse battery staple", stored)).as(stored).isEqualTo(new PasswordCheck(false, true));
        }
        assertThat(HASHER.verify("correct horse battery staple", good).matches()).as("the control").isTrue();
    }

    @Test
    void impossibleParametersAreRefusedAtConstruction() {
        assertThatThrownBy(() -> new PasswordHasher(4, 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m=4");
        assertThatThrownBy(() -> new PasswordHasher(4096, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher(4096, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFullHashingQueueRefusesAtOnceInsteadOfWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        List<Thread> waiting = new ArrayList<>();
        try (HashingPool pool = new HashingPool(1, 1)) {
            Thread busy = new Thread(() -> pool.run(() -> {
                running.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }));
            busy.start();
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            Thread queued = new Thread(() -> pool.run(() -> true));
            queued.start();
            waiting.add(busy);
            waiting.add(queued);
            while (pool.queued() < 1) {
                Thread.onSpinWait();
            }

            assertThatThrownBy(() -> pool.run(() -> true))
                    .isInstanceOf(HashingOverloadedException.class)
                    .satisfies(e -> assertThat(((HashingOverloadedException) e).retryAfter()).isPositive());
            release.countDown();
            for (Thread thread : waiting) {
                thread.join(30_000);
            }
            assertThat(pool.run(() -> "free again")).isEqualTo("free again");
        }
    }
}

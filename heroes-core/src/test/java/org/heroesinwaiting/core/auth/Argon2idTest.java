package org.heroesinwaiting.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class Argon2idTest {

    private static final Runnable NO_PAUSE = () -> { };

    @Test
    void theTestVectorOfRfc9106Matches() {
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] associated = filled(12, 0x04);

        byte[] tag = Argon2id.derive(password, salt, secret, associated, 32, 3, 4, 32, NO_PAUSE);

        assertThat(HexFormat.of().formatHex(tag)).isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void everyShapeOfParametersGivesBouncyCastlesTag() {
        Random random = new Random(19);
        for (int memoryKib : new int[] {8, 33, 64, 100, 1030}) {
            for (int iterations : new int[] {1, 2, 3}) {
                for (int lanes : new int[] {1, 2, 3, 4}) {
                    if (memoryKib < 8 * lanes) {
                        continue;
                    }
                    for (int length : new int[] {4, 32, 64, 65, 100, 129}) {
                        byte[] password = bytes(random, random.nextInt(40));
                        byte[] salt = bytes(random, 8 + random.nextInt(24));
                        byte[] secret = bytes(random, random.nextInt(3) * 8);
                        byte[] associated = bytes(random, random.nextInt(3) * 5);
                        String shape = "m=" + memoryKib + ", t=" + iterations + ", p=" + lanes + ", T=" + length;

                        assertThat(Argon2id.derive(password, salt, secret, associated, memoryKib, iterations, lanes, length, NO_PAUSE))
                                .as(shape).isEqualTo(bouncyCastle(password, salt, secret, associated, memoryKib, iterations, lanes, length));
                    }
                }
            }
        }
    }

    @Test
    void aHashGivesWayEvery64BlocksItFillsAndWhileItWipesItsMemory() {
        AtomicInteger pauses = new AtomicInteger();
        int memoryKib = 4096;
        int iterations = 2;

        Argon2id.derive(bytes(new Random(1), 16), bytes(new Random(2), 16), new byte[0], new byte[0], memoryKib, iterations, 1, 32,
                pauses::incrementAndGet);

        int filled = memoryKib * iterations - 2; // the first two blocks come from H'
        int wipes = memoryKib / (Argon2id.BLOCKS_PER_PAUSE * 16);
        assertThat(pauses.get()).isEqualTo(filled / Argon2id.BLOCKS_PER_PAUSE + wipes);
    }

    @Test
    void impossibleParametersAreRefused() {
        byte[] none = new byte[0];
        assertThatThrownBy(() -> Argon2id.derive(none, none, none, none, 7, 1, 1, 32, NO_PAUSE)).hasMessageContaining("m=7");
        assertThatThrownBy(() -> Argon2id.derive(none, none, none, none, 16, 1, 3, 32, NO_PAUSE)).hasMessageContaining("p=3");
        assertThatThrownBy(() -> Argon2id.derive(none, none, none, none, 64, 0, 1, 32, NO_PAUSE)).hasMessageContaining("t=0");
        assertThatThrownBy(() -> Argon2id.derive(none, none, none, none, 64, 1, 1, 3, NO_PAUSE)).hasMessageContaining("T=3");
        assertThatThrownBy(() -> Argon2id.derive(none, none, none, none, 1 << 24, 1, 1, 32, NO_PAUSE)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bouncyCastle(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib, int iterations,
            int lanes, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(lanes).withSalt(salt).withSecret(secret)
                .withAdditional(associated).build());
        byte[] out = new byte[length];
        generator.generateBytes(password.clone(), out);
        return out;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}

package org.heroesinwaiting.core.auth;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2id, version 0x13 (RFC 9106), computed on the calling thread over one flat array of 64-bit
 * words, that gives way to other threads as it goes: it calls {@code pause} (the server:
 * {@link Thread#yield}) after every {@value #BLOCKS_PER_PAUSE} blocks it fills, about every 40
 * microseconds here, so that on a busy machine a thread that wakes waits about that long at most
 * for a core a hash holds. Without it, Linux's scheduler lets a running hash keep its core for its
 * slice, whatever its nice value, and a request wakes several threads: during a flood of logins the
 * p99 of the other requests was 2.0x their p99 alone, and 1.5x with it (heroes-bench's
 * {@code AuthBench}, medians of five runs).
 *
 * <p>Lanes are filled one after another (RFC 9106 allows any order within a slice), so a hash
 * with p lanes takes p times one lane's time on one thread. The memory is wiped before it is let
 * go. Blake2b is Bouncy Castle's.
 */
final class Argon2id {

    /** Blocks filled between two calls of the pause: a block takes about half a microsecond here. */
    static final int BLOCKS_PER_PAUSE = 64;

    private static final int VERSION = 0x13;
    private static final int TYPE = 2; // Argon2id
    private static final int WORDS = 128; // 64-bit words in a 1 KiB block
    private static final int SYNC_POINTS = 4;
    private static final long LOW = 0xFFFFFFFFL;
    /** The most memory one Java array of words holds: 16 GiB. */
    private static final int MAX_MEMORY_KIB = Integer.MAX_VALUE / WORDS;

    private final long[] memory;
    private final int lanes;
    private final int laneLength;
    private final int segmentLength;
    private final int iterations;
    private final Runnable pause;
    private final long[] scratch = new long[WORDS];
    private final long[] saved = new long[WORDS];
    private final long[] addresses = new long[WORDS];
    private final long[] addressInput = new long[WORDS];
    private int sincePause;

    private Argon2id(int memoryKib, int iterations, int lanes, Runnable pause) {
        this.segmentLength = memoryKib / (SYNC_POINTS * lanes);
        this.laneLength = segmentLength * SYNC_POINTS;
        this.lanes = lanes;
        this.iterations = iterations;
        this.pause = pause;
        this.memory = new long[laneLength * lanes * WORDS];
    }

    /**
     * @param password P
     * @param salt S
     * @param secret K (may be empty)
     * @param associated X (may be empty)
     * @param memoryKib m, at least 8 per lane and at most 16 GiB
     * @param iterations t, at least 1
     * @param lanes p, at least 1
     * @param length the tag's length T in bytes, at least 4
     * @param pause called every {@value #BLOCKS_PER_PAUSE} blocks
     * @return the tag
     */
    static byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib, int iterations, int lanes,
            int length, Runnable pause) {
        if (lanes < 1 || iterations < 1 || memoryKib < 8 * lanes || memoryKib > MAX_MEMORY_KIB || length < 4) {
            throw new IllegalArgumentException("Argon2id needs p >= 1, t >= 1, m >= 8p and T >= 4; got m=" + memoryKib + ", t="
                    + iterations + ", p=" + lanes + ", T=" + length);
        }
        Argon2id argon = new Argon2id(memoryKib, iterations, lanes, pause);
        try {
            return argon.run(initialHash(password, salt, secret, associated, memoryKib, iterations, lanes, length), length);
        } finally {
            argon.wipe();
        }
    }

    private byte[] run(byte[] h0, int length) {
        byte[] seed = Arrays.copyOf(h0, h0.length + 8);
        byte[] block = new byte[WORDS * 8];
        for (int lane = 0; lane < lanes; lane++) {
            for (int column = 0; column < 2; column++) {
                putInt(seed, 64, column);
                putInt(seed, 68, lane);
                variableHash(seed, block);
                int offset = (lane * laneLength + column) * WORDS;
                for (int word = 0; word < WORDS; word++) {
                    memory[offset + word] = getLong(block, word * 8);
                }
            }
        }
        Arrays.fill(seed, (byte) 0);
        for (int pass = 0; pass < iterations; pass++) {
            for (int slice = 0; slice < SYNC_POINTS; slice++) {
                for (int lane = 0; lane < lanes; lane++) {
                    fillSegment(pass, slice, lane);
                }
            }
        }
        long[] last = new long[WORDS];
        for (int lane = 0; lane < lanes; lane++) {
            int offset = (lane * laneLength + laneLength - 1) * WORDS;
            for (int word = 0; word < WORDS; word++) {
                last[word] ^= memory[offset + word];
            }
        }
        for (int word = 0; word < WORDS; word++) {
            putLong(block, word * 8, last[word]);
        }
        byte[] tag = new byte[length];
        variableHash(block, tag);
        Arrays.fill(block, (byte) 0);
        Arrays.fill(last, 0);
        return tag;
    }

    private void fillSegment(int pass, int slice, int lane) {
        boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
        int start = pass == 0 && slice == 0 ? 2 : 0;
        if (independent) {
            Arrays.fill(addressInput, 0);
            addressInput[0] = pass;
            addressInput[1] = lane;
            addressInput[2] = slice;
            addressInput[3] = (long) laneLength * lanes;
            addressInput[4] = iterations;
            addressInput[5] = TYPE;
            if (start != 0) {
                nextAddresses();
            }
        }
        int current = lane * laneLength + slice * segmentLength + start;
        for (int index = start; index < segmentLength; index++, current++) {
            int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
            long random;
            if (independent) {
                if (index % WORDS == 0) {
                    nextAddresses();
                }
                random = addresses[index % WORDS];
            } else {
                random = memory[previous * WORDS];
            }
            int refLane = pass == 0 && slice == 0 ? lane : (int) ((random >>> 32) % lanes);
            int refIndex = referenceIndex(pass, slice, index, random & LOW, refLane == lane);
            fillBlock(previous * WORDS, (refLane * laneLength + refIndex) * WORDS, current * WORDS, pass > 0);
            if (++sincePause == BLOCKS_PER_PAUSE) {
                sincePause = 0;
                pause.run();
            }
        }
    }

    /** The column of the block referred to, within its lane (RFC 9106, section 3.4.2). */
    private int referenceIndex(int pass, int slice, int index, long j1, boolean sameLane) {
        long area;
        if (pass == 0) {
            if (slice == 0) {
                area = index - 1;
            } else if (sameLane) {
                area = (long) slice * segmentLength + index - 1;
            } else {
                area = (long) slice * segmentLength + (index == 0 ? -1 : 0);
            }
        } else if (sameLane) {
            area = laneLength - segmentLength + index - 1;
        } else {
            area = laneLength - segmentLength + (index == 0 ? -1 : 0);
        }
        long x = (j1 * j1) >>> 32;
        long relative = area - 1 - ((area * x) >>> 32);
        long startPosition = pass == 0 || slice == SYNC_POINTS - 1 ? 0 : (long) (slice + 1) * segmentLength;
        return (int) ((startPosition + relative) % laneLength);
    }

    /** The next block of pseudo-random addresses: G(0, G(0, input)), the input's counter first raised. */
    private void nextAddresses() {
        addressInput[6]++;
        compressWithZero(addressInput, addresses);
        compressWithZero(addresses, addresses);
    }

    /** out = G(0, in) = P(in) xor in; {@code out} may be {@code in}. */
    private void compressWithZero(long[] in, long[] out) {
        System.arraycopy(in, 0, scratch, 0, WORDS);
        permute(scratch);
        for (int word = 0; word < WORDS; word++) {
            out[word] = scratch[word] ^ in[word];
        }
    }

    private void fillBlock(int previous, int reference, int next, boolean xorOld) {
        for (int word = 0; word < WORDS; word++) {
            scratch[word] = memory[previous + word] ^ memory[reference + word];
        }
        System.arraycopy(scratch, 0, saved, 0, WORDS);
        if (xorOld) {
            for (int word = 0; word < WORDS; word++) {
                saved[word] ^= memory[next + word];
            }
        }
        permute(scratch);
        for (int word = 0; word < WORDS; word++) {
            memory[next + word] = saved[word] ^ scratch[word];
        }
    }

    /** P applied to each row of 16 words, then to each column of pairs (RFC 9106, section 3.5). */
    private static void permute(long[] v) {
        for (int row = 0; row < 8; row++) {
            int i = row * 16;
            round(v, i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7, i + 8, i + 9, i + 10, i + 11, i + 12, i + 13, i + 14, i + 15);
        }
        for (int column = 0; column < 8; column++) {
            int i = column * 2;
            round(v, i, i + 1, i + 16, i + 17, i + 32, i + 33, i + 48, i + 49, i + 64, i + 65, i + 80, i + 81, i + 96, i + 97, i + 112, i + 113);
        }
    }

    private static void round(long[] v, int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7, int v8, int v9, int v10,
            int v11, int v12, int v13, int v14, int v15) {
        mix(v, v0, v4, v8, v12);
        mix(v, v1, v5, v9, v13);
        mix(v, v2, v6, v10, v14);
        mix(v, v3, v7, v11, v15);
        mix(v, v0, v5, v10, v15);
        mix(v, v1, v6, v11, v12);
        mix(v, v2, v7, v8, v13);
        mix(v, v3, v4, v9, v14);
    }

    /** GB: Blake2b's G with each addition a + b replaced by a + b + 2 * lo(a) * lo(b). */
    private static void mix(long[] v, int a, int b, int c, int d) {
        long va = v[a];
        long vb = v[b];
        long vc = v[c];
        long vd = v[d];
        va = va + vb + 2 * (va & LOW) * (vb & LOW);
        vd = Long.rotateRight(vd ^ va, 32);
        vc = vc + vd + 2 * (vc & LOW) * (vd & LOW);
        vb = Long.rotateRight(vb ^ vc, 24);
        va = va + vb + 2 * (va & LOW) * (vb & LOW);
        vd = Long.rotateRight(vd ^ va, 16);
        vc = vc + vd + 2 * (vc & LOW) * (vd & LOW);
        vb = Long.rotateRight(vb ^ vc, 63);
        v[a] = va;
        v[b] = vb;
        v[c] = vc;
        v[d] = vd;
    }

    /** H0 (RFC 9106, section 3.2, step 1), with room after it for the two words of each lane's first blocks. */
    private static byte[] initialHash(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib, int iterations,
            int lanes, int length) {
        Blake2bDigest blake = new Blake2bDigest(512);
        for (int value : new int[] {lanes, length, memoryKib, iterations, VERSION, TYPE}) {
            updateInt(blake, value);
        }
        for (byte[] field : new byte[][] {password, salt, secret, associated}) {
            updateInt(blake, field.length);
            blake.update(field, 0, field.length);
        }
        byte[] h0 = new byte[64];
        blake.doFinal(h0, 0);
        return h0;
    }

    /** H' (RFC 9106, section 3.3): Blake2b stretched to {@code out}'s length. */
    private static void variableHash(byte[] input, byte[] out) {
        if (out.length <= 64) {
            Blake2bDigest blake = new Blake2bDigest(out.length * 8);
            updateInt(blake, out.length);
            blake.update(input, 0, input.length);
            blake.doFinal(out, 0);
            return;
        }
        byte[] v = new byte[64];
        Blake2bDigest blake = new Blake2bDigest(512);
        updateInt(blake, out.length);
        blake.update(input, 0, input.length);
        blake.doFinal(v, 0);
        int written = 0;
        int full = (out.length + 31) / 32 - 2;
        for (int i = 0; i < full; i++) {
            System.arraycopy(v, 0, out, written, 32);
            written += 32;
            if (i < full - 1) {
                blake.update(v, 0, 64);
                blake.doFinal(v, 0);
            }
        }
        Blake2bDigest last = new Blake2bDigest((out.length - written) * 8);
        last.update(v, 0, 64);
        byte[] tail = new byte[out.length - written];
        last.doFinal(tail, 0);
        System.arraycopy(tail, 0, out, written, tail.length);
        Arrays.fill(v, (byte) 0);
    }

    private void wipe() {
        int chunk = WORDS * BLOCKS_PER_PAUSE * 16; // 1 MiB: zeroed in about the time 64 blocks are filled (profiled)
        for (int from = 0; from < memory.length; from += chunk) {
            Arrays.fill(memory, from, Math.min(memory.length, from + chunk), 0);
            pause.run();
        }
        Arrays.fill(scratch, 0);
        Arrays.fill(saved, 0);
        Arrays.fill(addresses, 0);
        Arrays.fill(addressInput, 0);
    }

    private static void updateInt(Blake2bDigest blake, int value) {
        byte[] le = new byte[4];
        putInt(le, 0, value);
        blake.update(le, 0, 4);
    }

    private static void putInt(byte[] bytes, int at, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private static void putLong(byte[] bytes, int at, long value) {
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private static long getLong(byte[] bytes, int at) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[at + i] & 0xFF);
        }
        return value;
    }
}

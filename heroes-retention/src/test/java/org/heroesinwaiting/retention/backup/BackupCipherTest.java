package org.heroesinwaiting.retention.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The backup encryption's format: round trips, rotation, and every way a file or key can be wrong. */
class BackupCipherTest {

    private static final int CHUNK = BackupCipher.CHUNK;

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return key;
    }

    private static BackupKeyring keyring(Object... idsAndSeeds) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < idsAndSeeds.length; i += 2) {
            keys.put((String) idsAndSeeds[i], key((Integer) idsAndSeeds[i + 1]));
        }
        return BackupKeyring.of(keys);
    }

    private static byte[] encrypt(byte[] plain, BackupKeyring keys) throws IOException {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        try (OutputStream out = BackupCipher.encrypt(sealed, keys)) {
            // written in uneven pieces, as a pipe delivers them
            for (int offset = 0; offset < plain.length; offset += 70_001) {
                out.write(plain, offset, Math.min(70_001, plain.length - offset));
            }
        }
        return sealed.toByteArray();
    }

    private static byte[] decrypt(byte[] sealed, BackupKeyring keys) throws IOException {
        try (InputStream in = BackupCipher.decrypt(new ByteArrayInputStream(sealed), keys)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5})
    void whatIsEncryptedDecryptsToTheSameBytes(int size) throws IOException {
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        BackupKeyring keys = keyring("2027-q1", 1);

        byte[] sealed = encrypt(plain, keys);

        assertThat(decrypt(sealed, keys)).isEqualTo(plain);
        assertThat(BackupCipher.keyId(new ByteArrayInputStream(sealed))).isEqualTo("2027-q1");
        assertThat(sealed.length).as("header, and a length and a tag per chunk").isEqualTo(8 + 1 + 7 + 12 + plain.length
                + Math.max(1, (size + CHUNK - 1) / CHUNK) * (4 + 16));
        if (size > 64) {
            assertThat(indexOf(sealed, Arrays.copyOfRange(plain, 0, 32))).as("no plaintext on disk").isNegative();
        }
    }

    @Test
    void aRotatedKeyringStillOpensOldBackupsAndEncryptsWithItsFirstKey() throws IOException {
        byte[] plain = "COPY public.classrooms".repeat(1000).getBytes();
        byte[] old = encrypt(plain, keyring("2026-q4", 4));
        BackupKeyring rotated = keyring("2027-q1", 1, "2026-q4", 4);

        assertThat(decrypt(old, rotated)).isEqualTo(plain);
        assertThat(BackupCipher.keyId(new ByteArrayInputStream(encrypt(plain, rotated)))).isEqualTo("2027-q1");
    }

    @Test
    void aWrongKeyAMissingKeyAFlippedByteAndACutFileAreRefusedSayingWhere() throws IOException {
        byte[] plain = new byte[3 * CHUNK + 10];
        new Random(7).nextBytes(plain);
        BackupKeyring keys = keyring("k1", 1);
        byte[] sealed = encrypt(plain, keys);
        int header = 8 + 1 + 2 + 12;

        assertThatThrownBy(() -> decrypt(sealed, keyring("k1", 2))).isInstanceOf(IOException.class)
                .hasMessageContaining("chunk 0 (bytes " + header + " to ").hasMessageContaining("a wrong key, or the file changed there");
        assertThatThrownBy(() -> decrypt(sealed, keyring("k2", 1))).isInstanceOf(BackupKeysException.class)
                .hasMessageContaining("encrypted with the key k1, which the keyring does not hold");

        byte[] flipped = sealed.clone();
        int inChunkTwo = header + 2 * (4 + CHUNK + 16) + 100;
        flipped[inChunkTwo] ^= 0x10;
        assertThatThrownBy(() -> decrypt(flipped, keys)).hasMessageContaining("chunk 2 (bytes " + (header + 2 * (4 + CHUNK + 16)));

        byte[] cut = Arrays.copyOf(sealed, header + 3 * (4 + CHUNK + 16));
        assertThatThrownBy(() -> decrypt(cut, keys)).hasMessageContaining("without its final chunk: the file was cut short");
        byte[] reordered = sealed.clone();
        System.arraycopy(sealed, header, reordered, header + (4 + CHUNK + 16), 4 + CHUNK + 16);
        assertThatThrownBy(() -> decrypt(reordered, keys)).hasMessageContaining("chunk 1");
        assertThatThrownBy(() -> decrypt("not a backup at all".getBytes(), keys)).hasMessageContaining("no HIWBAK1 header");
    }

    @Test
    void aKeyringFileIsTheRunningUsersAloneAndEachLineAKey(@TempDir Path folder) throws IOException {
        String good = Base64.getEncoder().encodeToString(key(1));
        Path file = Files.writeString(folder.resolve("keys"), "# first encrypts\n2027-q1 " + good + "\n\n2026-q4 "
                + Base64.getEncoder().encodeToString(key(4)) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        BackupKeyring keys = BackupKeyring.read(file);

        assertThat(keys.activeId()).isEqualTo("2027-q1");
        assertThat(keys.key("2026-q4")).hasValueSatisfying(key -> assertThat(key).isEqualTo(key(4)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> BackupKeyring.read(file)).hasMessageContaining("can be read or written by others").hasMessageContaining("chmod 600");
        for (String bad : new String[] {"k1 " + good.substring(4), "k1", "k 1 " + good, "k1 !!!notbase64", "k1 " + good + "\nk1 " + good, "# none"}) {
            Files.writeString(file, bad + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            assertThatThrownBy(() -> BackupKeyring.read(file)).as(bad).isInstanceOf(BackupKeysException.class);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

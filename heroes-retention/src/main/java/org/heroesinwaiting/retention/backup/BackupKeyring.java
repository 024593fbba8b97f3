package org.heroesinwaiting.retention.backup;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keys backups are encrypted with ({@code HEROES_BACKUP_KEYS}): a text file the running user
 * alone may read, one key a line, {@code <key id> <32 bytes in base64>}; {@code #} starts a comment.
 * The first key encrypts new backups; the others stay so that older backups still restore, which is
 * how keys rotate: put the new key first, keep the old ones below it.
 *
 * <pre>
 * # heroes backup keys: the first encrypts, all decrypt
 * 2027-q1 3q2+7w8Ax0bI1F7c9S...=
 * 2026-q4 kP0m1xYc4h2vQ8rZ...=
 * </pre>
 *
 * A key is made with {@code openssl rand -base64 32}.
 */
public final class BackupKeyring {

    private static final Pattern KEY_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final int KEY_BYTES = 32;

    private final Map<String, byte[]> keys;
    private final String active;

    private BackupKeyring(Map<String, byte[]> keys, String active) {
        this.keys = keys;
        this.active = active;
    }

    /**
     * @param file the keyring
     * @return its keys
     * @throws BackupKeysException when it cannot be read, others may read it, or a line is not a key
     */
    public static BackupKeyring read(Path file) {
        requireNonNull(file, "file");
        List<String> lines;
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)
                    || permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new BackupKeysException("the backup keyring " + file + " can be read or written by others: make it the running user's"
                        + " alone (chmod 600 " + file + ")");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (UnsupportedOperationException e) {
            throw new BackupKeysException("the backup keyring " + file + " is on a file system without permissions to protect it");
        } catch (IOException e) {
            throw new BackupKeysException("the backup keyring " + file + " cannot be read: " + e);
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2 || !KEY_ID.matcher(parts[0]).matches()) {
                throw new BackupKeysException(file + " line " + (i + 1) + ": a key is written <key id> <32 bytes in base64>, its id of letters,"
                        + " digits, '.', '_' and '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new BackupKeysException(file + " line " + (i + 1) + ": the key " + parts[0] + " is not base64");
            }
            if (key.length != KEY_BYTES) {
                throw new BackupKeysException(file + " line " + (i + 1) + ": the key " + parts[0] + " is " + key.length
                        + " bytes, not 32 (make one with: openssl rand -base64 32)");
            }
            if (keys.putIfAbsent(parts[0], key) != null) {
                throw new BackupKeysException(file + " line " + (i + 1) + ": the key id " + parts[0] + " appears twice");
            }
        }
        if (keys.isEmpty()) {
            throw new BackupKeysException("the backup keyring " + file + " holds no key");
        }
        return new BackupKeyring(keys, keys.keySet().iterator().next());
    }

    /**
     * @param keys key ids and their 32-byte keys, the first the one that encrypts (tests, hosts that keep keys elsewhere)
     * @return the keyring
     */
    public static BackupKeyring of(Map<String, byte[]> keys) {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches() || key.length != KEY_BYTES) {
                throw new BackupKeysException("a backup key has an id of letters, digits, '.', '_' and '-' and 32 bytes: " + id);
            }
            copy.put(id, key.clone());
        });
        if (copy.isEmpty()) {
            throw new BackupKeysException("a backup keyring holds at least one key");
        }
        return new BackupKeyring(copy, copy.keySet().iterator().next());
    }

    /** @return the id of the key new backups are encrypted with */
    public String activeId() {
        return active;
    }

    byte[] activeKey() {
        return keys.get(active).clone();
    }

    Optional<byte[]> key(String id) {
        return Optional.ofNullable(keys.get(id)).map(byte[]::clone);
    }

    /**
     * A secret derived from one key for one purpose (HMAC-SHA256 of the purpose under the key,
     * base64url): a passphrase for another tool, such as pgBackRest's repository encryption,
     * without handing it the key itself.
     *
     * @param id the key's id
     * @param purpose what the secret is for ({@code pgbackrest-repository})
     * @return the secret, when the keyring holds that key
     */
    public Optional<String> derivedSecret(String id, String purpose) {
        requireNonNull(purpose, "purpose");
        return key(id).map(key -> {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("every Java has HmacSHA256", e);
            }
        });
    }

    @Override
    public String toString() {
        return "BackupKeyring[active=" + active + ", keys=" + keys.keySet() + "]";
    }
}

package org.heroesinwaiting.retention.backup;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest of a backup: AES-256-GCM over chunks of 1 MiB, each authenticated on its own,
 * so a backup streams through it and a damaged or shortened file is refused, never restored
 * garbled. The format, so that a backup can be decrypted without this library:
 *
 * <pre>
 * header:  "HIWBAK1\n" (8 bytes) | key id length (1 byte) | key id (ASCII) | base nonce (12 bytes)
 * chunks:  length of the sealed chunk (4 bytes, big-endian) | sealed chunk (plaintext + 16-byte tag)
 * chunk i: nonce = base nonce with its last 8 bytes XOR i (big-endian, i from 0);
 *          associated data = the whole header | i (8 bytes, big-endian) | 1 for the last chunk, else 0 (1 byte)
 * </pre>
 *
 * The last chunk (possibly empty) carries the final flag: a file cut short has none, and is refused.
 * docs/operations.md shows the few lines of Python that decrypt it.
 */
public final class BackupCipher {

    /** Plaintext bytes per chunk. */
    static final int CHUNK = 1 << 20;
    private static final byte[] MAGIC = "HIWBAK1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private BackupCipher() {
    }

    /**
     * @param out where the encrypted backup goes
     * @param keys the keyring; its active key encrypts
     * @return a stream that encrypts what is written to it; closing it writes the last chunk and closes {@code out}
     * @throws IOException when the header cannot be written
     */
    public static OutputStream encrypt(OutputStream out, BackupKeyring keys) throws IOException {
        byte[] id = keys.activeId().getBytes(StandardCharsets.US_ASCII);
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(MAGIC);
        header.write(id.length);
        header.write(id);
        header.write(nonce);
        out.write(header.toByteArray());
        return new Sealing(out, keys.activeKey(), header.toByteArray(), nonce);
    }

    /**
     * @param in an encrypted backup
     * @return the key id it names, read from its header (the stream is left after the header)
     * @throws IOException when it is not an encrypted backup
     */
    static Header header(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an encrypted Heroes in Waiting backup (no HIWBAK1 header)");
        }
        int length = data.readUnsignedByte();
        byte[] id = new byte[length];
        data.readFully(id);
        byte[] nonce = new byte[NONCE];
        data.readFully(nonce);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(magic);
        header.write(length);
        header.write(id);
        header.write(nonce);
        return new Header(new String(id, StandardCharsets.US_ASCII), nonce, header.toByteArray());
    }

    record Header(String keyId, byte[] nonce, byte[] bytes) {
    }

    /**
     * @param in an encrypted backup, from its first byte
     * @param keys a keyring holding the key it names
     * @return its plaintext, chunk by chunk; a chunk that fails its check (a wrong key, a changed
     *     or shortened file) is an {@link IOException} naming the chunk and its byte offset
     * @throws IOException when it is not an encrypted backup
     * @throws BackupKeysException when the keyring lacks the key it names
     */
    public static InputStream decrypt(InputStream in, BackupKeyring keys) throws IOException {
        Header header = header(in);
        byte[] key = keys.key(header.keyId()).orElseThrow(() -> new BackupKeysException("the backup is encrypted with the key "
                + header.keyId() + ", which the keyring does not hold (" + keys + ")"));
        return new Opening(in, key, header);
    }

    /**
     * @param in an encrypted backup, from its first byte
     * @return the id of the key it is encrypted with
     * @throws IOException when it is not an encrypted backup
     */
    public static String keyId(InputStream in) throws IOException {
        return header(in).keyId();
    }

    private static Cipher cipher(int mode, byte[] key, byte[] baseNonce, byte[] header, long index, boolean last)
            throws GeneralSecurityException {
        byte[] nonce = baseNonce.clone();
        for (int i = 0; i < 8; i++) {
            nonce[NONCE - 1 - i] ^= (byte) (index >>> (8 * i));
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(header);
        cipher.updateAAD(ByteBuffer.allocate(9).putLong(index).put((byte) (last ? 1 : 0)).array());
        return cipher;
    }

    /** Buffers a chunk, seals it when full; the last (maybe empty) chunk is sealed on close with the final flag. */
    private static final class Sealing extends FilterOutputStream {
        private final byte[] key;
        private final byte[] header;
        private final byte[] nonce;
        private final byte[] buffer = new byte[CHUNK];
        private int filled;
        private long index;
        private boolean closed;

        Sealing(OutputStream out, byte[] key, byte[] header, byte[] nonce) {
            super(out);
            this.key = key;
            this.header = header;
            this.nonce = nonce;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (filled == CHUNK) {
                    seal(false); // a full chunk is sealed only once more bytes come, so the last one can carry the flag
                }
                int n = Math.min(length, CHUNK - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            try {
                byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, nonce, header, index, last).doFinal(buffer, 0, filled);
                out.write(ByteBuffer.allocate(4).putInt(sealed.length).array());
                out.write(sealed);
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-GCM is not available: " + e, e);
            }
            index++;
            filled = 0;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                seal(true);
                out.close();
            }
        }
    }

    /** Opens chunk by chunk, refusing one that fails its tag and a stream that ends before the final chunk. */
    private static final class Opening extends InputStream {
        private final DataInputStream in;
        private final byte[] key;
        private final Header header;
        private byte[] plain = new byte[0];
        private int position;
        private long index;
        private long offset;
        private boolean done;

        Opening(InputStream in, byte[] key, Header header) {
            this.in = new DataInputStream(in);
            this.key = key;
            this.header = header;
            this.offset = header.bytes().length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int off, int length) throws IOException {
            while (position == plain.length) {
                if (done) {
                    return -1;
                }
                open();
            }
            int n = Math.min(length, plain.length - position);
            System.arraycopy(plain, position, bytes, off, n);
            position += n;
            return n;
        }

        private void open() throws IOException {
            int length;
            byte[] sealed;
            try {
                length = in.readInt();
                if (length < 16 || length > CHUNK + 16) {
                    throw new IOException("chunk " + index + " (byte " + offset + ") has an impossible length " + length
                            + ": the file is damaged");
                }
                sealed = new byte[length];
                in.readFully(sealed);
            } catch (EOFException e) {
                throw new IOException("the backup ends at byte " + offset + ", inside or before chunk " + index
                        + ", without its final chunk: the file was cut short", e);
            }
            try {
                plain = cipher(Cipher.DECRYPT_MODE, key, header.nonce(), header.bytes(), index, false).doFinal(sealed);
            } catch (AEADBadTagException notMiddle) {
                try {
                    plain = cipher(Cipher.DECRYPT_MODE, key, header.nonce(), header.bytes(), index, true).doFinal(sealed);
                    done = true;
                    if (in.read() >= 0) {
                        throw new IOException("bytes follow the final chunk " + index + ": the file is damaged");
                    }
                } catch (AEADBadTagException wrong) {
                    throw new IOException("chunk " + index + " (bytes " + offset + " to " + (offset + 4 + length) + ") fails its"
                            + " authentication with the key " + header.keyId() + ": a wrong key, or the file changed there", wrong);
                } catch (GeneralSecurityException e) {
                    throw new IOException("AES-GCM is not available: " + e, e);
                }
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-GCM is not available: " + e, e);
            }
            position = 0;
            offset += 4 + length;
            index++;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

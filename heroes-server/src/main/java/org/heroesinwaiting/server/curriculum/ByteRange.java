package org.heroesinwaiting.server.curriculum;

/**
 * A single byte range of a {@code Range} header (RFC 9110 14.1.2): {@code bytes=2-5},
 * {@code bytes=100-} or {@code bytes=-50}. Several ranges, or another unit, are answered whole, as
 * the RFC allows a server to ignore Range.
 *
 * @param first the first byte
 * @param last the last byte (inclusive)
 * @param satisfiable whether the range overlaps the file at all (else 416)
 */
record ByteRange(long first, long last, boolean satisfiable) {

    /** The most bytes one range answer holds; a larger range is cut to it (the client asks again). Streamed, never buffered. */
    static final long MAX_LENGTH = 16L << 20;

    /**
     * @param header the Range header, or {@code null}
     * @param size the file's size
     * @return the range, or {@code null} to answer the whole file
     */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            long first;
            long last;
            if (dash == 0) {
                long suffix = Long.parseLong(spec.substring(1));
                if (suffix <= 0) {
                    return new ByteRange(0, 0, false);
                }
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(spec.substring(0, dash));
                last = dash == spec.length() - 1 ? size - 1 : Math.min(size - 1, Long.parseLong(spec.substring(dash + 1)));
                if (last < first) {
                    return first >= size ? new ByteRange(0, 0, false) : null;
                }
            }
            if (first >= size || size == 0) {
                return new ByteRange(0, 0, false);
            }
            return new ByteRange(first, Math.min(last, first + MAX_LENGTH - 1), true);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @return how many bytes it covers */
    long length() {
        return last - first + 1;
    }
}

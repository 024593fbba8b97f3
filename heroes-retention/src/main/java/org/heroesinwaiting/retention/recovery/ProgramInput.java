package org.heroesinwaiting.retention.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Feeds a program's standard input, telling the two ways it can fail apart. A failure to read the
 * input (a backup file cut short, a chunk that does not authenticate) is the input's, and is
 * thrown as it is. A failure to write is the program's: it stopped reading, because it failed or
 * because it had read all it needs ({@code pg_restore --list} reads the table of contents only),
 * and its exit status judges it; the feed just ends. The JDK reports the second as "Broken pipe"
 * while the program runs and as "Stream closed" once it has exited; neither message is a contract,
 * so the side is told by where the failure happened, not by its text.
 */
final class ProgramInput {

    private static final int BUFFER = 1 << 16;

    private ProgramInput() {
    }

    /**
     * Copies {@code input} to {@code program} to its end, or until the program stops reading, then
     * closes {@code program}.
     *
     * @param input what the program reads
     * @param program the program's standard input
     * @return whether the program took the whole input; {@code false} when it stopped reading first
     * @throws IOException when reading the input failed
     */
    static boolean feed(InputStream input, OutputStream program) throws IOException {
        byte[] buffer = new byte[BUFFER];
        try {
            for (int n = input.read(buffer); n >= 0; n = input.read(buffer)) {
                try {
                    program.write(buffer, 0, n);
                } catch (IOException stopped) {
                    return false;
                }
            }
            return true;
        } finally {
            closeQuietly(program); // the program sees the end of its input, or, after a failure, input cut short
        }
    }

    /**
     * Closes a program's standard input; a program that stopped reading makes closing fail, which
     * says nothing its exit status does not.
     *
     * @param program the program's standard input
     */
    static void closeQuietly(OutputStream program) {
        try {
            program.close();
        } catch (IOException stopped) {
            // it stopped reading before the end
        }
    }
}

package org.heroesinwaiting.retention.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real programs on real pipes: which side of a feed failed decides whether a backup's check or
 * restore fails. CI once failed a valid backup's verification: {@code pg_restore --list} had read
 * its table of contents and exited, and the JDK said "Stream closed" where the code expected
 * "Broken pipe".
 */
class ProgramInputTest {

    private static final byte[] MEGABYTE = new byte[1 << 20];

    @Test
    void aProgramThatExitedBeforeTheEndStoppedReading() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        assertThat(exited.waitFor(1, TimeUnit.MINUTES)).isTrue(); // its input is closed now: "Stream closed"

        assertThat(ProgramInput.feed(new ByteArrayInputStream(MEGABYTE), exited.getOutputStream())).as("took it all").isFalse();
    }

    @Test
    void aProgramThatStopsReadingWhileItRunsStoppedReading() throws Exception {
        Process reader = new ProcessBuilder("head", "-c", "1").start(); // reads one byte, then exits: "Broken pipe"

        assertThat(ProgramInput.feed(new ByteArrayInputStream(new byte[64 << 20]), reader.getOutputStream())).as("took it all").isFalse();
        assertThat(reader.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void aProgramThatReadsItAllGetsItAllAndItsEnd() throws Exception {
        Process counter = new ProcessBuilder("wc", "-c").start();

        assertThat(ProgramInput.feed(new ByteArrayInputStream(MEGABYTE), counter.getOutputStream())).as("took it all").isTrue();

        assertThat(new String(counter.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip()).isEqualTo(Integer.toString(1 << 20));
        assertThat(counter.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void aFailureToReadTheInputIsTheInputsAndTheProgramSeesItsInputEnd() throws Exception {
        Process counter = new ProcessBuilder("wc", "-c").start();
        InputStream cut = new InputStream() {
            private int left = 1000;

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    throw new IOException("chunk 3 does not authenticate");
                }
                left--;
                return 'x';
            }
        };

        assertThatThrownBy(() -> ProgramInput.feed(cut, counter.getOutputStream())).isInstanceOf(IOException.class)
                .hasMessage("chunk 3 does not authenticate");
        assertThat(new String(counter.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip()).isEqualTo("1000");
        assertThat(counter.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }
}

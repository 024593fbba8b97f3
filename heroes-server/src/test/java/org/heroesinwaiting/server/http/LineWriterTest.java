package org.heroesinwaiting.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LineWriterTest {

    @Test
    void linesAreWrittenInOrderAndNoneIsLostAtClose() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineWriter writer = new LineWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8), 100);

        for (int i = 0; i < 50; i++) {
            writer.write("line " + i);
        }
        writer.close();

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertThat(lines).hasSize(50);
        assertThat(lines[0]).isEqualTo("line 0");
        assertThat(lines[49]).isEqualTo("line 49");
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void whenTheConsoleCannotKeepUpLinesAreDroppedAndCountedNeverWaitedFor() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        OutputStream slow = new OutputStream() {
            @Override
            public void write(int b) {
                writing.countDown();
                try {
                    stuck.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        LineWriter writer = new LineWriter(new PrintStream(slow, false, StandardCharsets.UTF_8), 2);
        writer.write("first");
        assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();

        for (int i = 0; i < 10; i++) {
            writer.write("more " + i);
        }

        assertThat(writer.dropped()).isEqualTo(8);
        stuck.countDown();
        writer.close();
    }
}

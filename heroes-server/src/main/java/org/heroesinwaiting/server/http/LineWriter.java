package org.heroesinwaiting.server.http;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes log lines from a thread of its own, in batches with one flush each: a request hands its
 * line over and goes on, instead of waiting for a locked, flushed write to the console. When the
 * queue is full (the console cannot keep up) a line is dropped and counted, never waited for.
 */
public final class LineWriter implements AutoCloseable {

    private final BlockingQueue<String> queue;
    private final PrintStream out;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param out where lines go
     * @param capacity how many lines may wait
     */
    public LineWriter(PrintStream out, int capacity) {
        this.out = requireNonNull(out, "out");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::drain, "heroes-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * @param line a line, without its line break
     */
    public void write(String line) {
        if (closed || !queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** @return how many lines were dropped because the writer could not keep up */
    public long dropped() {
        return dropped.get();
    }

    /** Writes what waits, then stops. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<String> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                if (closed) {
                    queue.drainTo(batch);
                    print(batch);
                    return;
                }
                continue;
            }
            queue.drainTo(batch, 1024);
            print(batch);
            batch.clear();
        }
    }

    private void print(List<String> batch) {
        if (batch.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(batch.size() * 120);
        for (String line : batch) {
            text.append(line).append(System.lineSeparator());
        }
        out.print(text);
        out.flush();
    }
}

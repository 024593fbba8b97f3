package org.heroesinwaiting.bench.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time spent by processes on this machine, read from Linux's {@code /proc}: the served server's
 * JVM, PostgreSQL's processes, and the children this process has waited for (wrk, pgbench). Lets a
 * benchmark say where a request's CPU went, figures less noisy than a throughput on a shared
 * machine.
 */
final class ProcessCpu {

    /** Clock ticks a second in /proc (USER_HZ: 100 on Linux). */
    private static final double TICKS = 100;

    private ProcessCpu() {
    }

    /** @return user and system seconds of one process (all its threads) */
    static double of(long pid) {
        long[] times = times(Path.of("/proc", Long.toString(pid), "stat"));
        return (times[0] + times[1]) / TICKS;
    }

    /**
     * @param pid a HotSpot JVM's process
     * @return how long its JIT compilers have worked so far, in seconds (HotSpot's {@code
     *     java.ci.totalTime}, read with jcmd): a measured run during which it grows was not warm
     */
    static double jitSeconds(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "PerfCounter.print").redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        Matcher ticks = Pattern.compile("java\\.ci\\.totalTime=([0-9]+)").matcher(output);
        Matcher frequency = Pattern.compile("sun\\.os\\.hrt\\.frequency=([0-9]+)").matcher(output);
        if (!ticks.find() || !frequency.find()) {
            throw new IllegalStateException("jcmd " + pid + " PerfCounter.print gave no java.ci.totalTime:\n" + output);
        }
        return Double.parseDouble(ticks.group(1)) / Double.parseDouble(frequency.group(1));
    }

    /**
     * @param pid a HotSpot JVM's process
     * @return user and system seconds of its live threads so far, by what they do (from each
     *     thread's name): the password hashing, the collector, the JIT, and the rest
     */
    static Map<String, Double> threads(long pid) {
        Map<String, Double> seconds = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String line;
                try {
                    line = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                long[] times = times(line);
                seconds.merge(kind(line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'))), (times[0] + times[1]) / TICKS, Double::sum);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of " + pid, e);
        }
        return seconds;
    }

    /** What a HotSpot thread does, from its name as Linux shows it (at most 15 characters). */
    private static String kind(String name) {
        if (name.startsWith("heroes-password")) {
            return "hashing";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JIT";
        }
        if (name.startsWith("GC ") || name.startsWith("G1 ") || name.matches("Z[A-Z].*") || name.startsWith("VM Thread")) {
            return "GC and VM";
        }
        return "other";
    }

    /** @return user and system seconds of the children this process has waited for */
    static double waitedChildren() {
        long[] times = times(Path.of("/proc/self/stat"));
        return (times[2] + times[3]) / TICKS;
    }

    /**
     * @return user and system seconds of every live process named postgres, and of the ones that
     *     have ended (counted in the postmaster's children)
     */
    static double postgres() {
        long ticks = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                Path stat = process.resolve("stat");
                String line;
                try {
                    line = Files.readString(stat);
                } catch (IOException ended) {
                    continue;
                }
                if (line.contains("(postgres)")) {
                    long[] times = times(line);
                    ticks += times[0] + times[1] + times[2] + times[3];
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return ticks / TICKS;
    }

    private static long[] times(Path stat) {
        try {
            return times(Files.readString(stat));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + stat, e);
        }
    }

    /** utime, stime, cutime and cstime: fields 14 to 17 of /proc/PID/stat, counted after the command's closing parenthesis. */
    private static long[] times(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]), Long.parseLong(fields[14])};
    }
}

package io.vantage.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the bench starts: a Vantage command ({@code broker}, {@code collector},
 * {@code processor}, {@code import}) or one of the bench's own servers, in its own JVM with the
 * same class path and JVM options as {@code bin/vantage}, its output in a log file.
 */
final class Child implements AutoCloseable {
    private final String name;
    private final Process process;
    /** bin/vantage's default JVM options, which every child runs with unless VANTAGE_JAVA_OPTS says otherwise. */
    static final String DEFAULT_JAVA_OPTS = "-XX:+UseG1GC -Xms256m -Xmx896m -XX:MaxTenuringThreshold=2";
    private final Path log;

    private Child(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass args} and waits until its log shows {@code ready} (null: do not wait). */
    static Child start(String name, String mainClass, List<String> args, Map<String, String> env, Path logDir,
                       String ready, Duration timeout) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv().getOrDefault("VANTAGE_JAVA_OPTS", DEFAULT_JAVA_OPTS);
        for (String o : opts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Child child = new Child(name, pb.start(), log);
        if (ready != null) {
            child.awaitLog(ready, timeout);
        }
        return child;
    }

    /** Starts a {@code bin/vantage} command. */
    static Child vantage(String name, String command, List<String> args, Map<String, String> env, Path logDir, String ready)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(args);
        return start(name, "io.vantage.launcher.Main", all, env, logDir, ready, Duration.ofSeconds(180));
    }

    void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before '" + text + "'; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not print '" + text + "' within " + timeout + "; see " + log);
            }
            Thread.sleep(50);
        }
    }

    /** Waits for the process to end and returns its exit code. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Resident set size in bytes, from /proc (0 where there is none). */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Heap in use after a full GC, in bytes, by {@code jcmd} (-1 when jcmd cannot tell). */
    long heapUsedAfterGc() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

package io.chainring.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command of an unpacked release run as a user would: its own process, started in a work
 * directory outside the source tree with an environment that holds only PATH (to a JRE), HOME
 * and what the caller adds; output to a log file.
 */
final class Launched implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private Launched(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The directory of the JRE running this test, for the PATH of the launched commands. */
    static Path javaBin() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent();
    }

    static Launched start(String name, Path workDir, Map<String, String> env, List<String> command) throws IOException {
        Path log = workDir.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> e = pb.environment();
        e.clear();
        e.put("PATH", javaBin() + ":/usr/bin:/bin");
        e.put("HOME", workDir.toString());
        e.put("CHAINRING_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        e.putAll(env);
        return new Launched(name, pb.start(), log);
    }

    /** Waits for a line matching {@code pattern} and returns its first group (or the whole line); fails if the process ends first. */
    String await(String pattern, Duration timeout) throws IOException, InterruptedException {
        Pattern p = Pattern.compile(pattern);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    return m.groupCount() > 0 ? m.group(1) : line;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing /" + pattern
                        + "/; its output:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not print /" + pattern + "/ within " + timeout + "; its output:\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** Waits for the process to end (bounded) and returns its exit code. */
    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not end within " + timeout);
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM (the servers close cleanly), then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static List<Integer> freePorts(int n) throws IOException {
        List<java.net.ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new java.net.ServerSocket(0));
            }
            return held.stream().map(java.net.ServerSocket::getLocalPort).toList();
        } finally {
            for (java.net.ServerSocket s : held) {
                s.close();
            }
        }
    }
}

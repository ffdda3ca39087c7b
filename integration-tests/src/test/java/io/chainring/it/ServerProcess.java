package io.chainring.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code chainring} server command running in its own JVM, started exactly as an operator
 * would start it (same main class, same flags). Output goes to a log file; {@link #awaitReady}
 * waits for the command's "ready" line.
 */
final class ServerProcess implements AutoCloseable {
    private final String name;
    private final List<String> args;
    private final Path log;
    private Process process;

    ServerProcess(String name, Path logDir, List<String> args) {
        this.name = name;
        this.args = List.copyOf(args);
        this.log = logDir.resolve(name + ".log");
    }

    ServerProcess start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dchainring.log.level=INFO");
        // the product's own logging config, not this module's log4j2-test.xml
        cmd.add("-Dlog4j2.configurationFile=log4j2.xml");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.chainring.cli.Main");
        cmd.addAll(args);
        Files.createDirectories(log.getParent());
        // append: a restarted process keeps its earlier output in the same file
        Files.writeString(log, "---- start " + String.join(" ", args) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return this;
    }

    /** Waits for a line containing "ready" printed since the last start; fails if the process dies. */
    ServerProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            String sinceStart = out.substring(out.lastIndexOf("---- start "));
            if (sinceStart.lines().anyMatch(l -> l.contains(" ready"))) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; log:\n" + tail(sinceStart));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not ready within " + timeout.toSeconds() + " s; log:\n" + tail(Files.readString(log)));
    }

    /** kill -9: no shutdown hook runs. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and wait for a clean exit (bounded), then SIGKILL if it hangs. */
    int stop() throws InterruptedException {
        if (process == null) {
            return 0;
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}

package io.chainring.cli.evaluate;

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
 * waits for the command's "ready" line. Besides start and stop, the fault verbs a nemesis needs:
 * {@link #kill} (SIGKILL), {@link #pause} (SIGSTOP) and {@link #resume} (SIGCONT).
 */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final List<String> args;
    private final List<String> jvmArgs;
    private final Path log;
    private volatile Process process;
    private volatile boolean paused;

    public ServerProcess(String name, Path logDir, List<String> args) {
        this(name, logDir, List.of(), args);
    }

    /** A process whose JVM also gets {@code jvmArgs} (e.g. {@code -Djdk.net.hosts.file=...}). */
    public ServerProcess(String name, Path logDir, List<String> jvmArgs, List<String> args) {
        this.name = name;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.args = List.copyOf(args);
        this.log = logDir.resolve(name + ".log");
    }

    public synchronized ServerProcess start() throws IOException {
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
        cmd.addAll(jvmArgs);
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
        paused = false;
        return this;
    }

    /** Waits for a line containing "ready" printed since the last start; fails if the process dies. */
    public ServerProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
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
    public synchronized void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive 30 s after SIGKILL");
            }
        }
        paused = false;
    }

    /**
     * SIGSTOP: the process freezes at once (no thread runs, sockets stay open, the kernel still
     * accepts connections and buffers requests), as in a long GC pause or a VM stall.
     */
    public synchronized void pause() throws IOException, InterruptedException {
        requireAlive("pause");
        signal("STOP");
        paused = true;
    }

    /** SIGCONT: a paused process runs on from where it stopped. */
    public synchronized void resume() throws IOException, InterruptedException {
        requireAlive("resume");
        signal("CONT");
        paused = false;
    }

    /** Whether the process was paused by {@link #pause} and not resumed since. */
    public boolean isPaused() {
        return paused;
    }

    /** The operating system's process id. */
    public synchronized long pid() {
        requireAlive("pid");
        return process.pid();
    }

    /** SIGTERM and wait for a clean exit (bounded), then SIGKILL if it hangs. A paused process is resumed first. */
    public synchronized int stop() throws InterruptedException {
        if (process == null) {
            return 0;
        }
        if (process.isAlive() && paused) {
            try {
                resume();
            } catch (IOException e) {
                // SIGTERM stays pending on a stopped process; the SIGKILL below still ends it
                process.destroyForcibly();
            }
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

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    private void requireAlive(String verb) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("cannot " + verb + " " + name + ": not running");
        }
    }

    /** Sends a signal with the kill command: the JDK can send only TERM and KILL itself. */
    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IOException("kill -" + signal + " " + process.pid() + " did not finish within 10 s");
        }
        if (kill.exitValue() != 0) {
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            throw new IOException("kill -" + signal + " " + process.pid() + " (" + name + ") failed with "
                    + kill.exitValue() + ": " + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}

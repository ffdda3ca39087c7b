package io.chainring.datanode.storage;

import com.sleepycat.je.Environment;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group fsync for {@link Durability#WRITE_NO_SYNC}: commits reach the OS at once, and this
 * task forces the log to the device at a fixed interval, bounding what an OS crash can lose.
 */
final class LogSyncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogSyncer.class);

    private final Environment env;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong syncs = new AtomicLong();
    private volatile boolean failureLogged;

    LogSyncer(Environment env, Duration interval, String name) {
        this.env = env;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "je-sync-" + name);
            t.setDaemon(true);
            return t;
        });
        long micros = interval.toNanos() / 1000;
        scheduler.scheduleWithFixedDelay(this::syncOnce, micros, micros, TimeUnit.MICROSECONDS);
    }

    long syncs() {
        return syncs.get();
    }

    private void syncOnce() {
        try {
            env.flushLog(true);
            syncs.incrementAndGet();
            if (failureLogged) {
                failureLogged = false;
                LOG.info("background log sync works again");
            }
        } catch (RuntimeException e) {
            // keep the task scheduled (an exception would cancel it) and log once per failure streak
            if (!failureLogged) {
                failureLogged = true;
                LOG.error("background log sync failed; retrying every interval", e);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("background log sync did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

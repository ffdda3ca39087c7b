package io.chainring.cli.command;

import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a server command running until SIGTERM/Ctrl-C, then closes what it started. */
final class ServerLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);

    private ServerLifecycle() {
    }

    /** Blocks until the JVM is asked to stop; closes {@code server} on the way out. */
    static int runUntilStopped(String name, AutoCloseable server) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("{} stopping", name);
            try {
                server.close();
            } catch (Exception e) {
                log.error("{} did not stop cleanly", name, e);
            } finally {
                stopped.countDown();
                LogManager.shutdown();
            }
        }, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}

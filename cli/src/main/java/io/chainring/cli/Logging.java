package io.chainring.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Servers log at INFO by default; client commands stay quiet (WARN) unless asked otherwise. */
public final class Logging {
    private Logging() {
    }

    public static void serverDefaults() {
        boolean chosen = System.getProperty("chainring.log.level") != null || System.getenv("CHAINRING_LOG_LEVEL") != null;
        if (!chosen) {
            Configurator.setRootLevel(Level.INFO);
        }
    }
}

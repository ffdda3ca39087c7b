package io.chainring.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.appender.rolling.DefaultRolloverStrategy;
import org.apache.logging.log4j.core.appender.rolling.SizeBasedTriggeringPolicy;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Logging of the server commands: INFO by default (client commands stay at WARN unless asked),
 * {@code --log-level} to choose, and {@code --log-file} for a rolling file (docs/CLI.md, "Logs").
 */
public final class Logging {
    /** A log file rolls over at this size... */
    public static final String MAX_FILE_SIZE = System.getProperty("chainring.log.maxFileSize", "64MB");
    /** ...and this many rolled files are kept ({@code FILE.1.gz} newest). */
    public static final int MAX_FILES = 10;
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%t] %c{1} - %msg%n";

    private Logging() {
    }

    public static void serverDefaults() {
        boolean chosen = System.getProperty("chainring.log.level") != null || System.getenv("CHAINRING_LOG_LEVEL") != null;
        if (!chosen) {
            Configurator.setRootLevel(Level.INFO);
        }
    }

    /**
     * A server's logging: {@code level} (null: INFO unless the environment chose) and, with a
     * {@code file}, every line into that file, rolled at {@link #MAX_FILE_SIZE} with
     * {@link #MAX_FILES} gzipped files kept; stderr then carries WARN and above only.
     */
    public static void server(String level, Path file) {
        Level l = level == null ? null : Level.toLevel(level.toUpperCase(Locale.ROOT), null);
        if (level != null && l == null) {
            throw new IllegalArgumentException("--log-level must be TRACE, DEBUG, INFO, WARN, ERROR or OFF: " + level);
        }
        serverDefaults();
        if (l != null) {
            Configurator.setRootLevel(l);
        }
        if (file != null) {
            toFile(file.toAbsolutePath());
        }
    }

    private static void toFile(Path file) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().withConfiguration(config).withPattern(PATTERN).build();
        RollingFileAppender appender = RollingFileAppender.newBuilder()
                .setName("file")
                .withFileName(file.toString())
                .withFilePattern(file + ".%i.gz")
                .withPolicy(SizeBasedTriggeringPolicy.createPolicy(MAX_FILE_SIZE))
                .withStrategy(DefaultRolloverStrategy.newBuilder().withMax(String.valueOf(MAX_FILES)).withConfig(config).build())
                .setLayout(layout)
                .setConfiguration(config)
                .build();
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        Appender stderr = config.getAppender("stderr");
        root.addAppender(appender, null, null);
        if (stderr != null) {
            // the console keeps what needs a person's attention; the file has everything
            root.removeAppender("stderr");
            root.addAppender(stderr, Level.WARN, null);
        }
        ctx.updateLoggers();
    }
}

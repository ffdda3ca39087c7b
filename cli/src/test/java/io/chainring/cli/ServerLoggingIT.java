package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.cli.evaluate.ServerProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-file} and {@code --log-level} on a server command, in its own process as an operator starts it. */
@Tag("cluster")
class ServerLoggingIT {
    @TempDir
    Path dir;

    /** Starts {@code chainring zookeeper} with these logging options, waits for it, stops it; returns its console output. */
    private String runZooKeeper(String name, Path logFile, String level) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ServerProcess zk = new ServerProcess(name, dir, List.of("zookeeper", "--port", String.valueOf(port),
                "--data-dir", dir.resolve(name).toString(), "--log-file", logFile.toString(), "--log-level", level));
        try {
            zk.start().awaitReady(Duration.ofSeconds(60));
        } finally {
            zk.stop();
        }
        return Files.readString(dir.resolve(name + ".log"));
    }

    @Test
    void aServerLogsIntoItsFileAtTheChosenLevelAndKeepsOnlyWarningsOnTheConsole() throws Exception {
        Path logFile = dir.resolve("logs").resolve("zk.log");
        Files.createDirectories(logFile.getParent());
        String console = runZooKeeper("zk-info", logFile, "INFO");
        String file = Files.readString(logFile);
        assertThat(file).as("INFO lines go to the file").contains(" INFO ").contains("ZooKeeper serving on");
        assertThat(file.lines().findFirst().orElseThrow()).as("ISO-8601 time first").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*");
        assertThat(file).as("the shutdown is logged too").contains("zookeeper stopping");
        assertThat(console).as("stdout still has the ready line").contains("zookeeper ready on");
        assertThat(console).as("the console keeps WARN and above only").doesNotContain(" INFO ");

        Path quiet = dir.resolve("logs").resolve("zk-warn.log");
        runZooKeeper("zk-warn", quiet, "WARN");
        assertThat(Files.readString(quiet)).as("--log-level WARN leaves INFO out").doesNotContain(" INFO ")
                .doesNotContain("ZooKeeper serving on");
    }

    @Test
    void aBadLevelIsAUsageError() {
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"zookeeper", "--port", "0", "--data-dir", dir.resolve("zk").toString(), "--log-level", "LOUD"},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--log-level must be");
    }
}

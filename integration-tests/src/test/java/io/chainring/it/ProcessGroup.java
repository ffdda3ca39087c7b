package io.chainring.it;

import io.chainring.cli.evaluate.ServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server processes one test started, stopped in reverse order (datanodes before the
 * controller before ZooKeeper) by {@link #close}, whatever state they are in. Logs go to
 * {@code target/it-logs/<group>/}.
 */
final class ProcessGroup implements AutoCloseable {
    private final Path logDir;
    private final List<ServerProcess> processes = new ArrayList<>();

    ProcessGroup(String group) {
        this.logDir = Path.of("target", "it-logs", group);
    }

    /** A process of {@code chainring <args>}, not started yet. */
    ServerProcess create(String name, String... args) {
        ServerProcess p = new ServerProcess(name, logDir, List.of(args));
        processes.add(p);
        return p;
    }

    /** A started process of {@code chainring <args>}. */
    ServerProcess start(String name, String... args) throws Exception {
        return create(name, args).start();
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop();
        }
    }
}

package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.backup.ClusterRestore;
import io.chainring.cli.backup.Manifest;
import io.chainring.cli.output.ByteSize;
import io.chainring.cli.output.Json;
import io.chainring.client.ChainringClient;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chainring restore --in DIR}: a backup written back through the client. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Write a backup made by 'chainring backup' into the cluster: every file is checked against the",
                "manifest first (a damaged backup writes nothing), then every key is put. Keys get new versions;",
                "keys not in the backup are left alone (restore into an empty cluster for an exact copy).",
                "--verify-only checks the backup and writes nothing."})
public final class RestoreCommand extends ClientCommand {
    @Option(names = "--in", required = true, paramLabel = "DIR", description = "The backup's directory.")
    Path in;

    @Option(names = "--verify-only", description = "Check every file against the manifest; write nothing.")
    boolean verifyOnly;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Manifest m;
        if (verifyOnly) {
            m = ClusterRestore.verify(in);
        } else {
            try (ChainringClient client = client()) {
                m = new ClusterRestore(client).run(in, part -> { });
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (global().json()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("cluster", m.cluster());
            o.put("directory", in.toString());
            o.put("createdAt", m.createdAt());
            o.put("partitionCount", m.partitionCount());
            o.put("keyCount", m.keys());
            o.put("bytes", m.bytes());
            o.put("written", !verifyOnly);
            o.put("elapsedMillis", millis);
            out().println(Json.write(o));
        } else {
            out().printf("%s backup of cluster %s made %s: %d partitions, %d keys, %s (%.1f s)%n",
                    verifyOnly ? "verified" : "restored", m.cluster(), m.createdAt(), m.partitionCount(), m.keys(),
                    ByteSize.format(m.bytes()), millis / 1000.0);
        }
        out().flush();
        return ExitCodes.OK;
    }
}

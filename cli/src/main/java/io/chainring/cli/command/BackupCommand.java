package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.backup.ClusterBackup;
import io.chainring.cli.backup.Manifest;
import io.chainring.cli.output.ByteSize;
import io.chainring.cli.output.Json;
import io.chainring.client.AdminClient;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chainring backup --out DIR}: every partition into files, each consistent at one LSN. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Copy every partition of the cluster into DIR (a new, empty directory): one file per partition,",
                "each consistent at one LSN (copied from the partition's tail; copied again if a write reached it",
                "meanwhile), and manifest.json, written last, with checksums. Restore with 'chainring restore'.",
                "On a cluster with a cluster secret, give it (the snapshot service is for members only)."})
public final class BackupCommand extends AdminCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the backup goes (created; must be empty).")
    Path out;

    @Option(names = "--attempts", defaultValue = "10", paramLabel = "N",
            description = "Copies of a partition tried before giving up while writes keep reaching it (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Mixin
    ClusterSecretOption clusterSecret = new ClusterSecretOption();

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Manifest m;
        try (AdminClient admin = admin()) {
            m = new ClusterBackup(admin, clusterSecret.resolve(), global().timeout(), attempts).run(out, part -> { });
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (global().json()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("cluster", m.cluster());
            o.put("directory", out.toString());
            o.put("partitionCount", m.partitionCount());
            o.put("keyCount", m.keys());
            o.put("bytes", m.bytes());
            o.put("elapsedMillis", millis);
            out().println(Json.write(o));
        } else {
            out().printf("backup of cluster %s: %d partitions, %d keys, %s in %s (%.1f s)%n", m.cluster(), m.partitionCount(),
                    m.keys(), ByteSize.format(m.bytes()), out, millis / 1000.0);
        }
        out().flush();
        return ExitCodes.OK;
    }
}

package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.ByteSize;
import io.chainring.cli.output.Json;
import io.chainring.client.AdminClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chainring throttle [SIZE]}: shows or sets the per-node copy throttle of partition moves. */
@Command(name = "throttle", mixinStandardHelpOptions = true,
        description = {"Show the per-node copy throttle of partition moves, or set it (in force at once on running moves).",
                "SIZE per second: 20MB (10^6), 20MiB (2^20), 512KB, 1.5GB, 4096 (bytes), or unlimited (also 0).",
                "Setting needs the admin token: --token or $CHAINRING_ADMIN_TOKEN."})
public final class ThrottleCommand extends RebalanceCommand {
    @Parameters(arity = "0..1", paramLabel = "SIZE", description = "The new throttle, bytes per second per node.")
    String size;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The admin token (default: $CHAINRING_ADMIN_TOKEN).")
    String token;

    @Override
    public Integer call() {
        Long wanted = size == null ? null : ByteSize.parse(size);
        String adminToken = null;
        if (wanted != null) {
            adminToken = token(token);
            if (adminToken == null) {
                return ExitCodes.USAGE;
            }
        }
        try (AdminClient admin = admin()) {
            long value = wanted == null ? admin.migrations().throttleBytesPerSecond() : admin.setThrottle(adminToken, wanted);
            if (global().json()) {
                out().println(Json.write(Map.of("throttleBytesPerSecond", value)));
            } else {
                out().printf("throttle%s %s per node%s%n", wanted == null ? "" : " set to", ByteSize.rate(value),
                        value > 0 ? " (" + value + " B/s)" : "");
            }
            out().flush();
            return ExitCodes.OK;
        }
    }
}

package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Bytes;
import io.chainring.cli.output.Json;
import io.chainring.client.ChainringClient;
import io.chainring.client.VersionMismatchException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cas", mixinStandardHelpOptions = true,
        description = "Compare-and-set: write VALUE only if the key is at VERSION (0 = must be absent). "
                + "Prints the new version; exit 1 on a version mismatch.")
public final class CasCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key: UTF-8 text, or bytes with --key-hex / --key-base64.")
    String key;

    @Mixin
    KeyFormat keyFormat = new KeyFormat();

    @Parameters(index = "1", paramLabel = "VALUE", description = "The new value: UTF-8 text, or bytes with --value-hex / --value-base64.")
    String value;

    @Mixin
    ValueFormat valueFormat = new ValueFormat();

    @Parameters(index = "2", paramLabel = "VERSION", description = "The expected current version (0 = absent).")
    long expectedVersion;

    @Override
    public Integer call() {
        try (ChainringClient client = client()) {
            Map<String, Object> o = new LinkedHashMap<>();
            byte[] keyBytes = keyFormat.key(key);
            Bytes.putJson(o, "key", keyBytes);
            o.put("expectedVersion", expectedVersion);
            try {
                long version = client.compareAndSet(keyBytes, valueFormat.value(value), expectedVersion);
                o.put("applied", true);
                o.put("version", version);
                out().println(global().json() ? Json.write(o) : "OK version " + version);
                out().flush();
                return ExitCodes.OK;
            } catch (VersionMismatchException e) {
                o.put("applied", false);
                o.put("actualVersion", e.actualVersion());
                if (global().json()) {
                    out().println(Json.write(o));
                    out().flush();
                }
                err().println("chainring cas: version mismatch: expected " + expectedVersion + ", actual " + e.actualVersion());
                err().flush();
                return ExitCodes.NOT_FOUND;
            }
        }
    }
}

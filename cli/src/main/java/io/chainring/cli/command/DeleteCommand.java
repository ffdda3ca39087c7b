package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Bytes;
import io.chainring.cli.output.Json;
import io.chainring.client.ChainringClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a key. Exit 1 when it did not exist (\"not found\" on stderr, as get says it).")
public final class DeleteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key: UTF-8 text, or bytes with --key-hex / --key-base64.")
    String key;

    @Mixin
    KeyFormat keyFormat = new KeyFormat();

    @Override
    public Integer call() {
        try (ChainringClient client = client()) {
            byte[] keyBytes = keyFormat.key(key);
            boolean existed = client.delete(keyBytes);
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                Bytes.putJson(o, "key", keyBytes);
                o.put("existed", existed);
                out().println(Json.write(o));
            } else if (existed) {
                out().println("deleted");
            }
            out().flush();
            if (!existed) {
                // the same stream and words as get of an absent key, so scripts treat both alike
                err().println("chainring delete: not found: " + key);
                err().flush();
                return ExitCodes.NOT_FOUND;
            }
            return ExitCodes.OK;
        }
    }
}

package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.client.ChainringClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete a key. Exit 1 when it did not exist.")
public final class DeleteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key: UTF-8 text, or bytes with --key-hex / --key-base64.")
    String key;

    @Mixin
    KeyFormat keyFormat = new KeyFormat();

    @Override
    public Integer call() {
        try (ChainringClient client = client()) {
            boolean existed = client.delete(keyFormat.key(key));
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("key", key);
                o.put("existed", existed);
                out().println(Json.write(o));
            } else {
                out().println(existed ? "deleted" : "not found");
            }
            out().flush();
            return existed ? ExitCodes.OK : ExitCodes.NOT_FOUND;
        }
    }
}

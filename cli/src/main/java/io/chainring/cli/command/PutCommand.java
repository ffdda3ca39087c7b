package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.client.ChainringClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "put", mixinStandardHelpOptions = true, description = "Write a value; prints its new version.")
public final class PutCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8).")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value (UTF-8).")
    String value;

    @Override
    public Integer call() {
        try (ChainringClient client = client()) {
            long version = client.put(utf8(key), utf8(value));
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("key", key);
                o.put("version", version);
                out().println(Json.write(o));
            } else {
                out().println("OK version " + version);
            }
            out().flush();
            return ExitCodes.OK;
        }
    }
}

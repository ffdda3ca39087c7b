package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.client.ChainringClient;
import io.chainring.client.Versioned;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Print a key's value (alone on stdout). Exit 1 when the key is absent.")
public final class GetCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key: UTF-8 text, or bytes with --key-hex / --key-base64.")
    String key;

    @Mixin
    KeyFormat keyFormat = new KeyFormat();

    @Override
    public Integer call() {
        try (ChainringClient client = client()) {
            Optional<Versioned> found = client.get(keyFormat.key(key));
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("key", key);
                o.put("found", found.isPresent());
                o.put("value", found.map(v -> new String(v.value(), StandardCharsets.UTF_8)).orElse(null));
                o.put("version", found.map(Versioned::version).orElse(0L));
                out().println(Json.write(o));
            } else if (found.isPresent()) {
                out().println(new String(found.get().value(), StandardCharsets.UTF_8));
            }
            out().flush();
            if (found.isEmpty()) {
                err().println("chainring get: not found: " + key);
                err().flush();
                return ExitCodes.NOT_FOUND;
            }
            return ExitCodes.OK;
        }
    }
}

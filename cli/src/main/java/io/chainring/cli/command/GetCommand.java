package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Bytes;
import io.chainring.cli.output.Json;
import io.chainring.client.ChainringClient;
import io.chainring.client.Versioned;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chainring get}: prints a key's value without losing a byte. Text by default (a value that
 * is not UTF-8 is refused rather than printed with replacement characters); {@code --raw} writes the
 * bytes exactly, {@code --hex} as hexadecimal, {@code --output} into a file, {@code --json} as text
 * or base64 with an explicit encoding field.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Print a key's value (alone on stdout). Exit 1 when the key is absent.",
                "By default the value is printed as text with a newline; a value that is not UTF-8 text is not printed "
                        + "(exit 2): choose --raw, --hex, --output FILE or --json (base64 with \"valueEncoding\")."})
public final class GetCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key: UTF-8 text, or bytes with --key-hex / --key-base64.")
    String key;

    @Mixin
    KeyFormat keyFormat = new KeyFormat();

    @ArgGroup(exclusive = true)
    Form form = new Form();

    /** How the value is written; at most one. */
    static final class Form {
        @Option(names = "--raw", description = "Write the value's bytes exactly, with no newline.")
        boolean raw;

        @Option(names = "--hex", description = "Print the value as hexadecimal (lower case) and a newline.")
        boolean hex;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the value's bytes into FILE (replaced); print nothing.")
        Path output;
    }

    @Override
    public Integer call() throws IOException {
        boolean json = global().json();
        if (json && (form.raw || form.hex || form.output != null)) {
            throw new IllegalArgumentException("--json prints the value itself (text or base64): do not combine it with --raw, --hex or --output");
        }
        byte[] keyBytes = keyFormat.key(key);
        Optional<Versioned> found;
        try (ChainringClient client = client()) {
            found = client.get(keyBytes);
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            Bytes.putJson(o, "key", keyBytes);
            o.put("found", found.isPresent());
            o.put("version", found.map(Versioned::version).orElse(0L));
            Bytes.putJson(o, "value", found.map(Versioned::value).orElse(null));
            out().println(Json.write(o));
            out().flush();
        }
        if (found.isEmpty()) {
            err().println("chainring get: not found: " + key);
            err().flush();
            return ExitCodes.NOT_FOUND;
        }
        if (!json) {
            write(found.get().value());
        }
        return ExitCodes.OK;
    }

    private void write(byte[] value) throws IOException {
        if (form.output != null) {
            Files.write(form.output, value);
        } else if (form.raw) {
            out().flush();
            OutputStream bytes = main.bytesOut();
            bytes.write(value);
            bytes.flush();
        } else if (form.hex) {
            out().println(HexFormat.of().formatHex(value));
            out().flush();
        } else {
            String text = Bytes.utf8(value).orElseThrow(() -> new IllegalArgumentException("the value (" + value.length
                    + " bytes) is not UTF-8 text and was not printed: use --raw (bytes exactly), --hex, --output FILE or --json (base64)"));
            out().println(text);
            out().flush();
        }
    }
}

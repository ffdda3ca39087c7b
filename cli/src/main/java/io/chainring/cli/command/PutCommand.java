package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Bytes;
import io.chainring.cli.output.Json;
import io.chainring.client.ChainringClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chainring put}: writes a value given as an argument, in a file, or on standard input. */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Write a value; prints its new version.",
                "The value comes from the VALUE argument (UTF-8 text, or any bytes with --value-hex / --value-base64), "
                        + "from a file (--file, bytes as they are), or from standard input when VALUE is '-' "
                        + "(bytes as they are; hex or base64 text with --value-hex / --value-base64)."})
public final class PutCommand extends ClientCommand {
    /** The largest value read from a file or stdin; the cluster's own limit (1 MiB by default) applies after. */
    static final int MAX_VALUE_BYTES = 64 * 1024 * 1024;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key: UTF-8 text, or bytes with --key-hex / --key-base64.")
    String key;

    @Mixin
    KeyFormat keyFormat = new KeyFormat();

    @Parameters(index = "1", paramLabel = "VALUE", arity = "0..1",
            description = "The value (UTF-8, hex or base64), or '-' to read it from standard input.")
    String value;

    @Mixin
    ValueFormat valueFormat = new ValueFormat();

    @Option(names = "--file", paramLabel = "FILE", description = "Read the value from this file.")
    Path file;

    @Override
    public Integer call() throws IOException {
        byte[] bytes = valueBytes();
        try (ChainringClient client = client()) {
            long version = client.put(keyFormat.key(key), bytes);
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                Bytes.putJson(o, "key", keyFormat.key(key));
                o.put("version", version);
                o.put("bytes", bytes.length);
                out().println(Json.write(o));
            } else {
                out().println("OK version " + version);
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    private byte[] valueBytes() throws IOException {
        if (file != null && value != null) {
            throw new IllegalArgumentException("give the value either as an argument or with --file, not both");
        }
        if (file != null) {
            if (valueFormat.encoded()) {
                throw new IllegalArgumentException("--file takes the file's bytes as they are: --value-hex / --value-base64 "
                        + "apply to VALUE or '-'");
            }
            try {
                if (Files.size(file) > MAX_VALUE_BYTES) {
                    throw new IllegalArgumentException("file " + file + " is larger than " + MAX_VALUE_BYTES + " bytes");
                }
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("no such file: " + file, e);
            }
        }
        if (value == null) {
            throw new IllegalArgumentException("no value: give VALUE, '-' for standard input, or --file FILE");
        }
        if (value.equals("-")) {
            byte[] in = readAll(main.in());
            // hex or base64 text on stdin may end with a newline or be wrapped (xxd -p, base64)
            return valueFormat.encoded() ? valueFormat.value(new String(in, StandardCharsets.US_ASCII).replaceAll("\\s", "")) : in;
        }
        return valueFormat.value(value);
    }

    private static byte[] readAll(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(MAX_VALUE_BYTES + 1);
            if (bytes.length > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("standard input holds more than " + MAX_VALUE_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }
}

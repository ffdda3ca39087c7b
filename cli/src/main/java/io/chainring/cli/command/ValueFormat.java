package io.chainring.cli.command;

import picocli.CommandLine.Option;

/** How a command's VALUE argument is written: UTF-8 text by default, or any bytes with {@code --value-hex} / {@code --value-base64}. */
public final class ValueFormat {
    @Option(names = "--value-hex", description = "VALUE is hexadecimal: any bytes (e.g. 00ff6b).")
    boolean hex;

    @Option(names = "--value-base64", description = "VALUE is base64: any bytes.")
    boolean base64;

    /** The value's bytes. */
    byte[] value(String arg) {
        return KeyFormat.decode(arg, "VALUE", hex, base64, "--value-hex", "--value-base64");
    }

    /** Whether VALUE is given in hex or base64 (then it is not a file name or '-'). */
    boolean encoded() {
        return hex || base64;
    }
}

package io.chainring.cli.command;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import picocli.CommandLine.Option;

/**
 * How a command's KEY argument is written: UTF-8 text by default, or any bytes with
 * {@code --key-hex} / {@code --key-base64}. Text that cannot be exact UTF-8 is refused: the JVM
 * turns argument bytes it cannot decode into U+FFFD, and sending that would silently name
 * another key (two different invalid keys would collide).
 */
public final class KeyFormat {
    @Option(names = "--key-hex", description = "KEY is hexadecimal: any bytes (e.g. 00ff6b).")
    boolean hex;

    @Option(names = "--key-base64", description = "KEY is base64: any bytes.")
    boolean base64;

    /** The key's bytes. */
    byte[] key(String arg) {
        return decode(arg, "KEY", hex, base64, "--key-hex", "--key-base64");
    }

    /** An argument as bytes: hexadecimal, base64, or (neither flag) exact UTF-8 text. */
    static byte[] decode(String arg, String what, boolean hex, boolean base64, String hexFlag, String base64Flag) {
        if (hex && base64) {
            throw new IllegalArgumentException("give " + hexFlag + " or " + base64Flag + ", not both");
        }
        if (hex) {
            try {
                return HexFormat.of().parseHex(arg);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " is not hexadecimal (" + hexFlag + "): " + e.getMessage(), e);
            }
        }
        if (base64) {
            try {
                return Base64.getDecoder().decode(arg);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " is not base64 (" + base64Flag + "): " + e.getMessage(), e);
            }
        }
        return text(arg, what);
    }

    /**
     * The UTF-8 bytes of an argument, refused when it holds U+FFFD (bytes the JVM could not decode
     * under this locale's encoding) or half of a surrogate pair.
     */
    static byte[] text(String arg, String what) {
        if (arg.indexOf('\uFFFD') >= 0) {
            throw new IllegalArgumentException(what + " is not valid text: it holds U+FFFD, which stands for bytes that are "
                    + "not valid " + System.getProperty("sun.jnu.encoding", "UTF-8") + "; nothing was sent. "
                    + "Give binary keys with --key-hex or --key-base64 (values: --file or '-' for standard input)");
        }
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(arg));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid text (a lone surrogate); nothing was sent. "
                    + "Give binary keys with --key-hex or --key-base64", e);
        }
    }
}

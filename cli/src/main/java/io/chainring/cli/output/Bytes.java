package io.chainring.cli.output;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Keys and values for people and scripts: text when the bytes are valid UTF-8, otherwise hex in
 * tables and base64 in JSON, so that nothing is printed lossily.
 */
public final class Bytes {
    private Bytes() {
    }

    /** The bytes as UTF-8 text, if they are valid UTF-8. */
    public static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** For a table cell: the text (control characters escaped), or {@code 0x} and hex; cut after {@code max} characters. */
    public static String cell(byte[] bytes, int max) {
        String s = utf8(bytes).map(Bytes::escapeControls).orElseGet(() -> hex(bytes));
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
    }

    /** The encoding named in JSON for bytes that are valid UTF-8 and appear as text. */
    public static final String UTF8 = "utf-8";
    /** The encoding named in JSON for other bytes, which appear as standard base64. */
    public static final String BASE64 = "base64";

    /**
     * Puts {@code name} and {@code nameEncoding} into a JSON object: the text and {@code "utf-8"}
     * when the bytes are valid UTF-8, else standard base64 and {@code "base64"} (docs/CLI.md).
     * Null bytes (nothing there) put null for both.
     */
    public static void putJson(Map<String, Object> o, String name, byte[] bytes) {
        if (bytes == null) {
            o.put(name, null);
            o.put(name + "Encoding", null);
            return;
        }
        Optional<String> text = utf8(bytes);
        o.put(name, text.orElseGet(() -> Base64.getEncoder().encodeToString(bytes)));
        o.put(name + "Encoding", text.isPresent() ? UTF8 : BASE64);
    }

    private static String escapeControls(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}

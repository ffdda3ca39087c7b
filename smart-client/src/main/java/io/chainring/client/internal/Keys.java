package io.chainring.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Key helpers: copies and short printable forms for messages. */
public final class Keys {
    private static final int SHOWN = 24;

    private Keys() {
    }

    /** A copy, so a caller changing its array after an async call cannot change the request. */
    public static byte[] copy(byte[] bytes, String what) {
        return Objects.requireNonNull(bytes, what + " must not be null").clone();
    }

    public static byte[] utf8(String s, String what) {
        return Objects.requireNonNull(s, what + " must not be null").getBytes(StandardCharsets.UTF_8);
    }

    /** The key as text when it is printable ASCII, else hex; cut after a few bytes. */
    public static String show(byte[] key) {
        boolean printable = true;
        for (int i = 0; i < Math.min(key.length, SHOWN); i++) {
            printable &= key[i] >= 0x20 && key[i] < 0x7f;
        }
        StringBuilder sb = new StringBuilder();
        if (printable) {
            sb.append('\'').append(new String(key, 0, Math.min(key.length, SHOWN), StandardCharsets.US_ASCII)).append('\'');
        } else {
            sb.append("0x");
            for (int i = 0; i < Math.min(key.length, SHOWN); i++) {
                sb.append(String.format("%02x", key[i]));
            }
        }
        if (key.length > SHOWN) {
            sb.append("... (").append(key.length).append(" bytes)");
        }
        return sb.toString();
    }
}

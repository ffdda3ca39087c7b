package io.chainring.client;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns values of type {@code T} into bytes and back, so that applications do not convert by
 * hand: {@link ChainringClient#put(String, Object, Codec)} and {@link Versioned#value(Codec)}.
 * The client depends on no JSON library; plug in yours (docs/CLIENT.md, "Codecs"):
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper();
 * Codec<Order> orders = Codec.of(mapper::writeValueAsBytes, b -> mapper.readValue(b, Order.class));
 * client.put("order:1", order, orders);
 * Optional<Order> o = client.get("order:1").map(v -> v.value(orders));
 * }</pre>
 *
 * @param <T> the type of the values
 */
public interface Codec<T> {
    /** The bytes that stand for {@code value}. */
    byte[] encode(T value);

    /** The value these bytes stand for. */
    T decode(byte[] bytes);

    /** Strings as UTF-8 (decoding replaces malformed input, as {@link String#String(byte[], java.nio.charset.Charset)} does). */
    static Codec<String> utf8() {
        return of(s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));
    }

    /**
     * A codec from two functions that may throw checked exceptions (a JSON mapper's
     * {@code writeValueAsBytes}, {@code readValue}); a failure surfaces as {@link CodecException}
     * before anything is sent, or when the value is read.
     */
    static <T> Codec<T> of(Encoder<T> encoder, Decoder<T> decoder) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                Objects.requireNonNull(value, "value");
                try {
                    return Objects.requireNonNull(encoder.encode(value), "the encoder returned null");
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CodecException("cannot encode " + value.getClass().getName() + ": " + e.getMessage(), e);
                }
            }

            @Override
            public T decode(byte[] bytes) {
                Objects.requireNonNull(bytes, "bytes");
                try {
                    return decoder.decode(bytes);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CodecException("cannot decode " + bytes.length + " bytes: " + e.getMessage(), e);
                }
            }
        };
    }

    /** Encodes a value; may throw any exception. */
    @FunctionalInterface
    interface Encoder<T> {
        byte[] encode(T value) throws Exception;
    }

    /** Decodes bytes; may throw any exception. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(byte[] bytes) throws Exception;
    }

    /** A value could not be encoded or decoded; nothing was sent. */
    final class CodecException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public CodecException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

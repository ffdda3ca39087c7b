package io.chainring.client.internal;

import java.util.Objects;

/**
 * The result of one attempt: a value or a classified failure.
 *
 * @param value   the answer, when {@code failure} is null
 * @param failure what went wrong, or null
 * @param <T>     the answer's type
 */
public record Attempt<T>(T value, Failure failure) {
    public static <T> Attempt<T> ok(T value) {
        return new Attempt<>(value, null);
    }

    public static <T> Attempt<T> failed(Failure failure) {
        return new Attempt<>(null, Objects.requireNonNull(failure, "failure"));
    }

    public boolean ok() {
        return failure == null;
    }
}

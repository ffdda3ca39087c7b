package io.chainring.cli.netfault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What happens to the bytes flowing one way over a link (from A to B): added delay with jitter,
 * loss, resets, a bandwidth cap, or a full cut. Immutable; {@link #NONE} forwards untouched.
 *
 * <p>Loss acts as packet loss acts on TCP: nothing is dropped from the stream (TCP retransmits),
 * but a lost segment stalls it for a retransmission timeout, and everything behind it waits (head
 * of line). A reset is the other face of a bad link: the connection dies (RST) and the call on it
 * fails with an unknown outcome.
 *
 * @param delay          added one-way delay of every chunk
 * @param jitter         each chunk's delay is {@code delay ± jitter}, uniform (never below zero; order is kept)
 * @param loss           probability (0..1) that a chunk is "lost" and retransmitted after {@code rto}
 * @param rto            retransmission timeout a lost chunk costs
 * @param reset          probability (0..1) that a chunk kills its connection instead
 * @param bytesPerSecond bandwidth cap of the direction, per connection; 0 = none
 * @param cut            every byte is dropped and new connections never reach the target (a partition)
 */
public record LinkFault(Duration delay, Duration jitter, double loss, Duration rto, double reset, long bytesPerSecond,
                        boolean cut) {
    /** Linux's minimum TCP retransmission timeout. */
    public static final Duration DEFAULT_RTO = Duration.ofMillis(200);
    /** No fault: bytes pass as they come. */
    public static final LinkFault NONE = new LinkFault(Duration.ZERO, Duration.ZERO, 0, DEFAULT_RTO, 0, 0, false);
    /** Everything dropped. */
    public static final LinkFault CUT = NONE.withCut(true);

    public LinkFault {
        requireNonNegative(delay, "delay");
        requireNonNegative(jitter, "jitter");
        requireNonNegative(rto, "rto");
        requireProbability(loss, "loss");
        requireProbability(reset, "reset");
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + bytesPerSecond);
        }
    }

    /** A delay of {@code delay ± jitter}. */
    public static LinkFault delay(Duration delay, Duration jitter) {
        return new LinkFault(delay, jitter, 0, DEFAULT_RTO, 0, 0, false);
    }

    public LinkFault withCut(boolean value) {
        return new LinkFault(delay, jitter, loss, rto, reset, bytesPerSecond, value);
    }

    /** Whether this fault does anything at all. */
    public boolean isNone() {
        return equals(NONE);
    }

    /** Whether chunks are held back (delay, jitter, loss or a rate cap), so they go through the delivery queue. */
    boolean delays() {
        return !delay.isZero() || !jitter.isZero() || loss > 0 || bytesPerSecond > 0;
    }

    /** The delay of one chunk in nanoseconds: {@code delay ± jitter}, plus {@code rto} when it is lost. */
    long sampleDelayNanos(ThreadLocalRandom random) {
        long d = delay.toNanos();
        long j = jitter.toNanos();
        if (j > 0) {
            d += random.nextLong(-j, j + 1);
        }
        if (loss > 0 && random.nextDouble() < loss) {
            d += rto.toNanos();
        }
        return Math.max(0, d);
    }

    /**
     * Parses a comma-separated spec: {@code delay=5ms}, {@code jitter=1ms}, {@code loss=5%} (or
     * {@code 0.05}), {@code rto=200ms}, {@code reset=1%}, {@code rate=1MB} (bytes per second; KB,
     * MB, KiB, MiB), {@code cut}, or {@code none}. Durations take {@code us}, {@code ms} or {@code s}.
     *
     * @throws IllegalArgumentException naming the part it cannot read
     */
    public static LinkFault parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        Duration delay = Duration.ZERO;
        Duration jitter = Duration.ZERO;
        Duration rto = DEFAULT_RTO;
        double loss = 0;
        double reset = 0;
        long rate = 0;
        boolean cut = false;
        for (String raw : spec.split(",")) {
            String part = raw.trim().toLowerCase(Locale.ROOT);
            if (part.isEmpty() || part.equals("none")) {
                continue;
            }
            if (part.equals("cut") || part.equals("partition")) {
                cut = true;
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected name=value, cut or none in link fault '" + spec + "', got '" + raw.trim() + "'");
            }
            String name = part.substring(0, eq);
            String value = part.substring(eq + 1);
            switch (name) {
                case "delay" -> delay = duration(value);
                case "jitter" -> jitter = duration(value);
                case "rto" -> rto = duration(value);
                case "loss" -> loss = probability(value);
                case "reset" -> reset = probability(value);
                case "rate" -> rate = bytes(value);
                default -> throw new IllegalArgumentException("unknown link fault '" + name
                        + "' (delay, jitter, loss, rto, reset, rate, cut, none)");
            }
        }
        return new LinkFault(delay, jitter, loss, rto, reset, rate, cut);
    }

    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (cut) {
            parts.add("cut");
        }
        if (!delay.isZero() || !jitter.isZero()) {
            parts.add("delay=" + millis(delay) + (jitter.isZero() ? "" : "±" + millis(jitter)));
        }
        if (loss > 0) {
            parts.add(String.format(Locale.ROOT, "loss=%.3g%%", loss * 100) + (rto.equals(DEFAULT_RTO) ? "" : "(rto " + millis(rto) + ")"));
        }
        if (reset > 0) {
            parts.add(String.format(Locale.ROOT, "reset=%.3g%%", reset * 100));
        }
        if (bytesPerSecond > 0) {
            parts.add("rate=" + bytesPerSecond + "B/s");
        }
        return String.join(",", parts);
    }

    private static String millis(Duration d) {
        return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : (d.toNanos() / 1000) + "us";
    }

    private static Duration duration(String v) {
        try {
            if (v.endsWith("us")) {
                return Duration.ofNanos(Long.parseLong(v.substring(0, v.length() - 2)) * 1000);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + v + "' (e.g. 5ms, 300us, 1s)", e);
        }
        throw new IllegalArgumentException("not a duration: '" + v + "' (e.g. 5ms, 300us, 1s)");
    }

    private static double probability(String v) {
        try {
            double p = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100 : Double.parseDouble(v);
            requireProbability(p, "probability");
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a probability: '" + v + "' (e.g. 5% or 0.05)", e);
        }
    }

    private static long bytes(String v) {
        String[][] units = {{"kib", "1024"}, {"mib", "1048576"}, {"kb", "1000"}, {"mb", "1000000"}, {"b", "1"}};
        try {
            for (String[] u : units) {
                if (v.endsWith(u[0])) {
                    return Math.round(Double.parseDouble(v.substring(0, v.length() - u[0].length())) * Long.parseLong(u[1]));
                }
            }
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a byte rate: '" + v + "' (e.g. 1MB, 512KiB, 100000)", e);
        }
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }

    private static void requireProbability(double p, String name) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1: " + p);
        }
    }
}

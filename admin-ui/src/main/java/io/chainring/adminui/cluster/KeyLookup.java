package io.chainring.adminui.cluster;

import io.chainring.client.ChainringClient;
import io.chainring.client.RingSnapshot;
import io.chainring.client.Versioned;
import io.chainring.ring.KeyHasher;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Looks a key up for an operator: which partition it maps to (DESIGN §5), that partition's chain
 * and the value with its version, read through the smart client (linearizable). Values are shown
 * as text when they are valid UTF-8 and always as hex, cut at {@link #MAX_SHOWN_BYTES}.
 */
public final class KeyLookup {
    /** Show at most this much of a value (values may be up to 1 MiB). */
    public static final int MAX_SHOWN_BYTES = 4096;

    /**
     * The answer.
     *
     * @param key        the key as given
     * @param keyHex     the key's bytes in hex
     * @param partition  the partition it maps to
     * @param chain      that partition's chain, head first, as the controller's ring has it
     * @param chainEpoch the epoch at which the chain last changed
     * @param found      whether a value exists
     * @param version    its version (0 when absent)
     * @param valueBytes its length
     * @param valueText  the shown part as text, or null when it is not valid UTF-8
     * @param valueHex   the shown part in hex
     * @param truncated  whether the value is longer than what is shown
     */
    public record Result(String key, String keyHex, int partition, List<String> chain, long chainEpoch, boolean found,
                         long version, int valueBytes, String valueText, String valueHex, boolean truncated) {
        public Result {
            chain = List.copyOf(chain);
        }
    }

    private final Supplier<ChainringClient> client;

    public KeyLookup(Supplier<ChainringClient> client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * @param key  the key as typed
     * @param hex  whether {@code key} is hex digits for the key's bytes
     * @param ring the ring to name the chain from
     * @throws IllegalArgumentException when the key is empty or not valid hex
     * @throws io.chainring.client.ChainringException when the cluster cannot answer
     */
    public Result lookup(String key, boolean hex, RingSnapshot ring) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ring, "ring");
        byte[] bytes = hex ? parseHex(key) : key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the key is empty; type a key (1..1024 bytes)");
        }
        int partition = KeyHasher.partitionOf(bytes, ring.partitionCount());
        RingSnapshot.PartitionChain chain = ring.partitions().stream().filter(p -> p.id() == partition).findFirst()
                .orElse(new RingSnapshot.PartitionChain(partition, List.of(), 0));
        Optional<Versioned> v = client.get().get(bytes);
        String keyHex = HexFormat.of().formatHex(bytes);
        if (v.isEmpty()) {
            return new Result(key, keyHex, partition, chain.chain(), chain.changedAt(), false, 0, 0, null, "", false);
        }
        byte[] value = v.get().value();
        int shown = Math.min(value.length, MAX_SHOWN_BYTES);
        byte[] head = java.util.Arrays.copyOf(value, shown);
        return new Result(key, keyHex, partition, chain.chain(), chain.changedAt(), true, v.get().version(), value.length,
                textOrNull(head, shown < value.length), HexFormat.of().formatHex(head), shown < value.length);
    }

    private static byte[] parseHex(String s) {
        String digits = s.replaceAll("\\s+", "");
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not valid hex (pairs of 0-9, a-f): " + e.getMessage());
        }
    }

    /** UTF-8 text, or null for binary; a value cut mid-character still reads as text up to the cut. */
    static String textOrNull(byte[] bytes, boolean cut) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, true);
        if (result.isError() && !(cut && result.isMalformed() && in.remaining() < 4)) {
            return null;
        }
        out.flip();
        String text = out.toString();
        // control characters other than tab/newline mean binary to a person
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                return null;
            }
        }
        return text;
    }
}

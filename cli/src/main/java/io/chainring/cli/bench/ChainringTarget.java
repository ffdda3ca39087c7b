package io.chainring.cli.bench;

import io.chainring.client.ChainringClient;
import io.chainring.client.ReadLevel;
import io.chainring.client.WriteAck;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The store itself, through one shared smart client (as an application would use it). */
public final class ChainringTarget implements BenchTarget {
    private final ChainringClient client;
    private final String seeds;
    private final ReadLevel readLevel;
    private final WriteAck writeAck;

    /**
     * @param threads the bench's worker threads: the client gets at least as many, so that it does
     *                not queue what the workers send
     */
    public ChainringTarget(String seeds, Duration timeout, ReadLevel readLevel, WriteAck writeAck, int threads) {
        this.seeds = seeds;
        this.readLevel = readLevel;
        this.writeAck = writeAck;
        this.client = ChainringClient.builder().seeds(seeds).timeout(timeout).readLevel(readLevel).writeAck(writeAck)
                .threads(Math.max(16, threads + 4)).build();
    }

    @Override
    public String describe() {
        return "chainring at " + seeds + " (ring epoch " + client.ring().epoch() + ", " + client.ring().partitionCount()
                + " partitions, replication " + client.ring().replication() + "), read level " + readLevel + ", write ack " + writeAck;
    }

    @Override
    public Session session() {
        return new Session() {
            @Override
            public void read(byte[] key) {
                client.get(key, readLevel);
            }

            @Override
            public void update(byte[] key, byte[] value) {
                client.put(key, value, writeAck);
            }

            @Override
            public void load(List<byte[]> keys, byte[] value) {
                Map<byte[], byte[]> batch = new IdentityHashMap<>();
                keys.forEach(k -> batch.put(k, value));
                client.putAll(batch);
            }
        };
    }

    @Override
    public void close() {
        client.close();
    }
}

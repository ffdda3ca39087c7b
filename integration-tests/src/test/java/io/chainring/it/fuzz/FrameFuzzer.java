package io.chainring.it.fuzz;

import io.chainring.thrift.AckBatch;
import io.chainring.thrift.ControllerAdminService;
import io.chainring.thrift.KeyValue;
import io.chainring.thrift.KvService;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.PartitionAck;
import io.chainring.thrift.PlanAction;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.ReplicateBatch;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.ReplicationService;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TMemoryBuffer;

/**
 * Makes request frames for fuzzing (issue 12 item 9), from one seeded {@link Random}: a valid
 * multiplexed call of a served method with field values drawn from edge cases (empty, huge,
 * negative, out of range), encoded by libthrift's own generated clients, then — for half of
 * them — raw byte mutations of the encoded message (bit flips, interesting bytes and ints,
 * inserted, deleted, duplicated and cut ranges). The length prefix is always the true length:
 * a lying length is a stalled frame, covered by the frame timeout's own tests.
 */
final class FrameFuzzer {
    /** Which port a frame is for. */
    enum Target { DATANODE, CONTROLLER }

    private static final long[] LONGS = {0, 1, -1, 2, 7, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, 1L << 40};
    private static final int[] INTS = {0, 1, -1, 15, 16, 63, 64, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7fff, 0x10000};
    private static final byte[] BYTES = {0, 1, -1, 0x7f, (byte) 0x80, 0x0b, 0x0c, 0x0d, 0x0f};

    private final Random random;
    private final long ringEpoch;

    FrameFuzzer(long seed, long ringEpoch) {
        this.random = new Random(seed);
        this.ringEpoch = ringEpoch;
    }

    /** One frame (length prefix included) for the target. */
    byte[] next(Target target) {
        byte[] body;
        if (random.nextInt(50) == 0) {
            body = randomBytes(random.nextInt(300));
        } else {
            body = target == Target.DATANODE ? datanodeCall() : controllerCall();
            if (random.nextBoolean()) {
                body = mutate(body);
            }
        }
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private byte[] datanodeCall() {
        return encode(p -> {
            switch (random.nextInt(16)) {
                case 0 -> kv(p).send_ring();
                case 1, 2 -> kv(p).send_get(epoch(), key(), readLevel());
                case 3, 4 -> kv(p).send_put(epoch(), key(), value(), writeAck());
                case 5 -> kv(p).send_remove(epoch(), key(), writeAck());
                case 6 -> kv(p).send_compareAndSet(epoch(), key(), value(), someLong(), text());
                case 7 -> kv(p).send_multiGet(epoch(), keys(), readLevel());
                case 8 -> kv(p).send_multiPut(epoch(), entries(), writeAck());
                case 9 -> kv(p).send_scan(epoch(), someInt(), key(), someInt());
                case 10 -> admin(p).send_stats();
                case 11 -> admin(p).send_snapshot(epoch(), someInt(), key(), someInt());
                case 12 -> replication(p).send_replicate(batch());
                case 13 -> replication(p).send_ack(new AckBatch(nodeId(), epoch(), acks()));
                case 14 -> replication(p).send_catchUp(epoch(), nodeId(), someInt(), key(), someInt(), someLong());
                default -> {
                    if (random.nextBoolean()) {
                        replication(p).send_tailGet(epoch(), someInt(), key());
                    } else {
                        replication(p).send_handoff(epoch(), someInt());
                    }
                }
            }
        });
    }

    private byte[] controllerCall() {
        return encode(p -> {
            ControllerAdminService.Client c = new ControllerAdminService.Client(new TMultiplexedProtocol(p, "controller-admin"));
            switch (random.nextInt(8)) {
                case 0 -> c.send_status();
                case 1 -> c.send_ring();
                case 2 -> c.send_migrations();
                case 3 -> c.send_previewPlan(planAction(), nodeIds());
                case 4 -> c.send_executePlan(text(), planAction(), nodeIds(), text());
                case 5 -> c.send_setThrottle(text(), someLong());
                case 6 -> c.send_pausePlan(text());
                default -> c.send_cancelPlan(text());
            }
        });
    }

    /** A call written by a generated client. */
    @FunctionalInterface
    private interface Call {
        void write(TProtocol protocol) throws TException;
    }

    private byte[] encode(Call call) {
        TMemoryBuffer buffer;
        try {
            buffer = new TMemoryBuffer(256);
            call.write(new TBinaryProtocol(buffer));
        } catch (TException | RuntimeException unencodable) {
            return randomBytes(16); // e.g. a required field left null: send noise instead
        }
        return Arrays.copyOf(buffer.getArray(), buffer.length());
    }

    private byte[] mutate(byte[] in) {
        byte[] b = in;
        int ops = 1 + random.nextInt(4);
        for (int i = 0; i < ops && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = BYTES[random.nextInt(BYTES.length)];
                case 2 -> { // an i32 (a length, a count, a field id) set to an edge value
                    if (at + 4 <= b.length) {
                        ByteBuffer.wrap(b).putInt(at, INTS[random.nextInt(INTS.length)]);
                    }
                }
                case 3 -> { // insert
                    byte[] extra = randomBytes(1 + random.nextInt(8));
                    byte[] out = new byte[b.length + extra.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(extra, 0, out, at, extra.length);
                    System.arraycopy(b, at, out, at + extra.length, b.length - at);
                    b = out;
                }
                case 4 -> { // delete
                    int n = Math.min(b.length - at, 1 + random.nextInt(8));
                    byte[] out = new byte[b.length - n];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + n, out, at, b.length - at - n);
                    b = out;
                }
                case 5 -> { // duplicate a range
                    int n = Math.min(b.length - at, 1 + random.nextInt(32));
                    byte[] out = new byte[b.length + n];
                    System.arraycopy(b, 0, out, 0, at + n);
                    System.arraycopy(b, at, out, at + n, b.length - at);
                    b = out;
                }
                default -> b = Arrays.copyOf(b, at); // cut
            }
        }
        return b;
    }

    private static KvService.Client kv(TProtocol p) {
        return new KvService.Client(new TMultiplexedProtocol(p, "kv"));
    }

    private static NodeAdminService.Client admin(TProtocol p) {
        return new NodeAdminService.Client(new TMultiplexedProtocol(p, "node-admin"));
    }

    private static ReplicationService.Client replication(TProtocol p) {
        return new ReplicationService.Client(new TMultiplexedProtocol(p, "replication"));
    }

    private ReplicateBatch batch() {
        List<ReplicatedWrite> writes = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            ReplicatedWrite w = new ReplicatedWrite(someInt(), someLong(), key());
            if (random.nextBoolean()) {
                w.setValue(value());
            }
            writes.add(w);
        }
        ReplicateBatch batch = new ReplicateBatch(nodeId(), epoch(), writes);
        if (random.nextBoolean()) {
            batch.setCommittedLsn(Map.of(someInt(), someLong()));
            batch.setAppliedLsn(Map.of(someInt(), someLong()));
        }
        return batch;
    }

    private List<PartitionAck> acks() {
        Map<String, Long> applied = new HashMap<>();
        applied.put(nodeId(), someLong());
        return List.of(new PartitionAck(someInt(), applied));
    }

    private long epoch() {
        return random.nextInt(3) == 0 ? someLong() : ringEpoch + random.nextInt(3) - 1;
    }

    private long someLong() {
        return random.nextBoolean() ? LONGS[random.nextInt(LONGS.length)] : random.nextLong();
    }

    private int someInt() {
        return random.nextBoolean() ? INTS[random.nextInt(INTS.length)] : random.nextInt(64);
    }

    private ByteBuffer key() {
        int length = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 1024 + random.nextInt(2);
            case 2 -> random.nextInt(4096);
            default -> 1 + random.nextInt(32);
        };
        byte[] k = randomBytes(length);
        if (length >= 5) {
            System.arraycopy("fuzz-".getBytes(StandardCharsets.US_ASCII), 0, k, 0, 5); // never one of the test's own keys
        }
        return ByteBuffer.wrap(k);
    }

    private ByteBuffer value() {
        int length = random.nextInt(200) == 0 ? (1 << 20) + 1 : random.nextInt(256);
        return ByteBuffer.wrap(randomBytes(length));
    }

    private List<ByteBuffer> keys() {
        List<ByteBuffer> out = new ArrayList<>();
        int n = random.nextInt(20);
        for (int i = 0; i < n; i++) {
            out.add(key());
        }
        return out;
    }

    private List<KeyValue> entries() {
        List<KeyValue> out = new ArrayList<>();
        int n = random.nextInt(20);
        for (int i = 0; i < n; i++) {
            out.add(new KeyValue(key(), value()));
        }
        return out;
    }

    private ReadLevel readLevel() {
        return ReadLevel.values()[random.nextInt(ReadLevel.values().length)];
    }

    private WriteAck writeAck() {
        return WriteAck.values()[random.nextInt(WriteAck.values().length)];
    }

    private PlanAction planAction() {
        return PlanAction.values()[random.nextInt(PlanAction.values().length)];
    }

    private String nodeId() {
        return switch (random.nextInt(4)) {
            case 0 -> "n1";
            case 1 -> "fuzz";
            case 2 -> "";
            default -> text();
        };
    }

    private List<String> nodeIds() {
        List<String> out = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            out.add(nodeId());
        }
        return out;
    }

    private String text() {
        int n = random.nextInt(40);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.appendCodePoint(random.nextInt(8) == 0 ? 0x80 + random.nextInt(0x2000) : 0x20 + random.nextInt(0x5f));
        }
        return s.toString();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}

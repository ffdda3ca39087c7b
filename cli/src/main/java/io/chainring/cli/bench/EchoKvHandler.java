package io.chainring.cli.bench;

import io.chainring.thrift.GetResult;
import io.chainring.thrift.KeyValue;
import io.chainring.thrift.KvService;
import io.chainring.thrift.MultiGetResult;
import io.chainring.thrift.MultiPutResult;
import io.chainring.thrift.PutResult;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.RemoveResult;
import io.chainring.thrift.ScanResult;
import io.chainring.thrift.TRing;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code kv} service doing no work: a put is answered at once, a get answers a value of the
 * bench's size. The same messages cross the same transport as with a datanode, so this measures
 * the Thrift and loopback floor under the store.
 */
final class EchoKvHandler implements KvService.Iface {
    private final ByteBuffer value;

    EchoKvHandler(int valueSize) {
        this.value = ByteBuffer.wrap(new byte[valueSize]).asReadOnlyBuffer();
    }

    @Override
    public TRing ring() {
        return new TRing("echo", 1, 1, 1, Collections.emptyList(), Collections.emptyList());
    }

    @Override
    public GetResult get(long ringEpoch, ByteBuffer key, ReadLevel level) {
        GetResult r = new GetResult(true, 1, 1);
        r.setValue(value.duplicate());
        return r;
    }

    @Override
    public PutResult put(long ringEpoch, ByteBuffer key, ByteBuffer value, WriteAck ack) {
        return new PutResult(1, 1);
    }

    @Override
    public RemoveResult remove(long ringEpoch, ByteBuffer key, WriteAck ack) {
        return new RemoveResult(false, 0, 1);
    }

    @Override
    public PutResult compareAndSet(long ringEpoch, ByteBuffer key, ByteBuffer value, long expectedVersion, String requestId) {
        return new PutResult(1, 1);
    }

    @Override
    public MultiGetResult multiGet(long ringEpoch, List<ByteBuffer> keys, ReadLevel level) {
        List<GetResult> results = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            results.add(get(ringEpoch, keys.get(i), level));
        }
        return new MultiGetResult(results, 1);
    }

    @Override
    public MultiPutResult multiPut(long ringEpoch, List<KeyValue> entries, WriteAck ack) {
        return new MultiPutResult(Collections.nCopies(entries.size(), 1L), 1);
    }

    @Override
    public ScanResult scan(long ringEpoch, int partition, ByteBuffer startAfter, int limit) {
        return new ScanResult(Collections.emptyList(), true, 1);
    }
}

package io.chainring.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.thrift.KvService;
import io.chainring.thrift.ReadLevel;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the per-connection limits (frame size, frame timeout, connections per address) bound
 * one connection; many connections each holding most of a large frame could still take the heap
 * until their frame timeouts. A server-wide budget for bytes in partial frames closes the
 * connection that would pass it, at once, and the others are served.
 */
class PartialFrameBudgetTest {
    private static final int MAX_FRAME = 1024 * 1024;
    private static final long BUDGET = 1536 * 1024;
    private static final int PARTIAL = 600 * 1024;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void aConnectionThatWouldTakeTheServerPastItsBudgetIsClosedAtOnceAndOthersAreServed() throws Exception {
        ThriftServerTest.HeldKv kv = new ThriftServerTest.HeldKv();
        // a frame timeout far beyond the test, so only the budget can close a connection here
        TransportConfig config = new TransportConfig("127.0.0.1", 0, MAX_FRAME, 1, 4)
                .withFrameTimeout(Duration.ofSeconds(60)).withMaxPartialFrameBytes(BUDGET);
        ThriftServer server = ThriftServer.start(config,
                ThriftServices.builder().async("kv", kv, new KvService.AsyncProcessor<KvService.AsyncIface>(kv).getProcessMapView()).build());
        closing.add(server);

        Socket first = partialFrame(server);
        Socket second = partialFrame(server);
        assertThat(HostileConnectionsTest.closedWithin(first, Duration.ofMillis(500))).isFalse();
        assertThat(HostileConnectionsTest.closedWithin(second, Duration.ofMillis(500))).isFalse();
        Socket third = partialFrame(server); // 3 x 600 KiB > 1.5 MiB
        assertThat(HostileConnectionsTest.closedWithin(third, Duration.ofSeconds(5))).as("the third is cut by the budget").isTrue();
        assertThat(HostileConnectionsTest.closedWithin(first, Duration.ofMillis(200))).isFalse();

        KvService.Client c = client(server);
        assertThat(c.get(7, ByteBuffer.wrap(new byte[] {1}), ReadLevel.ONE).getRingEpoch()).isEqualTo(7);

        // the budget is given back when connections go
        first.close();
        second.close();
        Socket later = partialFrame(server);
        Socket another = partialFrame(server);
        assertThat(HostileConnectionsTest.closedWithin(later, Duration.ofMillis(500))).isFalse();
        assertThat(HostileConnectionsTest.closedWithin(another, Duration.ofMillis(500))).isFalse();
        assertThat(c.get(8, ByteBuffer.wrap(new byte[] {1}), ReadLevel.ONE).getRingEpoch()).isEqualTo(8);
    }

    /** A connection from 127.0.0.2 announcing a whole frame and sending {@link #PARTIAL} bytes of it. */
    private Socket partialFrame(ThriftServer server) throws IOException, InterruptedException {
        Socket s = HostileConnectionsTest.hostile(server, closing);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(MAX_FRAME - 16);
        out.write(new byte[PARTIAL]);
        out.flush();
        Thread.sleep(100); // let the server read it
        return s;
    }

    private KvService.Client client(ThriftServer server) throws Exception {
        return HostileConnectionsTest.kvClient(server, MAX_FRAME, closing);
    }

    @Test
    void theBudgetRefusesGrowthPastItsLimitAndAlwaysTakesBack() {
        PartialFrameBudget b = new PartialFrameBudget(100);
        assertThat(b.recharge(0, 60)).isTrue();
        assertThat(b.recharge(0, 50)).isFalse();
        assertThat(b.heldBytes()).isEqualTo(60);
        assertThat(b.recharge(60, 90)).isTrue();
        assertThat(b.recharge(90, 0)).isTrue();
        assertThat(b.heldBytes()).isZero();
    }
}

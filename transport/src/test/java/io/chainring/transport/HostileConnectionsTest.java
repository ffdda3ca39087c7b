package io.chainring.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.thrift.KvService;
import io.chainring.thrift.ReadLevel;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, defect 2, at the transport: stalled and trickling frames are cut after the frame
 * timeout, an address's connections beyond its limit are refused, and meanwhile everyone else
 * is served — over real loopback connections (the hostile ones from 127.0.0.2).
 */
class HostileConnectionsTest {
    private static final int MAX_FRAME = 16 * 1024 * 1024 + 64 * 1024;
    private static final Duration FRAME_TIMEOUT = Duration.ofMillis(1_500);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private ThriftServer start(int maxPerAddress) throws Exception {
        ThriftServerTest.HeldKv kv = new ThriftServerTest.HeldKv();
        TransportConfig config = new TransportConfig("127.0.0.1", 0, MAX_FRAME, 1, 4)
                .withFrameTimeout(FRAME_TIMEOUT).withMaxConnectionsPerAddress(maxPerAddress);
        ThriftServer server = ThriftServer.start(config,
                ThriftServices.builder().async("kv", kv, new KvService.AsyncProcessor<KvService.AsyncIface>(kv).getProcessMapView()).build());
        closing.add(server);
        return server;
    }

    private KvService.Client client(ThriftServer server) throws Exception {
        return kvClient(server, MAX_FRAME, closing);
    }

    private Socket hostile(ThriftServer server) throws IOException {
        return hostile(server, closing);
    }

    /** A well-behaved kv client, closed with {@code closing}. */
    static KvService.Client kvClient(ThriftServer server, int maxFrame, List<AutoCloseable> closing) throws Exception {
        TFramedTransport t = new TFramedTransport(new TSocket("127.0.0.1", server.port(), 5_000), maxFrame);
        t.open();
        closing.add(t::close);
        return new KvService.Client(new TMultiplexedProtocol(new TBinaryProtocol(t), "kv"));
    }

    /** A raw connection from 127.0.0.2 (another client address than the well-behaved ones). */
    static Socket hostile(ThriftServer server, List<AutoCloseable> closing) throws IOException {
        Socket s = new Socket();
        closing.add(s);
        s.bind(new InetSocketAddress("127.0.0.2", 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        return s;
    }

    @Test
    void fourConnectionsAnnouncing16MiBThenSilenceHoldNothingAndAreCut() throws Exception {
        ThriftServer server = start(64);
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket s = hostile(server);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(16 * 1024 * 1024);
            out.write(new byte[] {(byte) 0x80, 1, 0, 1});
            out.flush();
            stalled.add(s);
        }
        long start = System.nanoTime();
        KvService.Client c = client(server);
        for (int i = 0; i < 20; i++) {
            assertThat(c.get(i, ByteBuffer.wrap(new byte[] {1}), ReadLevel.ONE).getRingEpoch()).isEqualTo(i);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("served while the four stall").isLessThan(FRAME_TIMEOUT);
        for (Socket s : stalled) {
            assertThat(closedWithin(s, FRAME_TIMEOUT.multipliedBy(4))).as("a stalled frame is cut").isTrue();
        }
        assertThat(c.get(99, ByteBuffer.wrap(new byte[] {1}), ReadLevel.ONE).getRingEpoch()).isEqualTo(99);
    }

    @Test
    void aTrickleIsCutThoughBytesKeepComing() throws Exception {
        ThriftServer server = start(64);
        Socket s = hostile(server);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(100);
        long start = System.nanoTime();
        boolean cut = false;
        for (int i = 0; i < 40 && !cut; i++) { // a byte every 200 ms: never idle, never done
            try {
                out.write(i);
                out.flush();
            } catch (SocketException closed) {
                cut = true;
                break;
            }
            cut = closedWithin(s, Duration.ofMillis(200));
        }
        assertThat(cut).as("cut").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FRAME_TIMEOUT.multipliedBy(3));
        assertThat(client(server).get(1, ByteBuffer.wrap(new byte[] {1}), ReadLevel.ONE).isFound()).isTrue();
    }

    @Test
    void connectionsBeyondTheLimitPerAddressAreRefusedAndOthersServed() throws Exception {
        ThriftServer server = start(5);
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            idle.add(hostile(server));
        }
        KvService.Client c = client(server); // another address: not counted with them
        assertThat(c.get(1, ByteBuffer.wrap(new byte[] {1}), ReadLevel.ONE).isFound()).isTrue();
        for (int i = 0; i < idle.size(); i++) {
            assertThat(closedWithin(idle.get(i), Duration.ofMillis(300))).as("connection " + i).isEqualTo(i >= 5);
        }
        // a slot freed is a slot again
        idle.get(0).close();
        Thread.sleep(200);
        Socket again = hostile(server);
        assertThat(closedWithin(again, Duration.ofMillis(300))).isFalse();
    }

    /** Whether the server closes the connection within {@code wait} (reading anything it sends). */
    static boolean closedWithin(Socket s, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                s.setSoTimeout((int) left);
                if (s.getInputStream().read() == -1) {
                    return true;
                }
                if (System.nanoTime() >= deadline) {
                    return false;
                }
            }
        } catch (SocketTimeoutException open) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }
}

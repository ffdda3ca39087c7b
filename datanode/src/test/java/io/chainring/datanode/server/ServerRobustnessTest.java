package io.chainring.datanode.server;

import static io.chainring.datanode.server.TestRings.keyIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import io.chainring.datanode.storage.PartitionNames;
import io.chainring.datanode.storage.StorageConfig;
import io.chainring.ring.Ring;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.WriteAck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad bytes, bad frames and failures inside the server cost one connection or one request, never the server. */
class ServerRobustnessTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 17, 4242})
    void randomGarbageDropsOnlyThatConnection(long seed) throws Exception {
        try (ServerFixture node = new ServerFixture(dir)) {
            byte[] garbage = new byte[70 * 1024]; // longer than the 64 KiB max frame: any frame header it holds is complete
            new Random(seed).nextBytes(garbage);
            try (Socket raw = rawSocket(node)) {
                sendIgnoringReset(raw, garbage);
                assertClosedByServer(raw, "seed " + seed);
            }
            assertStillServes(node);
        }
    }

    @Test
    void hugeFrameLengthIsRefusedWithoutReadingIt() throws Exception {
        try (ServerFixture node = new ServerFixture(dir)) {
            try (Socket raw = rawSocket(node)) {
                // claims a 2 GiB frame; the server must not allocate or wait for it
                sendIgnoringReset(raw, ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
                assertClosedByServer(raw, "2 GiB frame header");
            }
            try (Socket raw = rawSocket(node)) {
                sendIgnoringReset(raw, ByteBuffer.allocate(4).putInt(-5).array());
                assertClosedByServer(raw, "negative frame header");
            }
            assertStillServes(node);
        }
    }

    @Test
    void aWellFramedButMeaninglessRequestDropsOnlyThatConnection() throws Exception {
        try (ServerFixture node = new ServerFixture(dir)) {
            byte[] payload = "this is not a thrift message".getBytes(StandardCharsets.US_ASCII);
            try (Socket raw = rawSocket(node)) {
                sendIgnoringReset(raw, ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array());
                assertClosedByServer(raw, "garbage frame");
            }
            assertStillServes(node);
        }
    }

    @Test
    void anOversizedFrameFromARealClientFailsThatCallOnly() throws Exception {
        try (ServerFixture node = new ServerFixture(dir); ThriftTestClient big = node.client()) {
            Ring ring = node.ring;
            // 100 KiB value: over the 64 KiB frame limit, so the server drops the connection unread
            assertThatThrownBy(() -> big.kv.put(ring.epoch(), ByteBuffer.wrap(keyIn(ring, 0, 0)), ByteBuffer.wrap(new byte[100 * 1024]), WriteAck.ALL))
                    .isInstanceOf(TTransportException.class);
            assertStillServes(node);
            assertThat(node.storage.partition(0).lastLsn()).isZero();
        }
    }

    @Test
    void aStalledHalfFrameDoesNotBlockOtherClients() throws Exception {
        try (ServerFixture node = new ServerFixture(dir); Socket stalled = rawSocket(node)) {
            stalled.getOutputStream().write(new byte[] {0, 0});
            stalled.getOutputStream().flush();
            assertStillServes(node);
        }
    }

    @Test
    void manyConnectionsAreServedByFewThreads() throws Exception {
        try (ServerFixture node = new ServerFixture(dir)) {
            List<ThriftTestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 150; i++) {
                    clients.add(node.client());
                }
                Ring ring = node.ring;
                for (int i = 0; i < clients.size(); i++) {
                    byte[] key = keyIn(ring, i % 4, i / 4);
                    clients.get(i).kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(new byte[] {(byte) i}), WriteAck.ALL);
                }
                for (int i = 0; i < clients.size(); i++) {
                    byte[] key = keyIn(ring, i % 4, i / 4);
                    assertThat(clients.get(i).kv.get(ring.epoch(), ByteBuffer.wrap(key), ReadLevel.ONE).getValue())
                            .containsExactly((byte) i);
                }
            } finally {
                clients.forEach(ThriftTestClient::close);
            }
        }
    }

    @Test
    void anUnexpectedFailureBecomesAnApplicationErrorAndTheServerGoesOn() throws Exception {
        Ring ring = TestRings.ring(0);
        byte[] key = keyIn(ring, 0, 0);
        writeCorruptRecord(dir, 0, key);
        try (ServerFixture node = new ServerFixture(dir); ThriftTestClient client = node.client()) {
            assertThatThrownBy(() -> client.kv.get(ring.epoch(), ByteBuffer.wrap(key), ReadLevel.ONE))
                    .isInstanceOfSatisfying(TApplicationException.class, e -> {
                        assertThat(e.getType()).isEqualTo(TApplicationException.INTERNAL_ERROR);
                        assertThat(e.getMessage()).contains("get");
                    });
            // the same connection and the same partition keep working for other keys
            byte[] other = keyIn(ring, 0, 1);
            assertThat(client.kv.put(ring.epoch(), ByteBuffer.wrap(other), ByteBuffer.wrap(new byte[] {1}), WriteAck.ALL).getVersion()).isEqualTo(1);
            assertStillServes(node);
        }
    }

    @Test
    void aFullDiskRefusesWritesAsUnavailableAndStillServesReads() throws Exception {
        StorageConfig config = StorageConfig.defaults(dir).withDiskLimits(3L * 1024 * 1024, 0);
        try (ServerFixture node = new ServerFixture(config, ServerFixture.LIMITS); ThriftTestClient client = node.client()) {
            Ring ring = node.ring;
            long epoch = ring.epoch();
            byte[] first = keyIn(ring, 0, 0);
            client.kv.put(epoch, ByteBuffer.wrap(first), ByteBuffer.wrap(new byte[] {7}), WriteAck.ALL);
            Unavailable refused = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 1; refused == null && System.nanoTime() < deadline; i++) {
                try {
                    client.kv.put(epoch, ByteBuffer.wrap(keyIn(ring, 1, i % 50)), ByteBuffer.wrap(new byte[4096]), WriteAck.ALL);
                } catch (Unavailable e) {
                    refused = e;
                }
            }
            assertThat((Object) refused).as("writes are refused once the disk limit is reached").isNotNull();
            assertThat(refused.getMessage()).contains("disk limit");
            assertThat(client.kv.get(epoch, ByteBuffer.wrap(first), ReadLevel.ONE).getValue()).containsExactly(7);
        }
    }

    private static void writeCorruptRecord(Path dir, int partition, byte[] key) {
        EnvironmentConfig ec = new EnvironmentConfig().setAllowCreate(true).setTransactional(true);
        ec.setConfigParam(EnvironmentConfig.STATS_COLLECT, "false");
        ec.setConfigParam(EnvironmentConfig.FILE_LOGGING_LEVEL, "OFF");
        Environment env = new Environment(dir.toFile(), ec);
        try {
            Database db = env.openDatabase(null, PartitionNames.databaseName(partition),
                    new DatabaseConfig().setAllowCreate(true).setTransactional(true));
            db.put(null, new DatabaseEntry(key), new DatabaseEntry(new byte[] {1, 2, 3}));
            db.close();
        } finally {
            env.close();
        }
    }

    private static Socket rawSocket(ServerFixture node) throws IOException {
        Socket s = new Socket("127.0.0.1", node.server.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void sendIgnoringReset(Socket s, byte[] bytes) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the server may drop us while we are still writing: that is the expected outcome
        }
    }

    /** The server closed (or reset) the connection within the socket timeout. */
    private static void assertClosedByServer(Socket s, String what) throws IOException {
        InputStream in = s.getInputStream();
        try {
            byte[] buf = new byte[1024];
            for (int i = 0; i < 1000; i++) {
                if (in.read(buf) < 0) {
                    return;
                }
            }
            fail(what + ": server kept answering bytes instead of closing");
        } catch (SocketTimeoutException e) {
            fail(what + ": server kept the connection open for 10 s");
        } catch (IOException e) {
            // connection reset: closed by the server
        }
    }

    private static void assertStillServes(ServerFixture node) throws Exception {
        try (ThriftTestClient client = node.client()) {
            Ring ring = node.ring;
            byte[] key = keyIn(ring, 2, 99);
            long version = client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(new byte[] {42}), WriteAck.ALL).getVersion();
            assertThat(client.kv.get(ring.epoch(), ByteBuffer.wrap(key), ReadLevel.ONE).getVersion()).isEqualTo(version);
        }
    }
}

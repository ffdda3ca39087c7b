package io.chainring.datanode.server;

import static io.chainring.datanode.server.TestRings.keyIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.Ring;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.WriteAck;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 #8: a request nested thousands of levels deep costs its connection and one short log line, not a stack overflow. */
class NestedRequestTest {
    @TempDir
    Path dir;

    @Test
    void aDeeplyNestedRequestIsRefusedWithAShortLogAndTheServerGoesOn() throws Exception {
        try (ServerFixture node = new ServerFixture(dir); Captured logs = new Captured()) {
            try (Socket raw = new Socket("127.0.0.1", node.server.port())) {
                raw.setSoTimeout(10_000);
                OutputStream out = raw.getOutputStream();
                out.write(nestedGet(15_000));
                out.flush();
                drain(raw.getInputStream());
            }
            try (ThriftTestClient client = node.client()) {
                Ring ring = node.ring;
                byte[] key = keyIn(ring, 1, 7);
                long v = client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(new byte[] {1}), WriteAck.ALL).getVersion();
                assertThat(client.kv.get(ring.epoch(), ByteBuffer.wrap(key), ReadLevel.ONE).getVersion()).isEqualTo(v);
            }
            assertThat(logs.events).as("the refusal is logged").isNotEmpty();
            for (LogEvent e : logs.events) {
                String text = e.getMessage().getFormattedMessage() + (e.getThrown() == null ? "" : " " + e.getThrown());
                assertThat(e.getThrown() == null ? 0 : e.getThrown().getStackTrace().length).as("stack frames logged: " + text).isZero();
                assertThat(e.getThrown() == null ? null : e.getThrown().getCause()).as(text).isNull();
                assertThat(text.length()).isLessThan(1000);
            }
            assertThat(logs.events).as("no error logged").noneMatch(e -> e.getLevel().isMoreSpecificThan(Level.ERROR));
        }
    }

    /** A framed binary {@code kv:get} call whose argument struct holds an unknown struct field nested {@code depth} deep. */
    private static byte[] nestedGet(int depth) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        d.writeInt(0x80010001); // strict binary, CALL
        byte[] name = "kv:get".getBytes(StandardCharsets.US_ASCII);
        d.writeInt(name.length);
        d.write(name);
        d.writeInt(1);
        for (int i = 0; i < depth; i++) {
            d.writeByte(12); // STRUCT
            d.writeShort(99);
        }
        for (int i = 0; i <= depth; i++) {
            d.writeByte(0); // STOP
        }
        d.flush();
        byte[] payload = body.toByteArray();
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    private static void drain(InputStream in) {
        try {
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // the answer or the close, either is fine
            }
        } catch (IOException e) {
            // reset or timeout: the server dropped or ignored us
        }
    }

    /** Every log event of the server while open. */
    private static final class Captured extends AbstractAppender implements AutoCloseable {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        Captured() {
            super("captured", null, null, true, Property.EMPTY_ARRAY);
            start();
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().getRootLogger().addAppender(this, Level.ALL, null);
            ctx.getConfiguration().getLoggerConfig("org.apache.thrift").addAppender(this, Level.ALL, null);
            ctx.updateLoggers();
        }

        @Override
        public void append(LogEvent event) {
            events.add(event.toImmutable());
        }

        @Override
        public void close() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().getRootLogger().removeAppender(getName());
            ctx.getConfiguration().getLoggerConfig("org.apache.thrift").removeAppender(getName());
            ctx.updateLoggers();
            stop();
        }
    }
}

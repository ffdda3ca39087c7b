package io.chainring.it.fuzz;

import io.chainring.transport.MemberHandshake;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;

/**
 * One fuzzing connection to a Thrift port. Each fuzzed frame is followed by a sentinel call with
 * its own sequence id, and answers are read until the sentinel's: so a frame the server answers,
 * one it does not (a oneway message) and one that closes the connection are all told apart
 * without waiting on timeouts. Reconnects (re-proving membership if it has credentials) after a close.
 */
final class FuzzConnection implements AutoCloseable {
    /** Outcome of one fuzzed frame. */
    enum Outcome { ANSWERED, CLOSED, HUNG }

    private final int port;
    private final Optional<MemberHandshake.Credentials> credentials;
    private final String sentinelService;
    private final int readTimeoutMillis;
    private Socket socket;
    private DataInputStream in;
    private DataOutputStream out;
    private int sentinelSeq = 1 << 30;

    FuzzConnection(int port, Optional<MemberHandshake.Credentials> credentials, String sentinelService, int readTimeoutMillis) {
        this.port = port;
        this.credentials = credentials;
        this.sentinelService = sentinelService;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    Outcome send(byte[] frame) throws IOException {
        if (socket == null) {
            open();
        }
        int seq = ++sentinelSeq;
        try {
            out.write(frame);
            out.write(sentinel(seq));
            out.flush();
            while (true) {
                int length = in.readInt();
                if (length < 0 || length > (32 << 20)) {
                    throw new IOException("answer frame of " + length + " bytes");
                }
                byte[] body = new byte[length];
                in.readFully(body);
                if (answerSeq(body) == seq) {
                    return Outcome.ANSWERED;
                }
            }
        } catch (SocketTimeoutException e) {
            close();
            return Outcome.HUNG;
        } catch (IOException e) {
            close();
            return Outcome.CLOSED;
        }
    }

    private void open() throws IOException {
        TSocket t;
        try {
            t = new TSocket("127.0.0.1", port, readTimeoutMillis);
        } catch (TTransportException e) {
            throw new IOException("cannot make a socket for port " + port + ": " + e.getMessage(), e);
        }
        try {
            t.open();
            if (credentials.isPresent()) {
                MemberHandshake.perform(t, credentials.get());
            }
        } catch (TTransportException e) {
            t.close();
            throw new IOException("cannot connect to port " + port + ": " + e.getMessage(), e);
        }
        socket = t.getSocket();
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** A strict-binary call "service:ring" with no arguments (an empty struct) and the given sequence id. */
    private byte[] sentinel(int seq) {
        byte[] name = (sentinelService + ":ring").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4 + name.length + 4 + 1);
        b.putInt(b.capacity() - 4).putInt(0x80010001).putInt(name.length).put(name).putInt(seq).put((byte) 0); // STOP
        return b.array();
    }

    /** The sequence id of a strict-binary answer, or -1. */
    private static int answerSeq(byte[] body) {
        if (body.length < 12) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        b.getInt();
        int nameLength = b.getInt();
        if (nameLength < 0 || nameLength > body.length - 12) {
            return -1;
        }
        return b.getInt(8 + nameLength);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing to do
            }
            socket = null;
        }
    }
}

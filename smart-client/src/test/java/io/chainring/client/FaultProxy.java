package io.chainring.client;

import io.chainring.ring.HostPort;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of one real datanode, for network faults the tests switch on: it forwards
 * every request and can hold back or cut the answers. It reads the client's Thrift frames to
 * record which methods were sent (e.g. "kv:compareAndSet"), so a test can count attempts.
 */
final class FaultProxy implements AutoCloseable {
    /** What happens to the server's answers. */
    enum Mode {
        /** Forward them. */
        PASS,
        /** Keep them back (the request still reaches the server) until the mode changes. */
        HOLD,
        /** Close the client's connection when an answer arrives, once; then PASS. */
        CUT_ONCE,
        /** Close the client's connection whenever an answer arrives. */
        CUT
    }

    private final HostPort target;
    private final ServerSocket listener;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.PASS);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    FaultProxy(HostPort target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-" + target.port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    HostPort address() {
        return new HostPort("127.0.0.1", listener.getLocalPort());
    }

    HostPort target() {
        return target;
    }

    void mode(Mode m) {
        mode.set(m);
    }

    /** Thrift method names of every request forwarded, in order ("kv:put", "kv:ring", ...). */
    List<String> requests() {
        return List.copyOf(requests);
    }

    long count(String method) {
        return requests.stream().filter(method::equals).count();
    }

    void clear() {
        requests.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(client);
            try {
                Socket server = new Socket(target.host(), target.port());
                sockets.add(server);
                start(() -> pumpRequests(client, server), "proxy-up");
                start(() -> pumpAnswers(server, client), "proxy-down");
            } catch (IOException e) {
                closeQuietly(client); // the target is down: so is the client's connection
            }
        }
    }

    /** Client to server, frame by frame, recording each frame's method name. */
    private void pumpRequests(Socket client, Socket server) {
        try (DataInputStream in = new DataInputStream(client.getInputStream())) {
            OutputStream out = server.getOutputStream();
            while (true) {
                int size = in.readInt();
                byte[] frame = new byte[size];
                in.readFully(frame);
                requests.add(methodName(frame));
                byte[] header = {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size};
                out.write(header);
                out.write(frame);
                out.flush();
            }
        } catch (EOFException e) {
            closeQuietly(server);
        } catch (IOException e) {
            closeQuietly(server);
            closeQuietly(client);
        }
    }

    /** Server to client, subject to the mode. */
    private void pumpAnswers(Socket server, Socket client) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = server.getInputStream();
            OutputStream out = client.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                while (mode.get() == Mode.HOLD && !closed && !client.isClosed()) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                Mode m = mode.get();
                if (m == Mode.CUT || m == Mode.CUT_ONCE) {
                    mode.compareAndSet(Mode.CUT_ONCE, Mode.PASS);
                    closeQuietly(client);
                    closeQuietly(server);
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
            }
            closeQuietly(client);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The message name of a strict binary-protocol frame: version/type (4), name length (4), name. */
    private static String methodName(byte[] frame) {
        if (frame.length < 8) {
            return "?";
        }
        int len = ((frame[4] & 0xff) << 24) | ((frame[5] & 0xff) << 16) | ((frame[6] & 0xff) << 8) | (frame[7] & 0xff);
        if (len < 0 || 8 + len > frame.length) {
            return "?";
        }
        return new String(frame, 8, len, StandardCharsets.UTF_8);
    }

    private void start(Runnable r, String name) {
        Thread t = new Thread(r, name + "-" + target.port());
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

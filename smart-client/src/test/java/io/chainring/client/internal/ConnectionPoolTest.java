package io.chainring.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool against a real TCP listener that accepts and holds connections. */
class ConnectionPoolTest {
    private ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private Thread acceptor;
    private HostPort address;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        address = new HostPort("127.0.0.1", server.getLocalPort());
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // test over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        acceptor.join(2_000);
        for (Socket s : accepted) {
            s.close();
        }
    }

    private ConnectionPool pool(int maxIdle) {
        return new ConnectionPool(maxIdle, 1 << 20, UnaryOperator.identity());
    }

    private void awaitAccepted(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (accepted.size() < n && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(accepted).hasSize(n);
    }

    @Test
    void releasedConnectionsAreReusedAndCapped() throws Exception {
        try (ConnectionPool pool = pool(1)) {
            Connection a = pool.borrow(address, 1000);
            Connection b = pool.borrow(address, 1000);
            assertThat(a).isNotSameAs(b);
            assertThat(pool.openCount()).isEqualTo(2);
            pool.release(a);
            pool.release(b); // over maxIdle: closed
            assertThat(pool.idleCount(address)).isEqualTo(1);
            assertThat(pool.openCount()).isEqualTo(1);
            assertThat(pool.borrow(address, 1000)).isSameAs(a);
            awaitAccepted(2);
        }
    }

    @Test
    void discardedAndEvictedConnectionsAreClosed() throws Exception {
        try (ConnectionPool pool = pool(4)) {
            Connection a = pool.borrow(address, 1000);
            Connection b = pool.borrow(address, 1000);
            pool.discard(a);
            pool.release(b);
            assertThat(pool.openCount()).isEqualTo(1);
            pool.evict(address);
            assertThat(pool.idleCount(address)).isZero();
            assertThat(pool.openCount()).isZero();
            awaitAccepted(2);
            // the server sees both connections end
            for (Socket s : accepted) {
                s.setSoTimeout(2_000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aConnectionTheServerClosedIsNeverReused() throws Exception {
        try (ConnectionPool pool = pool(4)) {
            Connection a = pool.borrow(address, 1000);
            pool.release(a);
            awaitAccepted(1);
            assertThat(pool.borrow(address, 1000)).as("alive: reused").isSameAs(a);
            pool.release(a);
            accepted.get(0).close(); // as if the server stopped or restarted
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (a.probeAlive() && System.nanoTime() < end) {
                Thread.sleep(1); // the FIN travels asynchronously, even on loopback
            }
            Connection next = pool.borrow(address, 1000);
            assertThat(next).isNotSameAs(a);
            assertThat(pool.openCount()).isEqualTo(1);
            awaitAccepted(2);
        }
    }

    @Test
    void onlyAConnectionIdleLongerThanTheProbeThresholdIsProbed() throws Exception {
        // a just-released connection is reused unprobed (the probe costs three system calls per call);
        // once idle past the threshold, a connection the server closed is found dead and replaced
        try (ConnectionPool pool = new ConnectionPool(4, 1 << 20, UnaryOperator.identity(), Duration.ofMillis(300))) {
            Connection a = pool.borrow(address, 1000);
            awaitAccepted(1);
            accepted.get(0).close();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (a.probeAlive() && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            assertThat(a.probeAlive()).as("the server closed it").isFalse();
            pool.release(a);
            assertThat(pool.borrow(address, 1000)).as("released just now: not probed").isSameAs(a);
            pool.release(a);
            Thread.sleep(400);
            assertThat(pool.borrow(address, 1000)).as("idle past the threshold: probed, found closed").isNotSameAs(a);
        }
    }

    @Test
    void aConnectionWithUnaskedBytesIsNotReused() throws Exception {
        try (ConnectionPool pool = pool(4)) {
            Connection a = pool.borrow(address, 1000);
            pool.release(a);
            awaitAccepted(1);
            accepted.get(0).getOutputStream().write(42); // a stray answer would desynchronise the stream
            accepted.get(0).getOutputStream().flush();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Connection next = a;
            while (next == a && System.nanoTime() < end) {
                pool.release(next);
                next = pool.borrow(address, 1000);
            }
            assertThat(next).isNotSameAs(a);
        }
    }

    @Test
    void closeEndsConnectionsInUseAndRefusesNewBorrows() throws Exception {
        ConnectionPool pool = pool(4);
        Connection inUse = pool.borrow(address, 1000);
        pool.close();
        assertThat(pool.openCount()).isZero();
        awaitAccepted(1);
        accepted.get(0).setSoTimeout(2_000);
        assertThat(accepted.get(0).getInputStream().read()).isEqualTo(-1);
        assertThatThrownBy(() -> pool.borrow(address, 1000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        pool.release(inUse); // harmless after close
        assertThat(pool.idleCount(address)).isZero();
    }

    @Test
    void refusedConnectionsThrowWithoutLeaking() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (ConnectionPool pool = pool(4)) {
            assertThatThrownBy(() -> pool.borrow(new HostPort("127.0.0.1", closed), 1000))
                    .isInstanceOf(TTransportException.class);
            assertThat(pool.openCount()).isZero();
        }
    }

    @Test
    void theTranslatorPicksWhereToDial() throws Exception {
        HostPort named = new HostPort("10.255.255.1", 1); // never dialled
        try (ConnectionPool pool = new ConnectionPool(2, 1 << 20, a -> address)) {
            Connection c = pool.borrow(named, 1000);
            assertThat(c.address()).isEqualTo(named);
            awaitAccepted(1);
            pool.release(c);
            assertThat(pool.idleCount(named)).isEqualTo(1);
        }
    }
}

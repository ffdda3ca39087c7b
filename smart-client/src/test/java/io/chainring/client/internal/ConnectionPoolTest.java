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

    private ConnectionPool pool(int maxIdle, Duration probeAfter) {
        return new ConnectionPool(maxIdle, 1 << 20, UnaryOperator.identity(), probeAfter);
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
        try (ConnectionPool pool = pool(1, Duration.ofMinutes(1))) {
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
        try (ConnectionPool pool = pool(4, Duration.ofMinutes(1))) {
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
    void aConnectionTheServerClosedIsNotReusedAfterIdling() throws Exception {
        try (ConnectionPool pool = pool(4, Duration.ofMillis(20))) {
            Connection a = pool.borrow(address, 1000);
            pool.release(a);
            awaitAccepted(1);
            accepted.get(0).close(); // as if the server restarted
            Thread.sleep(60);
            Connection next = pool.borrow(address, 1000);
            assertThat(next).isNotSameAs(a);
            awaitAccepted(2);
            pool.release(next);
            Thread.sleep(60);
            assertThat(pool.borrow(address, 1000)).as("alive after the probe").isSameAs(next);
        }
    }

    @Test
    void closeEndsConnectionsInUseAndRefusesNewBorrows() throws Exception {
        ConnectionPool pool = pool(4, Duration.ofMinutes(1));
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
        try (ConnectionPool pool = pool(4, Duration.ofMinutes(1))) {
            assertThatThrownBy(() -> pool.borrow(new HostPort("127.0.0.1", closed), 1000))
                    .isInstanceOf(TTransportException.class);
            assertThat(pool.openCount()).isZero();
        }
    }

    @Test
    void theTranslatorPicksWhereToDial() throws Exception {
        HostPort named = new HostPort("10.255.255.1", 1); // never dialled
        try (ConnectionPool pool = new ConnectionPool(2, 1 << 20, a -> address, Duration.ofMinutes(1))) {
            Connection c = pool.borrow(named, 1000);
            assertThat(c.address()).isEqualTo(named);
            awaitAccepted(1);
            pool.release(c);
            assertThat(pool.idleCount(named)).isEqualTo(1);
        }
    }
}

package io.chainring.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.HostPort;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.ReadLevel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.thrift.async.TAsyncClientManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The async pool and caller against a server that accepts connections and never answers (a hung
 * node): the per-node bound, the queue behind it, deadlines, and close.
 */
class AsyncConnectionPoolTest {
    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private Thread acceptor;
    private TAsyncClientManager manager;
    private ExecutorService connector;
    private AsyncConnectionPool pool;
    private HostPort address;

    @BeforeEach
    void start() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        address = new HostPort("127.0.0.1", silent.getLocalPort());
        acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        manager = new TAsyncClientManager();
        connector = Executors.newFixedThreadPool(4);
        pool = new AsyncConnectionPool(2, 1 << 20, UnaryOperator.identity(), manager, connector);
    }

    @AfterEach
    void stop() throws Exception {
        pool.close();
        manager.stop();
        connector.shutdownNow();
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
        acceptor.join(5_000);
    }

    private Deadline after(long millis) {
        return Deadline.after(Duration.ofMillis(millis));
    }

    @Test
    void atMostTheBoundIsOpenAndFurtherCallsWaitThenTakeAReleasedConnection() throws Exception {
        Attempt<AsyncConnection> a = pool.acquire(address, after(5_000), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
        Attempt<AsyncConnection> b = pool.acquire(address, after(5_000), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
        assertThat(a.ok()).isTrue();
        assertThat(b.ok()).isTrue();
        CompletableFuture<Attempt<AsyncConnection>> third = pool.acquire(address, after(5_000), Duration.ofSeconds(2));
        assertThat(third).isNotDone();
        assertThat(pool.openCount(address)).isEqualTo(2);
        assertThat(pool.waiting(address)).isEqualTo(1);

        pool.release(a.value());
        assertThat(third.get(5, TimeUnit.SECONDS).value()).as("handed over, not reopened").isSameAs(a.value());
        assertThat(pool.openCount(address)).isEqualTo(2);

        pool.discard(b.value());
        assertThat(pool.openCount(address)).isEqualTo(1);
        Attempt<AsyncConnection> fresh = pool.acquire(address, after(5_000), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
        assertThat(fresh.ok()).isTrue();
        assertThat(fresh.value()).isNotSameAs(b.value());
    }

    @Test
    void aCallWaitingForAConnectionTimesOutByItsDeadlineWithNothingSent() throws Exception {
        pool.acquire(address, after(5_000), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
        pool.acquire(address, after(5_000), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        Attempt<AsyncConnection> late = pool.acquire(address, after(300), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(late.ok()).isFalse();
        assertThat(late.failure().kind()).isEqualTo(Failure.Kind.TIMEOUT);
        assertThat(late.failure().outcomeUnknown()).isFalse();
        assertThat(millis).isBetween(250L, 2_000L);
        assertThat(pool.waiting(address)).isZero();
    }

    @Test
    void aRequestToANodeThatNeverAnswersTimesOutWithinTheDeadlineAsOutcomeUnknown() throws Exception {
        AsyncNodeCaller caller = new AsyncNodeCaller(pool, Duration.ofSeconds(2), SafeListener.NONE);
        long start = System.nanoTime();
        Attempt<GetResult> a = caller.<GetResult>call("get", "n1", address, after(400),
                (kv, cb) -> kv.get(1, ByteBuffer.wrap(new byte[] {1}), ReadLevel.LINEARIZABLE, cb)).get(5, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(a.ok()).isFalse();
        assertThat(a.failure().kind()).isEqualTo(Failure.Kind.TIMEOUT);
        assertThat(a.failure().outcomeUnknown()).as("the request went out").isTrue();
        assertThat(millis).isBetween(350L, 1_500L);
        assertThat(pool.openCount(address)).as("a timed-out connection is not reused").isZero();
    }

    @Test
    void aConnectionThatCannotBeOpenedIsAConnectFailureWithNothingSent() throws Exception {
        HostPort nobody;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = new HostPort("127.0.0.1", s.getLocalPort());
        }
        Attempt<AsyncConnection> a = pool.acquire(nobody, after(2_000), Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS);
        assertThat(a.ok()).isFalse();
        assertThat(a.failure().kind()).isEqualTo(Failure.Kind.CONNECT_FAILED);
        assertThat(a.failure().outcomeUnknown()).isFalse();
        assertThat(pool.openCount(nobody)).isZero();
    }

    @Test
    void closeEndsCallsInFlightAndWaitingOnes() throws Exception {
        AsyncNodeCaller caller = new AsyncNodeCaller(pool, Duration.ofSeconds(2), SafeListener.NONE);
        List<CompletableFuture<Attempt<GetResult>>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // 2 on the wire, 3 waiting for a connection
            calls.add(caller.<GetResult>call("get", "n1", address, after(30_000),
                    (kv, cb) -> kv.get(1, ByteBuffer.wrap(new byte[] {1}), ReadLevel.LINEARIZABLE, cb)));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool.waiting(address) == 3);
        pool.close();
        int unknown = 0;
        for (CompletableFuture<Attempt<GetResult>> c : calls) {
            Attempt<GetResult> a = c.get(5, TimeUnit.SECONDS);
            assertThat(a.failure().kind()).isEqualTo(Failure.Kind.CLOSED);
            unknown += a.failure().outcomeUnknown() ? 1 : 0;
        }
        assertThat(unknown).as("only the calls on the wire may have been applied").isEqualTo(2);
    }
}

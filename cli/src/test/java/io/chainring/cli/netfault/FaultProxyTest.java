package io.chainring.cli.netfault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy on real loopback sockets: an echo server behind it, a client in front. */
class FaultProxyTest {
    private EchoServer echo;
    private NetworkFaults faults;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        faults = new NetworkFaults();
        proxy = faults.proxy("a", "b", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.port()));
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        faults.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(proxy.address(), 2_000);
        s.setSoTimeout(2_000);
        return s;
    }

    /** Sends one byte and waits for its echo; returns the round trip in nanoseconds. */
    private static long roundTrip(Socket s) throws IOException {
        long t0 = System.nanoTime();
        s.getOutputStream().write(42);
        s.getOutputStream().flush();
        assertThat(s.getInputStream().read()).isEqualTo(42);
        return System.nanoTime() - t0;
    }

    @Test
    void forwardsBothWaysWithoutFaults() throws IOException {
        try (Socket s = connect()) {
            for (int i = 0; i < 20; i++) {
                roundTrip(s);
            }
        }
        assertThat(proxy.forwardedBytes()).isEqualTo(40);
    }

    @Test
    void aDelayAddsAtLeastTheConfiguredTimeEachWay() throws IOException {
        faults.set("a", "b", LinkFault.delay(Duration.ofMillis(40), Duration.ofMillis(5)));
        try (Socket s = connect()) {
            long oneWay = roundTrip(s);
            assertThat(oneWay).isGreaterThanOrEqualTo(Duration.ofMillis(35).toNanos());
            faults.set("b", "a", LinkFault.delay(Duration.ofMillis(40), Duration.ZERO));
            long bothWays = roundTrip(s);
            assertThat(bothWays).isGreaterThanOrEqualTo(Duration.ofMillis(75).toNanos());
            faults.healAll();
            // a delay is not a cut: the connection lives on and is fast again
            for (int i = 0; i < 5; i++) {
                roundTrip(s);
            }
        }
    }

    @Test
    void delayedChunksKeepTheirOrderDespiteJitter() throws IOException {
        faults.set("a", "b", LinkFault.delay(Duration.ofMillis(5), Duration.ofMillis(5)));
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 200; i++) {
                out.write(i);
                out.flush();
            }
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] back = new byte[200];
            in.readFully(back);
            for (int i = 0; i < 200; i++) {
                assertThat(back[i] & 0xff).as("byte %d", i).isEqualTo(i);
            }
        }
    }

    @Test
    void aPartitionStopsTrafficAndHeals() throws IOException {
        try (Socket before = connect()) {
            roundTrip(before);
            faults.partition("a", "b");
            before.getOutputStream().write(1);
            before.getOutputStream().flush();
            before.setSoTimeout(300);
            assertThatThrownBy(() -> before.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            // a connection opened during the cut never reaches the target
            try (Socket during = connect()) {
                during.setSoTimeout(300);
                during.getOutputStream().write(2);
                assertThatThrownBy(() -> during.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(proxy.droppedBytes()).isGreaterThanOrEqualTo(2);

                faults.healAll();
                // connections that lost bytes are closed by the heal
                before.setSoTimeout(2_000);
                during.setSoTimeout(2_000);
                assertThat(readOrEnd(before)).isEqualTo(-1);
                assertThat(readOrEnd(during)).isEqualTo(-1);
            }
        }
        try (Socket after = connect()) {
            roundTrip(after);
        }
    }

    @Test
    void aOneWayCutDropsOnlyThatDirection() throws IOException {
        faults.set("b", "a", LinkFault.CUT);
        try (Socket s = connect()) {
            s.setSoTimeout(300);
            s.getOutputStream().write(7);
            s.getOutputStream().flush();
            // the request arrives (the echo server answers) but the answer is dropped
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.forwardedBytes()).isEqualTo(1);
            assertThat(proxy.droppedBytes()).isEqualTo(1);
        }
    }

    @Test
    void aRateCapSpacesTheBytes() throws IOException {
        faults.set("a", "b", LinkFault.parse("rate=200KB"));
        byte[] data = new byte[100_000];
        try (Socket s = connect()) {
            long t0 = System.nanoTime();
            s.getOutputStream().write(data);
            s.getOutputStream().flush();
            new DataInputStream(s.getInputStream()).readFully(new byte[data.length]);
            long took = System.nanoTime() - t0;
            // 100 kB at 200 kB/s: about half a second (the first chunk goes at once)
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(350).toNanos());
        }
    }

    @Test
    void aResetKillsTheConnection() throws IOException {
        faults.set("a", "b", LinkFault.parse("reset=100%"));
        try (Socket s = connect()) {
            s.getOutputStream().write(1);
            s.getOutputStream().flush();
            assertThat(readOrEnd(s)).isEqualTo(-1);
        }
        assertThat(proxy.resets()).isEqualTo(1);
    }

    @Test
    void lossStallsTheStreamButLosesNothing() throws IOException {
        faults.set("a", "b", LinkFault.parse("loss=100%,rto=30ms"));
        try (Socket s = connect()) {
            assertThat(roundTrip(s)).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
        }
    }

    /** Reads one byte; -1 when the connection ended (EOF or reset). */
    private static int readOrEnd(Socket s) {
        try {
            return s.getInputStream().read();
        } catch (IOException e) {
            return -1;
        }
    }
}

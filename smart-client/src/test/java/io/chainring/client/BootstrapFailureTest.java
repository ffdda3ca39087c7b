package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bootstrap against real sockets with no Chainring behind them. */
class BootstrapFailureTest {

    @Test
    void noSeedReachableNamesEverySeedAndStopsWithinItsBudget() throws IOException {
        int p1 = closedPort();
        int p2 = closedPort();
        long start = System.nanoTime();
        UnavailableException e = catchThrowableOfType(UnavailableException.class, () ->
                ChainringClient.builder().seeds("127.0.0.1:" + p1 + ",127.0.0.1:" + p2)
                        .timeout(Duration.ofSeconds(20)).maxRetries(3).build());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .startsWith("no seed reachable: ")
                .contains("127.0.0.1:" + p1 + " (connection refused)")
                .contains("127.0.0.1:" + p2 + " (connection refused)")
                .contains("after 4 round(s)");
        assertThat(e.mayHaveBeenApplied()).isFalse();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        // the retry budget ended it (4 rounds, backoffs of at most 20, 40, 80 ms), not the 20 s deadline
        assertThat(millis).isLessThan(15_000);
    }

    @Test
    void aSeedThatNeverAnswersCostsNoMoreThanTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept()); // accept, never answer
                    }
                } catch (IOException closed) {
                    // the test closed the socket
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            long start = System.nanoTime();
            UnavailableException e = catchThrowableOfType(UnavailableException.class, () ->
                    ChainringClient.builder().seeds("127.0.0.1:" + silent.getLocalPort())
                            .timeout(Duration.ofMillis(400)).build());
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("no seed reachable: 127.0.0.1:" + silent.getLocalPort());
            assertThat(millis).isBetween(350L, 4_000L);
            silent.close();
            acceptor.join(2_000);
            for (Socket s : held) {
                s.close();
            }
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

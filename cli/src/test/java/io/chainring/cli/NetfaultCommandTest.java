package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.cli.netfault.EchoServer;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code chainring netfault} driven through its standard input, with real traffic through its proxy. */
class NetfaultCommandTest {
    @Test
    void faultsChangeAtRunTimeFromTheCommandLine() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            PipedOutputStream commands = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(commands);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            ExecutorService runner = Executors.newSingleThreadExecutor();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"netfault",
                    "--route", "a>b=127.0.0.1:0->127.0.0.1:" + echo.port(), "--fault", "a>b=delay=40ms"},
                    stdin, new PrintWriter(out, true), new PrintWriter(err, true)), runner);
            // the first command of a cold JVM on a loaded machine takes a while (picocli builds every command)
            awaitOut(out, "netfault ready");
            Matcher m = Pattern.compile("proxy a>b on 127\\.0\\.0\\.1:(\\d+)").matcher(out.toString());
            assertThat(m.find()).as(out.toString()).isTrue();
            int port = Integer.parseInt(m.group(1));

            try (Socket s = connect(port)) {
                assertThat(roundTrip(s)).as("the --fault given at start").isGreaterThanOrEqualTo(Duration.ofMillis(40).toNanos());
            }
            send(commands, "partition a b\n");
            awaitOut(out, "netfault ready\nok\n");
            try (Socket s = connect(port)) {
                s.setSoTimeout(300);
                s.getOutputStream().write(1);
                assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            }
            send(commands, "heal\nshow\nbogus\n");
            awaitOut(out, " forwarded ");
            try (Socket s = connect(port)) {
                assertThat(roundTrip(s)).isLessThan(Duration.ofMillis(40).toNanos());
            }
            send(commands, "quit\n");
            assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
            runner.shutdown();
            assertThat(err.toString()).contains("unknown command 'bogus'");
        }
    }

    private static void send(PipedOutputStream commands, String text) throws IOException {
        commands.write(text.getBytes(StandardCharsets.UTF_8));
        commands.flush();
    }

    private static void awaitOut(StringWriter out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!out.toString().replace("\r", "").contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in: " + out);
            }
            Thread.sleep(20);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setTcpNoDelay(true);
        s.setSoTimeout(2_000);
        return s;
    }

    private static long roundTrip(Socket s) throws IOException {
        long t0 = System.nanoTime();
        s.getOutputStream().write(42);
        s.getOutputStream().flush();
        assertThat(s.getInputStream().read()).isEqualTo(42);
        return System.nanoTime() - t0;
    }
}

package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.embedded.EmbeddedCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values that are not text go through the CLI without losing a byte (issue 15): {@code get --raw}
 * in a separate process writes exactly the stored bytes, {@code --hex}, {@code --output} and
 * {@code --json} (base64 with an encoding field) agree with them, and {@code put} takes any bytes
 * as hex, base64, a file or standard input.
 */
@Tag("cluster")
class BinaryValuesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** What a separate {@code chainring} process wrote on stdout (bytes) and stderr, and its exit code. */
    private record Proc(int exit, byte[] out, String err) {
    }

    /** Runs {@code io.chainring.cli.Main} in its own JVM, as the launcher does, with stdin fed from {@code stdin}. */
    private static Proc process(byte[] stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp", System.getProperty("java.class.path"), "io.chainring.cli.Main", "--seeds", cluster.seeds()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chainring " + String.join(" ", args) + " did not end within 120 s");
        }
        return new Proc(p.exitValue(), out.get(10, TimeUnit.SECONDS), new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** In-process run with a byte stdout, so {@code --raw} works here too. */
    private static Proc inProcess(byte[] stdin, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--seeds", cluster.seeds()));
        all.addAll(List.of(args));
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        int exit = Main.run(all.toArray(String[]::new), stdin == null ? null : new ByteArrayInputStream(stdin), bytes, out,
                new PrintWriter(err, true));
        out.flush();
        return new Proc(exit, bytes.toByteArray(), err.toString());
    }

    private static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void getRawRoundTripsRandomBytesExactlyThroughTheRealMain() throws Exception {
        long seed = System.nanoTime();
        byte[] value = randomBytes(seed, 3000);
        value[0] = '\n'; // bytes a text path would change: a newline, a CR, a NUL, an invalid UTF-8 lead byte
        value[1] = '\r';
        value[2] = 0;
        value[3] = (byte) 0xc3;
        Proc put = process(value, "put", "--key-hex", "00ff01", "-");
        assertThat(put.exit()).as("seed %d: %s", seed, put.err()).isZero();

        Proc raw = process(new byte[0], "get", "--key-hex", "00ff01", "--raw");
        assertThat(raw.exit()).as(raw.err()).isZero();
        assertThat(raw.out()).as("seed %d: exactly the bytes, no newline", seed).isEqualTo(value);

        Proc text = process(new byte[0], "get", "--key-hex", "00ff01");
        assertThat(text.exit()).as("not text: refused, not mangled").isEqualTo(ExitCodes.USAGE);
        assertThat(text.out()).isEmpty();
        assertThat(text.err()).contains("3000 bytes").contains("--raw").hasLineCount(1);
    }

    @Test
    void hexOutputAndJsonAgreeWithTheBytes() throws Exception {
        byte[] value = randomBytes(7, 500);
        assertThat(inProcess(null, "put", "bin/hex", HexFormat.of().formatHex(value), "--value-hex").exit()).isZero();

        Proc hex = inProcess(null, "get", "bin/hex", "--hex");
        assertThat(new String(hex.out(), StandardCharsets.UTF_8)).isEqualTo(HexFormat.of().formatHex(value) + System.lineSeparator());

        Path file = dir.resolve("out.bin");
        Proc toFile = inProcess(null, "get", "bin/hex", "--output", file.toString());
        assertThat(toFile.exit()).isZero();
        assertThat(toFile.out()).as("nothing on stdout").isEmpty();
        assertThat(Files.readAllBytes(file)).isEqualTo(value);

        JsonNode json = JSON.readTree(inProcess(null, "get", "bin/hex", "--json").out());
        assertThat(json.get("valueEncoding").asText()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(json.get("value").asText())).isEqualTo(value);
        assertThat(json.get("key").asText()).isEqualTo("bin/hex");
        assertThat(json.get("keyEncoding").asText()).isEqualTo("utf-8");
        assertThat(json.get("found").asBoolean()).isTrue();

        Proc raw = inProcess(null, "get", "bin/hex", "--raw");
        assertThat(raw.out()).isEqualTo(value);

        JsonNode text = JSON.readTree(inProcess(null, "get", "bin/none", "--json").out());
        assertThat(text.get("found").asBoolean()).isFalse();
        assertThat(text.get("value").isNull()).isTrue();
        assertThat(text.get("valueEncoding").isNull()).isTrue();

        assertThat(inProcess(null, "get", "bin/hex", "--raw", "--hex").exit()).as("one form at a time").isEqualTo(ExitCodes.USAGE);
        Proc jsonAndRaw = inProcess(null, "get", "bin/hex", "--raw", "--json");
        assertThat(jsonAndRaw.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(jsonAndRaw.err()).contains("--json");
    }

    @Test
    void putTakesBase64AndHexOnStdinAndRefusesBadEncodings() throws Exception {
        byte[] value = randomBytes(11, 64);
        assertThat(inProcess(null, "put", "bin/b64", Base64.getEncoder().encodeToString(value), "--value-base64").exit()).isZero();
        assertThat(inProcess(null, "get", "bin/b64", "--raw").out()).isEqualTo(value);

        // xxd -p wraps at 60 characters and ends with a newline
        String wrapped = HexFormat.of().formatHex(value).replaceAll("(.{60})", "$1\n") + "\n";
        assertThat(inProcess(wrapped.getBytes(StandardCharsets.US_ASCII), "put", "bin/stdin-hex", "-", "--value-hex").exit()).isZero();
        assertThat(inProcess(null, "get", "bin/stdin-hex", "--raw").out()).isEqualTo(value);

        Proc bad = inProcess(null, "put", "bin/bad", "zz", "--value-hex");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("VALUE is not hexadecimal");
        assertThat(inProcess(null, "get", "bin/bad").exit()).as("nothing written").isEqualTo(ExitCodes.NOT_FOUND);

        Path file = dir.resolve("v");
        Files.write(file, value);
        assertThat(inProcess(null, "put", "bin/f", "--file", file.toString(), "--value-hex").exit()).isEqualTo(ExitCodes.USAGE);

        CliRun.Result cas = CliRun.run(cluster.seeds(), null, "cas", "bin/cas", "00ff", "0", "--value-hex", "--json");
        assertThat(cas.exit()).isZero();
        assertThat(inProcess(null, "get", "bin/cas", "--raw").out()).containsExactly(0, 0xff);
    }

    @Test
    void rawNeedsAByteStdoutAndSaysWhatElseWorks() {
        assertThat(inProcess(null, "put", "bin/text", "hello").exit()).isZero();
        CliRun.Result noBytes = CliRun.run(cluster.seeds(), null, "get", "bin/text", "--raw");
        assertThat(noBytes.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noBytes.err()).contains("--output");
    }
}

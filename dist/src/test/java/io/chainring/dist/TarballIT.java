package io.chainring.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a user gets it: the built tarball unpacked in a temporary directory, run with
 * only a JRE on the PATH (no Maven, no source checkout, no build step): a cluster of separate
 * processes configured from the shipped conf/ files (ports and directories overridden by flags
 * and CHAINRING_* variables, as the files say), with ZooKeeper digest credentials and a cluster
 * secret; a put and a get through bin/chainring; an application compiled and run against
 * client/ alone; and bin/chainring demo.
 */
@Tag("cluster")
class TarballIT {
    private static final Duration READY = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private Path home;
    private Path work;
    private final List<Launched> servers = new ArrayList<>();

    @BeforeEach
    void unpack() throws Exception {
        home = Release.unpack(tmp.resolve("opt"));
        work = Files.createDirectories(tmp.resolve("work"));
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).close();
        }
    }

    @Test
    void theUnpackedTarballRunsAClusterFromConfAndServesAPutAndAGet() throws Exception {
        assertThat(home.resolve("bin/chainring")).isExecutable();
        for (String role : List.of("zookeeper", "controller", "datanode", "admin-ui")) {
            assertThat(home.resolve("conf/" + role + ".properties")).isRegularFile();
        }
        assertThat(home.resolve("LICENSE")).isRegularFile();
        assertThat(home.resolve("NOTICE")).isRegularFile();
        assertThat(jars("lib")).anyMatch(n -> n.startsWith("chainring-cli-")).anyMatch(n -> n.startsWith("je-"));
        assertThat(jars("client")).anyMatch(n -> n.startsWith("chainring-client-"))
                .noneMatch(n -> n.startsWith("zookeeper-") || n.startsWith("je-") || n.startsWith("curator-"));

        // secrets as docs/DEPLOY.md makes them
        Path zkAuth = secret("zk-auth", "chainring:");
        Path clusterSecret = secret("cluster-secret", "");
        String adminToken = "tarball-admin-token-" + System.nanoTime();

        List<Integer> ports = Launched.freePorts(5);
        Launched zk = server("zookeeper", Map.of(), "zookeeper", "--config", conf("zookeeper"), "--port", "0",
                "--data-dir", work.resolve("zk").toString());
        String zkAddress = zk.await("zookeeper ready on (\\S+)", READY);

        Map<String, String> common = new HashMap<>();
        common.put("CHAINRING_ZK", zkAddress);
        common.put("CHAINRING_ZK_AUTH_FILE", zkAuth.toString());
        common.put("CHAINRING_METRICS_PORT", "0");
        Map<String, String> controllerEnv = new HashMap<>(common);
        controllerEnv.put("CHAINRING_PORT", String.valueOf(ports.get(0)));
        controllerEnv.put("CHAINRING_ADMIN_TOKEN", adminToken);
        controllerEnv.put("CHAINRING_PARTITIONS", "32");
        Launched controller = server("controller", controllerEnv, "controller", "--config", conf("controller"));
        controller.await("controller ready", READY);
        assertThat(controller.output()).as("the controller names where its settings came from")
                .contains("config file " + conf("controller")).contains("replication=" + conf("controller"))
                .contains("port=$CHAINRING_PORT");

        Map<String, String> datanodeEnv = new HashMap<>(common);
        datanodeEnv.put("CHAINRING_CLUSTER_SECRET_FILE", clusterSecret.toString());
        List<String> seeds = new ArrayList<>();
        List<Launched> datanodes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int port = ports.get(i);
            seeds.add("127.0.0.1:" + port);
            datanodes.add(server("datanode-n" + i, datanodeEnv, "datanode", "--config", conf("datanode"), "--id", "n" + i,
                    "--port", String.valueOf(port), "--data-dir", work.resolve("n" + i).toString()));
        }
        for (Launched d : datanodes) {
            d.await("datanode \\S+ ready", READY);
        }
        String seedList = String.join(",", seeds);

        // the first ring forms a moment after the third node registers
        awaitExit(0, Duration.ofSeconds(60), "put", "greeting", "hello from the tarball", "--seeds", seedList);
        assertThat(run("get", "greeting", "--seeds", seedList).output()).contains("hello from the tarball");
        // health: every chain at 3 replicas on 3 live nodes
        awaitExit(0, Duration.ofSeconds(60), "status", "--seeds", seedList);
        // the controller took its admin token from CHAINRING_ADMIN_TOKEN
        assertThat(run("throttle", "20MB", "--token", "wrong-token-wrong", "--seeds", seedList).exitCode(Duration.ofSeconds(1)))
                .as("a change with a wrong admin token is refused").isEqualTo(4);
        assertThat(run("throttle", "20MB", "--token", adminToken, "--seeds", seedList).exitCode(Duration.ofSeconds(1))).isZero();

        assertThat(anApplicationOnTheClientJarsReads("greeting", seedList)).isEqualTo("hello from the tarball");
    }

    @Test
    void theDemoRunsFromTheUnpackedTarball() throws Exception {
        Launched demo = server("demo", Map.of(), "demo", "--data-dir", work.resolve("demo").toString(), "--nodes", "3",
                "--zk-port", "0", "--controller-port", "0", "--first-port", "0", "--ui-port", "0", "--no-metrics");
        demo.await("ready", READY);
        demo.close();
        assertThat(demo.isAlive()).isFalse();
    }

    /** The units as shipped, pointed at this unpacked release, pass {@code systemd-analyze verify} without a warning. */
    @Test
    void theSystemdUnitsVerify() throws Exception {
        Path analyze = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (analyze == null) {
            System.err.println("SKIPPED TarballIT.theSystemdUnitsVerify: systemd-analyze is not installed (Debian package systemd)");
        }
        Assumptions.assumeTrue(analyze != null, "systemd-analyze is not installed (Debian package systemd)");
        Path units = Files.createDirectories(work.resolve("units"));
        List<String> args = new ArrayList<>(List.of(analyze.toString(), "verify", "--man=no"));
        for (String role : List.of("zookeeper", "controller", "datanode", "admin-ui")) {
            String unit = Files.readString(home.resolve("systemd/chainring-" + role + ".service"));
            assertThat(unit).contains("ExecStart=/opt/chainring/bin/chainring " + role + " --config /etc/chainring/" + role + ".properties");
            Path copy = units.resolve("chainring-" + role + ".service");
            Files.writeString(copy, unit.replace("/opt/chainring/", home + "/"));
            args.add(copy.toString());
        }
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // verify exits 0 on an unknown key or a bad value but says so: nothing may be said
        assertThat(out.strip()).isEmpty();
    }

    private Launched server(String name, Map<String, String> env, String... args) throws IOException {
        Launched l = Launched.start(name, work, env, command(args));
        servers.add(l);
        return l;
    }

    private Launched run(String... args) throws Exception {
        Launched l = Launched.start("cli", work, Map.of(), command(args));
        int code = l.exitCode(Duration.ofSeconds(60));
        assertThat(code).as("bin/chainring %s -> %s", String.join(" ", args), l.output()).isIn(0, 1, 2, 3, 4);
        return l;
    }

    /** Runs a CLI command until it exits with {@code expected} (bounded), e.g. while the first ring forms. */
    private void awaitExit(int expected, Duration timeout, String... args) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Launched l = Launched.start("cli", work, Map.of(), command(args));
            int code = l.exitCode(Duration.ofSeconds(60));
            if (code == expected) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("bin/chainring " + String.join(" ", args) + " still exits " + code + ":\n" + l.output());
            }
            Thread.sleep(500);
        }
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/chainring").toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private String conf(String role) {
        return home.resolve("conf/" + role + ".properties").toString();
    }

    private List<String> jars(String dir) throws IOException {
        try (Stream<Path> s = Files.list(home.resolve(dir))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path secret(String name, String prefix) throws IOException {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        Path f = work.resolve(name);
        Files.writeString(f, prefix + Base64.getEncoder().encodeToString(b) + "\n");
        return f;
    }

    /** Compiles and runs a small application with only client/*.jar on its class path; returns what it read. */
    private String anApplicationOnTheClientJarsReads(String key, String seeds) throws Exception {
        Path src = Files.createDirectories(work.resolve("app"));
        Files.writeString(src.resolve("App.java"), """
                import io.chainring.client.ChainringClient;
                import java.nio.charset.StandardCharsets;

                public class App {
                    public static void main(String[] args) {
                        try (ChainringClient c = ChainringClient.builder().seeds(args[0]).build()) {
                            byte[] v = c.get(args[1].getBytes(StandardCharsets.UTF_8)).orElseThrow().value();
                            System.out.println("read: " + new String(v, StandardCharsets.UTF_8));
                        }
                    }
                }
                """);
        String classPath;
        try (Stream<Path> s = Files.list(home.resolve("client"))) {
            classPath = s.map(Path::toString).collect(Collectors.joining(":"));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests run on a JDK").isNotNull();
        int compiled = javac.run(null, null, null, "-cp", classPath, "-d", src.toString(), src.resolve("App.java").toString());
        assertThat(compiled).as("App.java compiles against client/ alone").isZero();
        Launched app = Launched.start("app", work, Map.of(),
                List.of(Launched.javaBin().resolve("java").toString(), "-cp", classPath + ":" + src, "App", seeds, key));
        assertThat(app.exitCode(Duration.ofSeconds(60))).as(app.output()).isZero();
        return app.await("read: (.*)$", Duration.ofSeconds(1));
    }
}

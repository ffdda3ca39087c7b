package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §2: the client must not pull ZooKeeper, Curator, JE or Jetty onto a user's classpath, nor
 * a metrics library (the Micrometer adapter is the separate chainring-client-micrometer artifact).
 * Reads the runtime classpath Maven resolved for this module (written by the dependency plugin
 * in generate-test-resources) and runs the client in a class loader that holds only that.
 */
class RuntimeClasspathTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));

    private static List<String> runtimeJars() throws Exception {
        Path file = BASE.resolve("target/runtime-classpath.txt");
        assertThat(file).as("written by maven-dependency-plugin:build-classpath").exists();
        String text = Files.readString(file).trim();
        return text.isEmpty() ? List.of() : List.of(text.split(File.pathSeparator));
    }

    @Test
    void runtimeClasspathHoldsNoServerLibraries() throws Exception {
        List<String> jars = runtimeJars();
        assertThat(jars).isNotEmpty();
        assertThat(jars).noneMatch(j -> j.contains("zookeeper") || j.contains("curator") || j.contains("sleepycat")
                || j.contains("/je-") || j.contains("jetty") || j.contains("javalin") || j.contains("netty")
                || j.contains("micrometer") || j.contains("HdrHistogram"));
        assertThat(jars).anyMatch(j -> j.contains("libthrift")).anyMatch(j -> j.contains("slf4j-api"))
                .anyMatch(j -> j.contains("chainring-ring")).anyMatch(j -> j.contains("chainring-thrift"));
    }

    /**
     * The README lists the client's runtime dependencies (issue 17: it said "Thrift only", and a
     * class path of client + Thrift failed on commons-codec's MurmurHash3). This holds the list to
     * what Maven resolves, and the README to the list.
     */
    @Test
    void runtimeClasspathIsExactlyWhatTheReadmeLists() throws Exception {
        Map<String, String> documented = new LinkedHashMap<>();
        documented.put("chainring-ring", null);
        documented.put("commons-codec", "1.19.0");
        documented.put("chainring-thrift", null);
        documented.put("libthrift", "0.20.0");
        documented.put("commons-lang3", "3.20.0");
        documented.put("slf4j-api", "2.0.17");
        Map<String, String> resolved = new LinkedHashMap<>();
        for (String jar : runtimeJars()) {
            // artifact-version.jar, as Maven names them
            Matcher m = Pattern.compile("(.+?)-(\\d[^-]*(?:-SNAPSHOT)?)\\.jar").matcher(Path.of(jar).getFileName().toString());
            assertThat(m.matches()).as("a versioned jar: %s", jar).isTrue();
            resolved.put(m.group(1), m.group(2));
        }
        assertThat(resolved.keySet()).containsExactlyInAnyOrderElementsOf(documented.keySet());
        documented.forEach((artifact, version) -> {
            if (version != null) {
                assertThat(resolved.get(artifact)).as("version of %s", artifact).isEqualTo(version);
            }
        });

        String readme = Files.readString(BASE.resolve("../README.md")).replaceAll("\\s+", " ");
        for (Map.Entry<String, String> e : documented.entrySet()) {
            assertThat(readme).as("README names %s", e.getKey())
                    .contains("`" + e.getKey() + "`" + (e.getValue() == null ? "" : " " + e.getValue()));
        }
    }

    @Test
    void clientRunsWithOnlyItsRuntimeClasspath() throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(BASE.resolve("target/classes").toUri().toURL());
        for (String jar : runtimeJars()) {
            urls.add(Path.of(jar).toUri().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("org.apache.zookeeper.ZooKeeper", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> Class.forName("com.sleepycat.je.Environment", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> Class.forName("org.apache.curator.framework.CuratorFramework", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);

            // a full bootstrap attempt (Thrift, ring model, logging) against a closed port
            Class<?> client = Class.forName("io.chainring.client.ChainringClient", true, loader);
            assertThat(client.getClassLoader()).isSameAs(loader);
            Object builder = client.getMethod("builder").invoke(null);
            Class<?> b = builder.getClass();
            b.getMethod("seeds", String.class).invoke(builder, "127.0.0.1:" + BootstrapFailureTest.closedPort());
            b.getMethod("timeout", Duration.class).invoke(builder, Duration.ofSeconds(2));
            b.getMethod("maxRetries", int.class).invoke(builder, 0);
            assertThatThrownBy(() -> b.getMethod("build").invoke(builder))
                    .isInstanceOf(InvocationTargetException.class)
                    .cause()
                    .satisfies(c -> assertThat(c.getClass().getName()).isEqualTo("io.chainring.client.UnavailableException"))
                    .hasMessageContaining("connection refused");
        }
    }
}

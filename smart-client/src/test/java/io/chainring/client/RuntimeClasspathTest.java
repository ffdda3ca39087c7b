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
import java.util.List;
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

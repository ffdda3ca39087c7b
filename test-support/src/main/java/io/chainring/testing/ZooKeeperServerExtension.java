package io.chainring.testing;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper (Curator's {@link TestingServer}) on an ephemeral port for a test class, in place of
 * the start/stop blocks every ZooKeeper test used to copy. As a {@code static}
 * {@code @RegisterExtension} field one server serves the whole class; as an instance field each test
 * gets a fresh one. The server is closed (and its data deleted) after the class or the test.
 */
public final class ZooKeeperServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private TestingServer server;
    private boolean perClass;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        server = new TestingServer(true);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            server = new TestingServer(true);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** The server's {@code host:port}. */
    public String connectString() {
        return server().getConnectString();
    }

    /** The server itself, to stop and restart it in fault tests. */
    public TestingServer server() {
        if (server == null) {
            throw new IllegalStateException("ZooKeeper is not running: register the extension with @RegisterExtension");
        }
        return server;
    }

    private void close() throws Exception {
        if (server != null) {
            try {
                server.close();
            } finally {
                server = null;
            }
        }
    }
}

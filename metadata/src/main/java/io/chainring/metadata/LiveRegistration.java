package io.chainring.metadata;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.nodes.PersistentNode;

/** A node's ephemeral {@code live/<id>} znode; closing it announces the node's departure. */
public final class LiveRegistration implements AutoCloseable {
    private final PersistentNode node;

    LiveRegistration(PersistentNode node) {
        this.node = node;
    }

    /** Waits until the znode exists; false if it did not appear in time. */
    public boolean awaitCreated(Duration timeout) throws InterruptedException {
        return node.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        node.close();
    }
}

package io.chainring.client;

import io.chainring.client.internal.AdminCore;
import io.chainring.client.internal.ClientConfig;
import io.chainring.ring.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Reads cluster state from the controller leader. Finds the controller through any seed datanode
 * (so it takes the same seeds as {@link ChainringClient}), follows leader changes, and answers
 * with plain immutable records. Thread-safe; calls block the caller with the configured timeout.
 *
 * <pre>{@code
 * try (AdminClient admin = AdminClient.builder().seeds("127.0.0.1:7101").build()) {
 *     ClusterStatus s = admin.status();
 * }
 * }</pre>
 */
public final class AdminClient implements AutoCloseable {
    private final AdminCore core;

    private AdminClient(AdminCore core) {
        this.core = core;
    }

    /** A builder; {@link Builder#seeds(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Nodes, their state and their share of the ring.
     *
     * @throws UnavailableException when no controller leader can be found or reached
     */
    public ClusterStatus status() {
        return core.status();
    }

    /**
     * Replication figures of every registered node (role per partition, last and committed LSN,
     * writes in flight and their age), read from each node; unreachable nodes are marked so.
     *
     * @throws UnavailableException when no controller leader can be found or reached
     */
    public java.util.List<ReplicationStatus> replication() {
        return core.replication();
    }

    /**
     * The ring as the controller holds it (every partition's chain).
     *
     * @throws UnavailableException when no controller leader can be found or reached
     */
    public RingSnapshot ring() {
        return core.ring();
    }

    /** Closes the client's connections. */
    @Override
    public void close() {
        core.close();
    }

    /** Builds an {@link AdminClient}; nothing is contacted until the first call. */
    public static final class Builder {
        private List<HostPort> seeds;
        private Duration timeout = ClientConfig.DEFAULT_TIMEOUT;
        private Duration connectTimeout = ClientConfig.DEFAULT_CONNECT_TIMEOUT;
        private int maxRetries = ClientConfig.DEFAULT_MAX_RETRIES;
        private UnaryOperator<HostPort> addressTranslator = UnaryOperator.identity();

        private Builder() {
        }

        /** Datanodes to ask for the controller's address: {@code host:port}, several separated by commas. */
        public Builder seeds(String seeds) {
            this.seeds = ClientConfig.parseSeeds(List.of(Objects.requireNonNull(seeds, "seeds")));
            return this;
        }

        /** Datanodes to ask for the controller's address, each {@code host:port}. */
        public Builder seeds(List<String> seeds) {
            this.seeds = ClientConfig.parseSeeds(seeds);
            return this;
        }

        /** Deadline of each call, retries included (default 5 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = ClientConfig.requirePositive("timeout", timeout);
            return this;
        }

        /** Longest wait for one TCP connection to open (default 2 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = ClientConfig.requirePositive("connectTimeout", connectTimeout);
            return this;
        }

        /** Retries after a call's first attempt, 0..100 (default 5). */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0 || maxRetries > ClientConfig.MAX_RETRIES_LIMIT) {
                throw new IllegalArgumentException("maxRetries must be 0.." + ClientConfig.MAX_RETRIES_LIMIT + ": " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** For tests: dial another address than the one given (e.g. a fault-injecting proxy). */
        Builder addressTranslator(UnaryOperator<HostPort> translator) {
            this.addressTranslator = Objects.requireNonNull(translator, "translator");
            return this;
        }

        /**
         * The admin client; nothing is contacted yet.
         *
         * @throws IllegalStateException if no seeds were given
         */
        public AdminClient build() {
            if (seeds == null) {
                throw new IllegalStateException("no seeds: call seeds(\"host:port,...\") before build()");
            }
            return new AdminClient(new AdminCore(new ClientConfig(seeds, ReadLevel.LINEARIZABLE, WriteAck.ALL, timeout,
                    connectTimeout, maxRetries, 1, ClientConfig.DEFAULT_MAX_FRAME_SIZE, addressTranslator, ClientListener.NONE, null, false)));
        }
    }
}

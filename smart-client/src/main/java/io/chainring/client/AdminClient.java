package io.chainring.client;

import io.chainring.client.internal.AdminCore;
import io.chainring.client.internal.ClientConfig;
import io.chainring.ring.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Reads cluster state from the controller leader and changes the cluster's membership through
 * rebalancing plans (DESIGN §7). Finds the controller through any seed datanode
 * (so it takes the same seeds as {@link ChainringClient}), follows leader changes, and answers
 * with plain immutable records. Thread-safe; calls block the caller with the configured timeout.
 *
 * <pre>{@code
 * try (AdminClient admin = AdminClient.builder().seeds("127.0.0.1:7101").build()) {
 *     ClusterStatus s = admin.status();
 *     PlanPreview p = admin.previewPlan(PlanAction.ADD, List.of("n4"));
 *     admin.executePlan(token, p);                  // runs exactly the plan previewed
 *     Migrations m = admin.migrations();            // progress of the moves
 * }
 * }</pre>
 *
 * <p>Reads need no token. Changes ({@code executePlan}, {@code cancelPlan}, {@code pausePlan},
 * {@code resumePlan}, {@code setThrottle}) need the controllers' admin token and fail with
 * {@link UnauthorizedException} without it; they fail with {@link ConflictException} when the
 * cluster's state does not allow them and with {@link NotFoundException} when they name an
 * unknown node. None of these refusals applied anything.
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
    public List<ReplicationStatus> replication() {
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

    /**
     * What {@code action} on {@code nodes} would move, computed by the planner that would carry it
     * out; changes nothing.
     *
     * @param action what to do with the nodes
     * @param nodes  node ids: NEW nodes for {@link PlanAction#ADD}, live members for
     *               {@link PlanAction#DECOMMISSION}, dead members for {@link PlanAction#REMOVE}
     * @throws IllegalArgumentException when {@code nodes} is empty or holds a blank id
     * @throws NotFoundException        when a node is not registered
     * @throws ConflictException        when the action does not fit a node's state, or a plan runs
     * @throws InvalidRequestException  when the controller finds the request wrong otherwise
     * @throws UnavailableException     when no controller can be reached
     */
    public PlanPreview previewPlan(PlanAction action, List<String> nodes) {
        return core.previewPlan(Objects.requireNonNull(action, "action"), nodeIds(nodes));
    }

    /**
     * Starts the plan a preview showed. Fails with {@link ConflictException} if the ring changed
     * since the preview (preview again) or a plan is already running.
     *
     * @param adminToken the controllers' admin token
     * @param preview    what {@link #previewPlan} returned
     * @return the plan, now running
     */
    public PlanInfo executePlan(String adminToken, PlanPreview preview) {
        Objects.requireNonNull(preview, "preview");
        return executePlan(adminToken, preview.action(), preview.nodes(), preview.planId());
    }

    /**
     * Starts a plan.
     *
     * @param adminToken the controllers' admin token
     * @param action     what to do with the nodes
     * @param nodes      node ids, as for {@link #previewPlan}
     * @param planId     the {@link PlanPreview#planId()} to run exactly that plan, or empty to take
     *                   the planner's plan as it is now
     * @return the plan, now running
     * @throws UnauthorizedException when the token is wrong
     * @throws ConflictException     when a plan runs already, or the cluster changed since the preview
     * @throws NotFoundException     when a node is not registered
     * @throws ChainringException    with {@code mayHaveBeenApplied()} true when the answer was lost:
     *                               look at {@link #migrations()} before trying again
     */
    public PlanInfo executePlan(String adminToken, PlanAction action, List<String> nodes, String planId) {
        return core.executePlan(Objects.requireNonNull(adminToken, "adminToken"), Objects.requireNonNull(action, "action"),
                nodeIds(nodes), Objects.requireNonNull(planId, "planId"));
    }

    /**
     * Cancels the running plan: no new moves start and running ones are rolled back, leaving every
     * chain valid.
     *
     * @return the plan, CANCELLING or CANCELLED
     * @throws ConflictException     when no plan runs
     * @throws UnauthorizedException when the token is wrong
     */
    public PlanInfo cancelPlan(String adminToken) {
        return core.cancelPlan(Objects.requireNonNull(adminToken, "adminToken"));
    }

    /**
     * Pauses the running plan: no new moves start; running ones finish.
     *
     * @return the plan, PAUSED
     * @throws ConflictException     when no plan runs
     * @throws UnauthorizedException when the token is wrong
     */
    public PlanInfo pausePlan(String adminToken) {
        return core.pausePlan(Objects.requireNonNull(adminToken, "adminToken"));
    }

    /**
     * Resumes a paused plan.
     *
     * @return the plan, RUNNING
     * @throws ConflictException     when no plan is paused
     * @throws UnauthorizedException when the token is wrong
     */
    public PlanInfo resumePlan(String adminToken) {
        return core.resumePlan(Objects.requireNonNull(adminToken, "adminToken"));
    }

    /**
     * Running and recent partition moves with their progress, the plan and the throttle.
     *
     * @throws UnavailableException when no controller can be reached
     */
    public Migrations migrations() {
        return core.migrations();
    }

    /**
     * Sets the per-node copy throttle for partition moves, in force at once on running moves.
     *
     * @param adminToken     the controllers' admin token
     * @param bytesPerSecond the new limit; 0 = unlimited
     * @return the value now in force
     * @throws IllegalArgumentException when {@code bytesPerSecond} is negative
     * @throws UnauthorizedException    when the token is wrong
     */
    public long setThrottle(String adminToken, long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be >= 0 (0 = unlimited): " + bytesPerSecond);
        }
        return core.setThrottle(Objects.requireNonNull(adminToken, "adminToken"), bytesPerSecond);
    }

    private static List<String> nodeIds(List<String> nodes) {
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("name at least one node");
        }
        for (String n : nodes) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("a node id is blank: " + nodes);
            }
        }
        return List.copyOf(nodes);
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

        /**
         * Dial another address than the one given: for fault injection and tests (a proxy in between,
         * as {@code chainring evaluate} does). Not needed in production.
         */
        public Builder addressTranslator(UnaryOperator<HostPort> translator) {
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

package io.chainring.adminui.web;

import io.chainring.adminui.cluster.ActionRefusedException;
import io.chainring.adminui.cluster.ActionUnavailableException;
import io.chainring.adminui.cluster.ClusterActions;
import io.chainring.adminui.cluster.ClusterEvent;
import io.chainring.adminui.cluster.ClusterPoller;
import io.chainring.adminui.cluster.ClusterSnapshot;
import io.chainring.adminui.cluster.EventLog;
import io.chainring.adminui.cluster.Format;
import io.chainring.adminui.cluster.KeyLookup;
import io.chainring.adminui.cluster.WriteRates;
import io.chainring.client.ChainringException;
import io.chainring.client.ErrorCode;
import io.chainring.client.UnavailableException;
import io.chainring.observability.ProcessMetrics;
import io.chainring.observability.Readiness;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api} and the operational endpoints ({@code /metrics},
 * {@code /healthz}, {@code /readyz}). Reads come from the poller's snapshot; nothing changes
 * state on GET; actions go through {@link ClusterActions} and land in the event log with who
 * took them.
 */
public final class ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final int MAX_EVENTS = 500;
    private static final String EXPLAINED = "chainring.error-explained";

    private final ClusterPoller poller;
    private final EventLog events;
    private final WriteRates rates;
    private final KeyLookup lookup;
    private final ClusterActions actions;
    private final Security security;
    private final ProcessMetrics metrics;
    private final Readiness readiness;

    public ApiRoutes(ClusterPoller poller, EventLog events, WriteRates rates, KeyLookup lookup, ClusterActions actions,
                     Security security, ProcessMetrics metrics, Readiness readiness) {
        this.poller = Objects.requireNonNull(poller, "poller");
        this.events = Objects.requireNonNull(events, "events");
        this.rates = Objects.requireNonNull(rates, "rates");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.security = Objects.requireNonNull(security, "security");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
    }

    public void register(RoutesConfig r) {
        r.before(security::before);

        r.get("/api/session", ctx -> ctx.json(security.view(ctx)));
        r.post("/api/login", security::login);
        r.post("/api/logout", security::logout);

        r.get("/api/overview", ctx -> ctx.json(Views.overview(poller.snapshot(), rates)));
        r.get("/api/nodes", ctx -> ctx.json(Views.nodes(poller.snapshot(), rates)));
        r.get("/api/nodes/{id}", this::node);
        r.get("/api/ring", ctx -> ctx.json(Views.ring(poller.snapshot())));
        r.get("/api/lookup", this::lookup);
        r.get("/api/events", this::events);
        r.get("/api/series", ctx -> ctx.json(Views.series(rates.points())));

        r.get("/api/actions", ctx -> ctx.json(Map.of("actions", actions.availability())));
        r.get("/api/plan", this::preview); // a preview changes nothing
        r.post("/api/nodes/{id}/{action}", this::execute);
        r.get("/api/migrations", ctx -> ctx.json(MigrationViews.of(actions.migrations(), System.currentTimeMillis())));
        r.post("/api/migrations/throttle", this::throttle);
        for (ClusterActions.PlanVerb verb : ClusterActions.PlanVerb.values()) {
            r.post("/api/plan/" + verb.path(), ctx -> steer(ctx, verb));
        }

        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok\n"));
        r.get("/readyz", ctx -> {
            Readiness.Status s = readiness.check();
            ctx.status(s.ready() ? 200 : 503).contentType("text/plain")
                    .result(s.ready() ? "ready\n" : "not ready: " + s.reason() + "\n");
        });

        r.exception(IllegalArgumentException.class, (e, ctx) -> fail(ctx, 400, e.getMessage()));
        r.exception(NotFound.class, (e, ctx) -> fail(ctx, 404, e.getMessage()));
        r.exception(ActionUnavailableException.class, (e, ctx) -> fail(ctx, 501, e.getMessage()));
        r.exception(ActionRefusedException.class, (e, ctx) -> fail(ctx, e.reason().httpStatus(), e.getMessage()));
        r.exception(ChainringException.class, (e, ctx) -> fail(ctx, statusOf(e.code()), e.getMessage()));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("admin UI: {} {} failed", ctx.method(), ctx.path(), e);
            fail(ctx, 500, "internal error: " + e);
        });
        r.error(404, ctx -> {
            if (ctx.path().startsWith("/api/") && ctx.attribute(EXPLAINED) == null) {
                ctx.json(Security.error(404, "no such API endpoint: " + ctx.method() + " " + ctx.path()));
            }
        });
        r.error(405, ctx -> {
            if (ctx.path().startsWith("/api/")) {
                ctx.json(Security.error(405, "method " + ctx.method() + " not allowed on " + ctx.path()
                        + " (reads are GET, changes are POST)"));
            }
        });
    }

    /**
     * The admin UI boundary's mapping table (DESIGN "Errors"): the HTTP status for every client
     * error code. The cluster behind the UI is its upstream: what it could not do in time is a
     * 504, what it could not do at all a 503, what it did wrong a 502.
     */
    static int statusOf(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case VERSION_MISMATCH, CONFLICT -> 409;
            case UNAVAILABLE, STALE_ROUTING -> 503;
            case TIMEOUT, OUTCOME_UNKNOWN -> 504;
            case CONNECTION, INTERRUPTED, INTERNAL, UNAUTHORIZED -> 502;
        };
    }

    private static void fail(Context ctx, int status, String message) {
        ctx.attribute(EXPLAINED, Boolean.TRUE); // so the generic 404/405 text does not replace this message
        ctx.status(status).json(Security.error(status, message == null ? "error " + status : message));
    }

    private ClusterSnapshot requireData() {
        ClusterSnapshot s = poller.snapshot();
        if (!s.hasData()) {
            throw new UnavailableException("the cluster is not reachable yet: " + s.error());
        }
        return s;
    }

    private void node(Context ctx) {
        String id = ctx.pathParam("id");
        Views.Nodes nodes = Views.nodes(poller.snapshot(), rates);
        nodes.nodes().stream().filter(n -> n.id().equals(id)).findFirst().ifPresentOrElse(ctx::json,
                () -> fail(ctx, 404, "no node '" + id + "' in this cluster"));
    }

    private void lookup(Context ctx) {
        String key = ctx.queryParam("key");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("give a key: /api/lookup?key=...(&hex=true for a key in hex)");
        }
        boolean hex = "true".equalsIgnoreCase(ctx.queryParam("hex"));
        ctx.json(lookup.lookup(key, hex, requireData().ring()));
    }

    private void events(Context ctx) {
        int limit = MAX_EVENTS;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit must be a number: " + l);
            }
            if (limit < 1 || limit > MAX_EVENTS) {
                throw new IllegalArgumentException("limit must be 1.." + MAX_EVENTS + ": " + limit);
            }
        }
        ctx.json(Map.of("events", events.newestFirst(limit)));
    }

    private void preview(Context ctx) throws ActionUnavailableException {
        ClusterActions.NodeAction action = ClusterActions.NodeAction.parse(String.valueOf(ctx.queryParam("action")));
        String node = requireNode(ctx.queryParam("node"));
        ctx.json(actions.preview(action, node));
    }

    /** Body: {@code {"planId": "..."}} from the preview the operator confirmed. */
    public record ExecuteRequest(String planId) {
    }

    private void execute(Context ctx) throws ActionUnavailableException {
        ClusterActions.NodeAction action = ClusterActions.NodeAction.parse(ctx.pathParam("action"));
        String node = requireNode(ctx.pathParam("id"));
        ExecuteRequest req = body(ctx, ExecuteRequest.class);
        if (req.planId() == null || req.planId().isBlank()) {
            throw new IllegalArgumentException("confirm a previewed plan: send {\"planId\": \"...\"} from GET /api/plan");
        }
        ClusterActions.PlanStatus plan = actions.execute(action, node, req.planId());
        String summary = who(ctx) + ": " + action.path() + " " + node + " — plan " + plan.id() + " " + plan.state()
                + ", " + plan.movesPlanned() + " moves" + (plan.estimatedBytes() == null ? ""
                : ", ~" + Format.bytes(plan.estimatedBytes()));
        events.add(ClusterEvent.Kind.ADMIN_ACTION, plan.ringEpochAtStart(), 0, summary,
                List.of("previewed plan " + req.planId(), "started at ring epoch " + plan.ringEpochAtStart()));
        ctx.json(Map.of("result", "plan " + plan.id() + " " + plan.state().toLowerCase(Locale.ROOT) + ": "
                + plan.movesPlanned() + " moves", "plan", plan));
    }

    /** Body: {@code {"bytesPerSecond": n}}, 0 for unlimited. */
    public record ThrottleRequest(Long bytesPerSecond) {
    }

    private void throttle(Context ctx) throws ActionUnavailableException {
        ThrottleRequest req = body(ctx, ThrottleRequest.class);
        if (req.bytesPerSecond() == null || req.bytesPerSecond() < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be a number ≥ 0 (0 = unlimited)");
        }
        long set = actions.setThrottle(req.bytesPerSecond());
        String shown = set == 0 ? "unlimited" : Format.bytes(set) + "/s";
        events.add(ClusterEvent.Kind.ADMIN_ACTION, 0, 0, who(ctx) + ": stream throttle set to " + shown + " per node",
                List.of("bytesPerSecond " + set));
        ctx.json(Map.of("result", "throttle " + shown, "throttleBytesPerSecond", set));
    }

    private void steer(Context ctx, ClusterActions.PlanVerb verb) throws ActionUnavailableException {
        ClusterActions.PlanStatus plan = actions.steerPlan(verb);
        events.add(ClusterEvent.Kind.ADMIN_ACTION, 0, 0, who(ctx) + ": " + verb.path() + " plan " + plan.id() + " ("
                + plan.action() + " " + String.join(", ", plan.nodes()) + ") — now " + plan.state(),
                plan.note() == null ? List.of() : List.of(plan.note()));
        ctx.json(Map.of("result", "plan " + plan.id() + " " + plan.state().toLowerCase(Locale.ROOT), "plan", plan));
    }

    /** Who acted, for the event log: the admin token is shared, so the address and the session's login time. */
    private String who(Context ctx) {
        return security.session(ctx).map(s -> "admin from " + ctx.ip() + " (logged in "
                + java.time.Instant.ofEpochMilli(s.createdMillis()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + ")").orElse("admin from " + ctx.ip());
    }

    private String requireNode(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("name a node: node=<id>");
        }
        ClusterSnapshot s = requireData();
        if (s.node(id).isEmpty()) {
            throw new NotFound("no node '" + id + "' in this cluster");
        }
        return id;
    }

    private static <T> T body(Context ctx, Class<T> type) {
        String ct = ctx.contentType();
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new IllegalArgumentException("send a JSON body (Content-Type: application/json)");
        }
        T t;
        try {
            t = ctx.bodyAsClass(type);
        } catch (Exception e) { // Jackson's parse errors arrive unchecked through Kotlin
            throw new IllegalArgumentException("malformed JSON body: " + firstLine(e.getMessage()));
        }
        if (t == null) {
            throw new IllegalArgumentException("empty JSON body");
        }
        return t;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A named thing does not exist: 404. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }
}

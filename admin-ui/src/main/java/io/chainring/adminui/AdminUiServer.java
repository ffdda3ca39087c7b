package io.chainring.adminui;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.adminui.cluster.ClusterActions;
import io.chainring.adminui.cluster.ClusterPoller;
import io.chainring.adminui.cluster.EventLog;
import io.chainring.adminui.cluster.KeyLookup;
import io.chainring.adminui.cluster.NodeStatsClient;
import io.chainring.adminui.cluster.AdminClientActions;
import io.chainring.adminui.cluster.WriteRates;
import io.chainring.adminui.web.ApiRoutes;
import io.chainring.adminui.web.LoginLimiter;
import io.chainring.adminui.web.Security;
import io.chainring.adminui.web.Sessions;
import io.chainring.adminui.web.UiMetrics;
import io.chainring.client.AdminClient;
import io.chainring.client.ChainringClient;
import io.chainring.observability.AdminToken;
import io.chainring.observability.ProcessMetrics;
import io.chainring.observability.Readiness;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin web UI (DESIGN §9): static pages from {@code /public} on the class path and a JSON
 * API under {@code /api}, served by Javalin; cluster state comes from a background
 * {@link ClusterPoller} (controller admin API plus each datanode's stats), key lookups go
 * through the smart client. Also serves its own {@code /metrics}, {@code /healthz} and
 * {@code /readyz}.
 *
 * <pre>{@code
 * try (AdminUiServer ui = AdminUiServer.start(AdminUiConfig.builder(List.of(seeds), token).port(8080).build())) {
 *     System.out.println(ui.url());
 * }
 * }</pre>
 */
public final class AdminUiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminUiServer.class);

    private final AdminUiConfig config;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final AtomicReference<Boolean> closed = new AtomicReference<>(false);
    private volatile Javalin app;
    private volatile ClusterPoller poller;
    private volatile EventLog events;

    private AdminUiServer(AdminUiConfig config) {
        this.config = config;
    }

    /**
     * Starts with the controller's admin calls behind the actions (add, decommission, remove,
     * migrations), authorised with the UI's admin token, which must be the controller's.
     */
    public static AdminUiServer start(AdminUiConfig config) {
        return start(config, null);
    }

    /**
     * Binds the port and starts polling. On failure everything started is stopped again.
     *
     * @param actions what operators can do to the cluster; null for the controller's admin calls
     * @throws IllegalStateException when the port cannot be bound
     */
    public static AdminUiServer start(AdminUiConfig config, ClusterActions actions) {
        Objects.requireNonNull(config, "config");
        AdminUiServer server = new AdminUiServer(config);
        try {
            server.doStart(actions);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void doStart(ClusterActions given) {
        LOG.info("admin UI starting: {}", config);
        Clock clock = Clock.systemUTC();
        ProcessMetrics metrics = track(ProcessMetrics.withJvmMetrics());
        AdminClient admin = track(AdminClient.builder().seeds(config.seeds()).timeout(config.callTimeout())
                .connectTimeout(config.callTimeout()).build());
        ClusterActions actions = given != null ? given : new AdminClientActions(admin, config.adminToken());
        LazyClient client = track(new LazyClient(config));
        events = new EventLog(1000, clock);
        WriteRates rates = new WriteRates(600);
        poller = track(new ClusterPoller(admin, new NodeStatsClient(config.callTimeout()), actions, events, rates,
                config.pollInterval(), clock));
        Security security = new Security(AdminToken.of(config.adminToken()),
                new Sessions(config.sessionLifetime(), 1000, clock), new LoginLimiter(10, Duration.ofMinutes(1), clock),
                config.requireLogin());
        UiMetrics uiMetrics = new UiMetrics(metrics.registry(), poller, security);
        Duration staleAfter = config.pollInterval().multipliedBy(3).plus(config.callTimeout().multipliedBy(2));
        Readiness readiness = () -> {
            var s = poller.snapshot();
            if (s.lastSuccess() == null) {
                return Readiness.Status.notReady("the cluster has not been reached yet: " + s.error());
            }
            if (Duration.between(s.lastSuccess(), clock.instant()).compareTo(staleAfter) > 0) {
                return Readiness.Status.notReady("no good poll since " + s.lastSuccess() + ": " + s.error());
            }
            return Readiness.Status.READY;
        };
        ApiRoutes routes = new ApiRoutes(poller, events, rates, new KeyLookup(client::get), actions, security, metrics,
                readiness);
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = 64 * 1024; // logins and action confirmations are tiny
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/public";
                sf.location = Location.CLASSPATH;
                sf.headers = Map.of("Cache-Control", "no-cache");
            });
            cfg.requestLogger.http(uiMetrics::record);
            routes.register(cfg.routes);
        });
        track(() -> app.stop());
        app.start();
        poller.start();
        LOG.info("admin UI on {} (cluster seeds {}, login {})", url(), config.seeds(),
                config.requireLogin() ? "required for every page" : "required for changes only");
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    /** {@code http://host:port/}. */
    public String url() {
        return "http://" + config.host() + ":" + port() + "/";
    }

    public AdminUiConfig config() {
        return config;
    }

    /** The event log (for tests and embedding). */
    public EventLog events() {
        return events;
    }

    /** The poller (for tests that want to wait for a fresh view). */
    public ClusterPoller poller() {
        return poller;
    }

    private <T extends AutoCloseable> T track(T resource) {
        synchronized (resources) {
            resources.push(resource);
        }
        return resource;
    }

    /** Stops the HTTP server, the poller and the cluster clients. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        synchronized (resources) {
            while (!resources.isEmpty()) {
                AutoCloseable r = resources.pop();
                try {
                    r.close();
                } catch (Exception e) {
                    LOG.warn("admin UI: error while closing {}", r, e);
                }
            }
        }
        LOG.info("admin UI stopped");
    }

    /** The smart client for key lookups, built on first use (so the UI starts even before the cluster serves). */
    private static final class LazyClient implements AutoCloseable {
        private final AdminUiConfig config;
        private ChainringClient client;
        private boolean closed;

        LazyClient(AdminUiConfig config) {
            this.config = config;
        }

        synchronized ChainringClient get() {
            if (closed) {
                throw new IllegalStateException("admin UI is closed");
            }
            if (client == null) {
                client = ChainringClient.builder().seeds(config.seeds()).timeout(config.callTimeout()).threads(2).build();
            }
            return client;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (client != null) {
                client.close();
            }
        }
    }
}

package io.chainring.adminui.web;

import io.chainring.observability.AdminToken;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what. Read-only GETs are open unless {@code requireLogin}; every request that
 * could change state is a POST that needs a logged-in session (cookie: HttpOnly,
 * SameSite=Strict) and that session's CSRF token in {@value #CSRF_HEADER}; cross-origin POSTs
 * are refused outright. Logging in takes the admin token as JSON, so a cross-site form cannot
 * post it, and wrong tokens are rate-limited per address.
 */
public final class Security {
    private static final Logger LOG = LoggerFactory.getLogger(Security.class);
    public static final String SESSION_COOKIE = "chainring_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Always viewable: the login page, what it needs, and the health/metrics endpoints scrapers use. */
    private static final String[] OPEN_PREFIXES = {"/css/", "/js/", "/vendor/"};
    private static final java.util.Set<String> OPEN_PATHS = java.util.Set.of("/login.html", "/favicon.svg",
            "/api/session", "/api/login", "/healthz", "/readyz", "/metrics");

    private final AdminToken token;
    private final Sessions sessions;
    private final LoginLimiter limiter;
    private final boolean requireLogin;

    public Security(AdminToken token, Sessions sessions, LoginLimiter limiter, boolean requireLogin) {
        this.token = Objects.requireNonNull(token, "token");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.requireLogin = requireLogin;
    }

    /** What the pages learn about their session ({@code GET /api/session}). */
    public record SessionView(boolean loggedIn, boolean requireLogin, String csrfToken) {
    }

    /** {@code POST /api/login} with body {@code {"token": "..."}}. */
    public record LoginRequest(String token) {
    }

    /** Runs before every request: sets protective headers and refuses what the caller may not do. */
    public void before(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        HandlerType method = ctx.method();
        boolean reading = method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS;
        String path = ctx.path();
        if (!reading) {
            if (crossOrigin(ctx)) {
                refuse(ctx, 403, "cross-origin request refused");
                return;
            }
            if (path.equals("/api/login")) {
                return;
            }
            Optional<Sessions.Session> s = session(ctx);
            if (s.isEmpty()) {
                refuse(ctx, 401, "log in first: changing the cluster needs the admin token");
                return;
            }
            String sent = ctx.header(CSRF_HEADER);
            if (sent == null || !java.security.MessageDigest.isEqual(sent.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    s.get().csrfToken().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                refuse(ctx, 403, "missing or wrong CSRF token (header " + CSRF_HEADER + "); reload the page and try again");
            }
            return;
        }
        if (requireLogin && !open(path) && session(ctx).isEmpty()) {
            if (path.startsWith("/api/")) {
                refuse(ctx, 401, "log in first: this UI requires a login to view the cluster");
            } else {
                ctx.redirect("/login.html?next=" + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8));
                ctx.skipRemainingHandlers();
            }
        }
    }

    public SessionView view(Context ctx) {
        Optional<Sessions.Session> s = session(ctx);
        return new SessionView(s.isPresent(), requireLogin, s.map(Sessions.Session::csrfToken).orElse(null));
    }

    /** Checks the token; on success starts a session and sets its cookie. */
    public void login(Context ctx) {
        String from = ctx.ip();
        String ct = ctx.contentType();
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            ctx.status(415).json(error(415, "send the token as JSON: {\"token\": \"...\"}"));
            return;
        }
        LoginRequest req;
        try {
            req = ctx.bodyAsClass(LoginRequest.class);
        } catch (Exception e) { // Jackson's parse errors arrive unchecked through Kotlin
            ctx.status(400).json(error(400, "send the token as JSON: {\"token\": \"...\"}"));
            return;
        }
        if (req == null || req.token() == null || req.token().isEmpty()) {
            ctx.status(400).json(error(400, "no token given"));
            return;
        }
        // the right token always logs in: the limit is on wrong tokens from the address, so a
        // guesser sharing the admin's address cannot lock the admin out; guessing itself is
        // bounded by the token's entropy (AdminToken), the limit keeps wrong tokens from flooding the log
        if (!token.matches(req.token()) && !limiter.allowed(from)) {
            ctx.status(429).json(error(429, "too many wrong tokens from " + from + "; wait "
                    + limiter.window().toSeconds() + " s and try again"));
            return;
        }
        if (!token.matches(req.token())) {
            limiter.failed(from);
            LOG.warn("admin UI: wrong admin token from {}", from);
            ctx.status(401).json(error(401, "wrong admin token"));
            return;
        }
        limiter.succeeded(from);
        session(ctx).ifPresent(old -> sessions.remove(old.id())); // a fresh id on every login
        Sessions.Session s = sessions.create();
        ctx.cookie(new Cookie(SESSION_COOKIE, s.id(), "/", (int) sessions.lifetime().toSeconds(),
                "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
        LOG.info("admin UI: login from {}", from);
        ctx.json(new SessionView(true, requireLogin, s.csrfToken()));
    }

    public void logout(Context ctx) {
        session(ctx).ifPresent(s -> sessions.remove(s.id()));
        ctx.cookie(new Cookie(SESSION_COOKIE, "", "/", 0, "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
        ctx.json(new SessionView(false, requireLogin, null));
    }

    public Optional<Sessions.Session> session(Context ctx) {
        return sessions.find(ctx.cookie(SESSION_COOKIE));
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** The JSON body of every refusal and error. */
    public static Map<String, Object> error(int status, String message) {
        return Map.of("status", status, "error", message);
    }

    private static void refuse(Context ctx, int status, String message) {
        ctx.status(status).json(error(status, message));
        ctx.skipRemainingHandlers();
    }

    private static boolean open(String path) {
        if (OPEN_PATHS.contains(path)) {
            return true;
        }
        for (String p : OPEN_PREFIXES) {
            if (path.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** An Origin naming another site, or a browser saying the request is cross-site. */
    private static boolean crossOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin != null && !origin.equals("null")) {
            return host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host));
        }
        if (origin != null) {
            return true; // "null": sandboxed or file:// documents
        }
        return "cross-site".equals(ctx.header("Sec-Fetch-Site"));
    }
}

package io.chainring.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.client.ChainringClient;
import io.chainring.ring.KeyHasher;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The JSON API, security and metrics of the admin UI, over real HTTP, against a real embedded cluster. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("cluster")
class AdminUiApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static UiFixture f;
    private static ChainringClient client;

    @BeforeAll
    static void start() throws Exception {
        f = UiFixture.start(false);
        client = ChainringClient.builder().seeds(f.cluster.seeds()).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (f != null) {
            f.close();
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = f.get(path);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return json(r);
    }

    @Test
    @Order(1)
    void overviewSaysHealthyWithEveryNodeUp() throws Exception {
        JsonNode o = getJson("/api/overview");
        assertThat(o.get("health").asText()).isEqualTo("ok");
        assertThat(o.get("nodesUp").asInt()).isEqualTo(3);
        assertThat(o.get("nodesDown").asInt()).isZero();
        assertThat(o.get("partitionCount").asInt()).isEqualTo(UiFixture.PARTITIONS);
        assertThat(o.get("partitionsOk").asInt()).isEqualTo(UiFixture.PARTITIONS);
        assertThat(o.get("partitionsUnavailable").asInt()).isZero();
        assertThat(o.get("partitionsUnderReplicated").asInt()).isZero();
        assertThat(o.get("epoch").asLong()).isEqualTo(f.cluster.datanode("n1").ring().orElseThrow().epoch());
        assertThat(o.get("controller").asText()).isEqualTo(f.cluster.controllerAddress());
        assertThat(o.get("error").isNull()).isTrue();
    }

    @Test
    @Order(1)
    void nodesCarryControllerStatusAndDatanodeStats() throws Exception {
        for (int i = 0; i < 30; i++) {
            client.put("nodes-test-" + i, "v" + i);
        }
        f.ui.poller().pollOnce();
        JsonNode nodes = getJson("/api/nodes").get("nodes");
        assertThat(nodes).hasSize(3);
        int partitions = 0;
        long keys = 0;
        for (JsonNode n : nodes) {
            String id = n.get("id").asText();
            assertThat(n.get("address").asText()).isEqualTo("127.0.0.1:" + f.cluster.datanode(id).port());
            assertThat(n.get("state").asText()).isEqualTo("ACTIVE");
            assertThat(n.get("live").asBoolean()).isTrue();
            assertThat(n.get("serving").asBoolean()).isTrue();
            assertThat(n.get("diskBytes").asLong()).isPositive();
            assertThat(n.get("partitionStats")).hasSize(n.get("partitions").asInt());
            assertThat(n.get("heads").asInt()).isEqualTo(n.get("partitions").asInt()); // R = 1
            assertThat(n.get("partitionStats").get(0).get("role").asText()).isEqualTo("head+tail");
            assertThat(n.get("statsError").isNull()).isTrue();
            partitions += n.get("partitions").asInt();
            keys += n.get("keys").asLong();
        }
        assertThat(partitions).isEqualTo(UiFixture.PARTITIONS);
        assertThat(keys).isGreaterThanOrEqualTo(30);

        assertThat(getJson("/api/nodes/n2").get("id").asText()).isEqualTo("n2");
        HttpResponse<String> missing = f.get("/api/nodes/n9");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).contains("no node 'n9'");
    }

    @Test
    @Order(1)
    void ringListsEveryPartitionWithItsChain() throws Exception {
        JsonNode ring = getJson("/api/ring");
        assertThat(ring.get("partitionCount").asInt()).isEqualTo(UiFixture.PARTITIONS);
        assertThat(ring.get("partitions")).hasSize(UiFixture.PARTITIONS);
        Set<String> heads = new HashSet<>();
        for (int i = 0; i < UiFixture.PARTITIONS; i++) {
            JsonNode p = ring.get("partitions").get(i);
            assertThat(p.get("id").asInt()).isEqualTo(i);
            assertThat(p.get("chain")).hasSize(1);
            assertThat(p.get("health").asText()).isEqualTo("ok");
            assertThat(p.get("replicas").get(0).get("lagLsns").asLong()).isZero();
            heads.add(p.get("chain").get(0).asText());
        }
        assertThat(heads).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(ring.get("nodes")).hasSize(3);
    }

    @Test
    @Order(1)
    void lookupShowsPartitionChainValueAndVersion() throws Exception {
        long version = client.put("user:42", "hello from the client");
        JsonNode r = getJson("/api/lookup?key=user%3A42");
        int partition = KeyHasher.partitionOf("user:42".getBytes(StandardCharsets.UTF_8), UiFixture.PARTITIONS);
        assertThat(r.get("partition").asInt()).isEqualTo(partition);
        assertThat(r.get("found").asBoolean()).isTrue();
        assertThat(r.get("version").asLong()).isEqualTo(version);
        assertThat(r.get("valueText").asText()).isEqualTo("hello from the client");
        assertThat(r.get("valueHex").asText()).isEqualTo("68656c6c6f2066726f6d2074686520636c69656e74");
        JsonNode ring = getJson("/api/ring");
        assertThat(r.get("chain")).isEqualTo(ring.get("partitions").get(partition).get("chain"));

        // binary value, key given in hex
        client.put(new byte[]{0, 1, 2}, new byte[]{(byte) 0xff, 0x00, 0x10});
        JsonNode bin = getJson("/api/lookup?key=000102&hex=true");
        assertThat(bin.get("found").asBoolean()).isTrue();
        assertThat(bin.get("valueText").isNull()).isTrue();
        assertThat(bin.get("valueHex").asText()).isEqualTo("ff0010");

        JsonNode absent = getJson("/api/lookup?key=never-written");
        assertThat(absent.get("found").asBoolean()).isFalse();
        assertThat(absent.get("version").asLong()).isZero();
    }

    @Test
    @Order(1)
    void badLookupsGetClearErrors() throws Exception {
        HttpResponse<String> noKey = f.get("/api/lookup");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(json(noKey).get("error").asText()).contains("give a key");
        HttpResponse<String> badHex = f.get("/api/lookup?key=zz&hex=true");
        assertThat(badHex.statusCode()).isEqualTo(400);
        assertThat(json(badHex).get("error").asText()).contains("not valid hex");
        HttpResponse<String> tooLong = f.get("/api/lookup?key=" + "k".repeat(2000));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("error").asText()).contains("1024");
        HttpResponse<String> nothing = f.get("/api/nothing-here");
        assertThat(nothing.statusCode()).isEqualTo(404);
        assertThat(json(nothing).get("error").asText()).contains("no such API endpoint");
    }

    @Test
    @Order(1)
    void seriesMeasureWritesPerSecond() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        double best = 0;
        double bestOps = 0;
        double bestP99 = 0;
        int i = 0;
        while ((best <= 0 || bestOps <= 0 || bestP99 <= 0) && System.nanoTime() < deadline) {
            for (int j = 0; j < 20; j++) {
                client.put("series-" + i++, "x");
            }
            f.ui.poller().pollOnce();
            JsonNode s = getJson("/api/series");
            for (JsonNode w : s.get("writesPerSecond")) {
                best = Math.max(best, w.asDouble());
            }
            for (JsonNode o : s.get("opsPerSecond")) {
                bestOps = Math.max(bestOps, o.asDouble());
            }
            for (JsonNode node : s.get("p99MillisByNode")) {
                for (JsonNode p : node) {
                    bestP99 = Math.max(bestP99, p.asDouble());
                }
            }
        }
        assertThat(best).as("some poll saw writes").isPositive();
        assertThat(bestOps).as("some poll saw requests (the nodes' request counters grew)").isPositive();
        assertThat(bestP99).as("some node reported a p99").isPositive();
        JsonNode s = getJson("/api/series");
        assertThat(s.get("t").size()).isEqualTo(s.get("writesPerSecond").size()).isEqualTo(s.get("opsPerSecond").size());
        assertThat(s.get("writesByHead").fieldNames()).toIterable().contains("n1", "n2", "n3");
        assertThat(s.get("opsByNode").fieldNames()).toIterable().contains("n1", "n2", "n3");
        JsonNode n1 = getJson("/api/nodes/n1");
        assertThat(n1.has("opsPerSecond")).isTrue();
        assertThat(n1.get("p99Millis").isNumber()).as("n1 reports its p99").isTrue();
        assertThat(getJson("/api/overview").has("opsPerSecond")).isTrue();
    }

    @Test
    @Order(1)
    void eventLogStartsWithWhatTheUiObserved() throws Exception {
        JsonNode events = getJson("/api/events").get("events");
        JsonNode first = events.get(events.size() - 1);
        assertThat(first.get("kind").asText()).isEqualTo("OBSERVING");
        assertThat(first.get("summary").asText()).contains("3 of 3 nodes up");
        assertThat(f.get("/api/events?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(1)
    void metricsHealthAndReadiness() throws Exception {
        getJson("/api/overview");
        HttpResponse<String> m = f.get("/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body())
                .contains("chainring_adminui_polls_total{result=\"ok\"}")
                .contains("chainring_adminui_ring_epoch ")
                .contains("chainring_adminui_nodes{live=\"true\"} 3.0")
                .contains("chainring_adminui_partitions{health=\"ok\"} " + UiFixture.PARTITIONS + ".0")
                .contains("chainring_adminui_migrations_running 0.0")
                .contains("chainring_adminui_http_requests_total{method=\"GET\",route=\"/api/overview\",status=\"200\"}")
                .contains("chainring_adminui_http_request_seconds_bucket{route=\"/api/overview\"")
                .contains("jvm_memory_used_bytes")
                .doesNotContain("user:42").doesNotContain("never-written");
        assertThat(f.get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = f.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
    }

    @Test
    @Order(2)
    void actionsNeedLoginAndCsrfThenReachTheController() throws Exception {
        String body = "{\"planId\":\"p1\"}";
        HttpResponse<String> anonymous = f.post("/api/nodes/n1/decommission", body);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).get("error").asText()).contains("log in first");

        HttpResponse<String> wrong = f.post("/api/login", "{\"token\":\"not-the-token-at-all\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).get("error").asText()).isEqualTo("wrong admin token");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> ok = f.post("/api/login", "{\"token\":\"" + UiFixture.TOKEN + "\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("chainring_session=").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = json(ok).get("csrfToken").asText();
        assertThat(csrf).hasSizeGreaterThan(20);
        assertThat(getJsonWith("/api/session", cookie).get("loggedIn").asBoolean()).isTrue();

        HttpResponse<String> noCsrf = f.post("/api/nodes/n1/decommission", body, "Cookie", cookie);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(json(noCsrf).get("error").asText()).contains("CSRF");
        HttpResponse<String> badCsrf = f.post("/api/nodes/n1/decommission", body, "Cookie", cookie, "X-CSRF-Token", "nope");
        assertThat(badCsrf.statusCode()).isEqualTo(403);
        HttpResponse<String> crossSite = f.post("/api/nodes/n1/decommission", body, "Cookie", cookie, "X-CSRF-Token", csrf,
                "Origin", "http://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(json(crossSite).get("error").asText()).contains("cross-origin");

        HttpResponse<String> unknownAction = f.post("/api/nodes/n1/explode", body, "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(unknownAction.statusCode()).isEqualTo(400);
        HttpResponse<String> unknownNode = f.post("/api/nodes/n9/remove", body, "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(unknownNode.statusCode()).isEqualTo(404);
        HttpResponse<String> noPlan = f.post("/api/nodes/n1/remove", "{}", "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(noPlan.statusCode()).isEqualTo(400);
        assertThat(json(noPlan).get("error").asText()).contains("planId");
        HttpResponse<String> stalePlan = f.post("/api/nodes/n1/decommission", body, "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(stalePlan.statusCode()).as("a plan id no preview gave: %s", stalePlan.body()).isIn(400, 404, 409);

        // past login and CSRF, a change reaches the controller, with the UI's token
        HttpResponse<String> throttle = f.post("/api/migrations/throttle", "{\"bytesPerSecond\":1000000}", "Cookie", cookie,
                "X-CSRF-Token", csrf);
        assertThat(throttle.statusCode()).as(throttle.body()).isEqualTo(200);
        assertThat(json(throttle).get("throttleBytesPerSecond").asLong()).isEqualTo(1_000_000);
        assertThat(getJson("/api/migrations").get("throttleBytesPerSecond").asLong()).isEqualTo(1_000_000);
        assertThat(f.ui.events().newestFirst(1).get(0).summary()).startsWith("admin from 127.0.0.1")
                .contains("throttle set to 976.6 KiB/s");
        HttpResponse<String> badThrottle = f.post("/api/migrations/throttle", "{\"bytesPerSecond\":-1}", "Cookie", cookie,
                "X-CSRF-Token", csrf);
        assertThat(badThrottle.statusCode()).isEqualTo(400);
        HttpResponse<String> malformed = f.post("/api/migrations/throttle", "{not json", "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(malformed.statusCode()).isEqualTo(400);
        HttpResponse<String> noPlanToPause = f.post("/api/plan/pause", "{}", "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(noPlanToPause.statusCode()).as(noPlanToPause.body()).isEqualTo(409);
        assertThat(f.post("/api/plan/explode", "{}", "Cookie", cookie, "X-CSRF-Token", csrf).statusCode()).isEqualTo(404);

        // nothing changes state on GET: the action paths do not answer GET at all
        assertThat(f.get("/api/nodes/n1/decommission").statusCode()).isEqualTo(405);
        assertThat(f.get("/api/migrations/throttle").statusCode()).isIn(404, 405);
        assertThat(f.get("/api/plan/cancel").statusCode()).isIn(404, 405);
        assertThat(f.get("/api/plan?action=grow&node=n1").statusCode()).isEqualTo(400);
        JsonNode actions = getJson("/api/actions").get("actions");
        assertThat(actions.findValuesAsText("action")).contains("add", "decommission", "remove", "throttle", "pause",
                "resume", "cancel");

        HttpResponse<String> logout = f.post("/api/logout", "{}", "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(logout.statusCode()).isEqualTo(200);
        assertThat(f.post("/api/nodes/n1/decommission", body, "Cookie", cookie, "X-CSRF-Token", csrf).statusCode())
                .isEqualTo(401);
        assertThat(getJsonWith("/api/session", cookie).get("loggedIn").asBoolean()).isFalse();
    }

    @Test
    @Order(6) // last: it locks 127.0.0.1 out of logging in for a minute
    void loginRefusesFormPostsAndGuessing() throws Exception {
        HttpResponse<String> form = f.post("/api/login", "token=" + UiFixture.TOKEN, "Content-Type", "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isIn(400, 415);
        // ten wrong guesses from one address, then wrong tokens from it wait; the right one still logs in
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            int s = f.post("/api/login", "{\"token\":\"guess-number-" + i + "\"}").statusCode();
            if (s == 429) {
                refused++;
            }
        }
        assertThat(refused).isPositive();
        HttpResponse<String> wrong = f.post("/api/login", "{\"token\":\"one-more-guess\"}");
        assertThat(wrong.statusCode()).isEqualTo(429);
        assertThat(json(wrong).get("error").asText()).contains("too many wrong tokens");
        HttpResponse<String> right = f.post("/api/login", "{\"token\":\"" + UiFixture.TOKEN + "\"}");
        assertThat(right.statusCode()).as("the admin is not locked out by a guesser at the same address").isEqualTo(200);
    }

    @Test
    @Order(2)
    void requireLoginClosesEveryPageButTheLoginAndTheProbes() throws Exception {
        try (AdminUiServer closed = AdminUiServer.start(AdminUiConfig.builder(List.of(f.cluster.seeds()), UiFixture.TOKEN)
                .requireLogin(true).pollInterval(Duration.ofMillis(250)).build())) {
            String base = "http://127.0.0.1:" + closed.port();
            HttpResponse<String> api = f.http.send(HttpRequest.newBuilder(URI.create(base + "/api/overview")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(401);
            assertThat(json(api).get("error").asText()).contains("requires a login");
            for (String page : List.of("/", "/index.html", "/ring.html")) {
                HttpResponse<String> r = f.http.send(HttpRequest.newBuilder(URI.create(base + page)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(page).isEqualTo(302);
                assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/login.html?next=");
            }
            for (String open : List.of("/login.html", "/css/app.css", "/js/login.js", "/healthz", "/metrics", "/api/session")) {
                HttpResponse<String> r = f.http.send(HttpRequest.newBuilder(URI.create(base + open)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(open).isEqualTo(200);
            }
            HttpResponse<String> login = f.http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + UiFixture.TOKEN + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            HttpResponse<String> after = f.http.send(HttpRequest.newBuilder(URI.create(base + "/api/overview"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(200);
            HttpResponse<String> page = f.http.send(HttpRequest.newBuilder(URI.create(base + "/ring.html"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("id=\"ring-svg\"");
        }
    }

    @Test
    @Order(2)
    void actionsTheClusterCannotTakeAnswer501WithTheReason() throws Exception {
        try (AdminUiServer ui = AdminUiServer.start(AdminUiConfig.builder(List.of(f.cluster.seeds()), UiFixture.TOKEN)
                .pollInterval(Duration.ofMillis(250)).build(),
                new io.chainring.adminui.cluster.UnavailableClusterActions("this cluster is read-only for the test"))) {
            f.await("the second UI's first poll", Duration.ofSeconds(10), () -> ui.poller().snapshot().hasData());
            String base = "http://127.0.0.1:" + ui.port();
            HttpResponse<String> plan = f.http.send(HttpRequest.newBuilder(URI.create(base + "/api/plan?action=add&node=n1"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plan.statusCode()).isEqualTo(501);
            assertThat(json(plan).get("error").asText()).isEqualTo("cannot add n1: this cluster is read-only for the test");
            HttpResponse<String> migrations = f.http.send(HttpRequest.newBuilder(URI.create(base + "/api/migrations"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(migrations.statusCode()).isEqualTo(501);
            HttpResponse<String> actions = f.http.send(HttpRequest.newBuilder(URI.create(base + "/api/actions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            json(actions).get("actions").forEach(a -> assertThat(a.get("available").asBoolean()).isFalse());
        }
    }

    @Test
    @Order(3)
    void aRingChangeShowsInTheEventLog() throws Exception {
        long before = getJson("/api/overview").get("epoch").asLong();
        f.restartOnNewPort("n3");
        f.await("a ring change event", Duration.ofSeconds(30), () -> f.ui.events().newestFirst(100).stream()
                .anyMatch(e -> e.kind() == io.chainring.adminui.cluster.ClusterEvent.Kind.RING_CHANGE));
        JsonNode events = getJson("/api/events").get("events");
        JsonNode change = null;
        for (JsonNode e : events) {
            if (e.get("kind").asText().equals("RING_CHANGE")) {
                change = e;
            }
        }
        assertThat(change).isNotNull();
        assertThat(change.get("epochBefore").asLong()).isEqualTo(before);
        assertThat(change.get("epochAfter").asLong()).isGreaterThan(before);
        assertThat(change.get("summary").asText()).contains("address n3: 127.0.0.1:");
        assertThat(change.get("details").toString()).contains("chains changed: 0");
        assertThat(events.findValuesAsText("summary")).anyMatch(s -> s.contains("node n3 is down"));
    }

    @Test
    @Order(4)
    void addANewNodeThroughTheApiAndWatchItsPlanToTheEnd() throws Exception {
        for (int i = 0; i < 300; i++) {
            client.put("move-" + i, "value " + i);
        }
        String n4 = f.cluster.addDatanode().value();
        f.awaitJson(n4 + " registered as NEW", Duration.ofSeconds(30), "/api/nodes/" + n4,
                n -> n.get("state").asText().equals("NEW") && n.get("live").asBoolean());
        long epochBefore = getJson("/api/overview").get("epoch").asLong();

        // the preview: moves onto the new node, its share, nothing started
        JsonNode plan = getJson("/api/plan?action=add&node=" + n4);
        String planId = plan.get("planId").asText();
        assertThat(plan.get("ringEpoch").asLong()).isEqualTo(epochBefore);
        assertThat(plan.get("moves").size()).isPositive().isGreaterThanOrEqualTo(plan.get("lowerBound").asInt());
        plan.get("moves").forEach(m -> assertThat(m.get("to").asText()).isEqualTo(n4));
        JsonNode balance = null;
        for (JsonNode b : plan.get("balance")) {
            if (b.get("node").asText().equals(n4)) {
                balance = b;
            }
        }
        assertThat(balance).isNotNull();
        assertThat(balance.get("replicasBefore").asInt()).isZero();
        assertThat(balance.get("replicasAfter").asInt()).isEqualTo(plan.get("moves").size());
        JsonNode quiet = getJson("/api/migrations");
        assertThat(quiet.get("running")).isEmpty();
        assertThat(quiet.get("plan").isNull() || quiet.get("plan").get("finished").asBoolean()).isTrue();

        HttpResponse<String> login = f.post("/api/login", "{\"token\":\"" + UiFixture.TOKEN + "\"}");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = json(login).get("csrfToken").asText();
        HttpResponse<String> wrongPlan = f.post("/api/nodes/" + n4 + "/decommission", "{\"planId\":\"" + planId + "\"}",
                "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(wrongPlan.statusCode()).as("a preview of another action: %s", wrongPlan.body()).isEqualTo(400);

        HttpResponse<String> run = f.post("/api/nodes/" + n4 + "/add", "{\"planId\":\"" + planId + "\"}",
                "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        assertThat(json(run).get("plan").get("id").asText()).isEqualTo(planId);
        assertThat(json(run).get("result").asText()).startsWith("plan " + planId);
        io.chainring.adminui.cluster.ClusterEvent action = f.ui.events().newestFirst(1).get(0);
        assertThat(action.kind()).isEqualTo(io.chainring.adminui.cluster.ClusterEvent.Kind.ADMIN_ACTION);
        assertThat(action.summary()).startsWith("admin from 127.0.0.1").contains("add " + n4 + " — plan " + planId);
        assertThat(action.epochBefore()).isEqualTo(epochBefore);

        // progress is visible while it runs, then the plan ends DONE
        java.util.concurrent.atomic.AtomicBoolean sawProgress = new java.util.concurrent.atomic.AtomicBoolean();
        JsonNode done = f.awaitJson("plan " + planId + " DONE", Duration.ofSeconds(90), "/api/migrations", m -> {
            for (JsonNode x : m.get("running")) {
                if (x.get("bytesCopied").asLong() > 0 || x.get("percent").asDouble() > 0) {
                    sawProgress.set(true);
                }
            }
            JsonNode p = m.get("plan");
            // the plan can read DONE a moment before its last move leaves the running list
            return p != null && !p.isNull() && p.get("id").asText().equals(planId) && p.get("state").asText().equals("DONE")
                    && m.get("running").isEmpty();
        });
        JsonNode p = done.get("plan");
        assertThat(p.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(p.get("action").asText()).isEqualTo("add");
        assertThat(p.get("movesPlanned").asInt()).isEqualTo(plan.get("moves").size());
        assertThat(done.get("running")).isEmpty();
        assertThat(done.get("recent")).isNotEmpty();
        for (JsonNode x : done.get("recent")) {
            if (x.get("planId").asText().equals(planId)) {
                assertThat(x.get("step").asText()).isEqualTo("done");
                assertThat(x.get("to").asText()).isEqualTo(n4);
                assertThat(x.get("percent").asDouble()).isEqualTo(100.0);
                assertThat(x.get("bytesCopied").asLong()).as("a move copies its partition's keys").isNotNegative();
                sawProgress.compareAndSet(false, x.get("keysCopied").asLong() > 0);
            }
        }
        assertThat(sawProgress).as("some move showed copied keys or bytes").isTrue();

        // the node is ACTIVE with its share; the plan's end is in the event log with the epochs it spanned
        f.awaitJson(n4 + " ACTIVE", Duration.ofSeconds(20), "/api/nodes/" + n4,
                n -> n.get("state").asText().equals("ACTIVE") && n.get("partitions").asInt() == plan.get("moves").size());
        f.await("the plan's end in the event log", Duration.ofSeconds(20), () -> f.ui.events().newestFirst(50).stream()
                .anyMatch(e -> e.kind() == io.chainring.adminui.cluster.ClusterEvent.Kind.PLAN
                        && e.summary().contains(planId) && e.summary().endsWith("→ DONE")));
        JsonNode ended = null;
        for (JsonNode e : getJson("/api/events").get("events")) {
            if (ended == null && e.get("kind").asText().equals("PLAN") && e.get("summary").asText().endsWith("→ DONE")) {
                ended = e;
            }
        }
        assertThat(ended).isNotNull();
        assertThat(ended.get("epochBefore").asLong()).isEqualTo(epochBefore);
        assertThat(ended.get("epochAfter").asLong()).isGreaterThan(epochBefore);
        assertEveryMovedKeyReadsBack();
        assertThat(f.get("/metrics").body())
                .contains("chainring_adminui_http_requests_total{method=\"GET\",route=\"/api/migrations\",status=\"200\"}")
                .contains("chainring_adminui_http_requests_total{method=\"POST\",route=\"/api/nodes/{id}/{action}\",status=\"200\"}");
    }

    @Test
    @Order(5) // after the add: its keys are checked again
    void cancelARunningPlanAndEveryKeyStaysReadable() throws Exception {
        HttpResponse<String> login = f.post("/api/login", "{\"token\":\"" + UiFixture.TOKEN + "\"}");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = json(login).get("csrfToken").asText();
        // slow copies, so the plan is still running when the cancel comes
        assertThat(f.post("/api/migrations/throttle", "{\"bytesPerSecond\":2048}", "Cookie", cookie, "X-CSRF-Token", csrf)
                .statusCode()).isEqualTo(200);
        String victim = "n1";
        JsonNode plan = getJson("/api/plan?action=decommission&node=" + victim);
        assertThat(plan.get("moves")).isNotEmpty();
        plan.get("moves").forEach(m -> assertThat(m.get("from").asText()).isEqualTo(victim));
        String planId = plan.get("planId").asText();
        HttpResponse<String> run = f.post("/api/nodes/" + victim + "/decommission", "{\"planId\":\"" + planId + "\"}",
                "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);

        HttpResponse<String> cancel = f.post("/api/plan/cancel", "{}", "Cookie", cookie, "X-CSRF-Token", csrf);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(json(cancel).get("plan").get("state").asText()).isIn("CANCELLING", "CANCELLED");
        assertThat(f.ui.events().newestFirst(1).get(0).summary()).contains("cancel plan " + planId);
        JsonNode ended = f.awaitJson("plan " + planId + " CANCELLED", Duration.ofSeconds(60), "/api/migrations",
                m -> m.get("plan").get("id").asText().equals(planId) && m.get("plan").get("state").asText().equals("CANCELLED"));
        assertThat(ended.get("plan").get("finished").asBoolean()).isTrue();
        assertThat(ended.get("running")).isEmpty();
        assertThat(f.post("/api/plan/resume", "{}", "Cookie", cookie, "X-CSRF-Token", csrf).statusCode())
                .as("nothing to resume").isEqualTo(409);
        f.await("the cancel in the event log", Duration.ofSeconds(20), () -> f.ui.events().newestFirst(50).stream()
                .anyMatch(e -> e.kind() == io.chainring.adminui.cluster.ClusterEvent.Kind.PLAN
                        && e.summary().contains(planId) && e.summary().endsWith("CANCELLED")));
        assertEveryMovedKeyReadsBack();
        assertThat(f.post("/api/migrations/throttle", "{\"bytesPerSecond\":0}", "Cookie", cookie, "X-CSRF-Token", csrf)
                .statusCode()).isEqualTo(200);
    }

    /** Every key written before the moves reads back with its value (a moved partition may answer "retry" briefly). */
    private static void assertEveryMovedKeyReadsBack() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            String key = "move-" + i;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try {
                    assertThat(client.get(key).map(v -> new String(v.value(), StandardCharsets.UTF_8)))
                            .as(key).contains("value " + key.substring(5));
                    break;
                } catch (io.chainring.client.UnavailableException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(key + " still unreadable 10 s after its partition moved", e);
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    private static JsonNode getJsonWith(String path, String cookie) throws Exception {
        return json(f.get(path, "Cookie", cookie));
    }
}

package io.chainring.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.ChainringClient;
import io.chainring.ring.KeyHasher;
import io.chainring.testing.Browser;
import io.chainring.testing.BrowserTest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser: Debian's headless Chromium driven by its chromedriver (no driver
 * downloads), against a real embedded cluster. Each test saves a screenshot under
 * {@code target/screenshots/}. Skipped, loudly, on a machine without Chromium ({@link BrowserTest}).
 */
@BrowserTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiBrowserIT {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static UiFixture f;
    private static ChainringClient client;
    private static WebDriver driver;
    private static WebDriverWait wait;

    @TempDir
    static Path profile;

    @BeforeAll
    static void start() throws Exception {
        Browser browser = Browser.find().orElseThrow();
        f = UiFixture.start(false);
        client = ChainringClient.builder().seeds(f.cluster.seeds()).build();
        for (int i = 0; i < 200; i++) {
            client.put("warmup-" + i, "value " + i);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.chromium().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(browser.chromedriver().toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1000));
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        // the pages redraw themselves every second or two: a condition that met a redrawn element looks again
        wait.ignoring(StaleElementReferenceException.class);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (client != null) {
                client.close();
            }
            if (f != null) {
                f.close();
            }
        }
    }

    private static void open(String path) {
        driver.get(f.url(path));
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void login(String token) {
        open("/login.html");
        WebElement field = visible(By.id("token"));
        field.clear();
        field.sendKeys(token);
        driver.findElement(By.id("login-button")).click();
    }

    @Test
    @Order(1)
    void aWrongTokenIsRefused() throws Exception {
        login("this-is-not-the-token");
        WebElement error = visible(By.id("login-error"));
        assertThat(error.getText()).isEqualTo("Wrong admin token.");
        assertThat(driver.getCurrentUrl()).contains("/login.html");
        assertThat(driver.manage().getCookieNamed("chainring_session")).isNull();
        screenshot("01-login-wrong-token");
    }

    @Test
    @Order(1)
    void theLoginPageRedirectsOnlyWithinTheUi() throws Exception {
        for (String evil : List.of("/%5Cevil.example", "//evil.example", "https://evil.example/")) {
            driver.get(f.url("/login.html?next=" + evil));
            WebElement field = visible(By.id("token"));
            field.clear();
            field.sendKeys(UiFixture.TOKEN);
            driver.findElement(By.id("login-button")).click();
            wait.until(d -> !d.getCurrentUrl().contains("/login.html"));
            assertThat(driver.getCurrentUrl()).as("next=" + evil).isEqualTo(f.url("/"));
        }
        driver.get(f.url("/login.html?next=/nodes.html%3Fx%3D1"));
        visible(By.id("token")).sendKeys(UiFixture.TOKEN);
        driver.findElement(By.id("login-button")).click();
        // the login page's own URL holds "/nodes.html" in its next=: wait until the page has left it
        wait.until(d -> d.getCurrentUrl().contains("/nodes.html") && !d.getCurrentUrl().contains("/login.html"));
        assertThat(driver.getCurrentUrl()).isEqualTo(f.url("/nodes.html?x=1"));
        driver.manage().deleteAllCookies();
    }

    @Test
    @Order(2)
    void logInAndSeeTheOverview() throws Exception {
        login(UiFixture.TOKEN);
        wait.until(ExpectedConditions.textToBe(By.id("who-state"), "admin"));
        assertThat(driver.getCurrentUrl()).isEqualTo(f.url("/"));
        assertThat(driver.manage().getCookieNamed("chainring_session").isHttpOnly()).isTrue();
        wait.until(ExpectedConditions.textToBe(By.id("health-badge"), "OK"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#overview-nodes tbody tr"), 3));
        assertThat(textOf(By.cssSelector("#card-nodes .value"))).isEqualTo("3 / 3");
        wait.until(d -> !d.findElements(By.cssSelector("#overview-chart canvas")).isEmpty());
        screenshot("02-overview");
    }

    @Test
    @Order(3)
    void theNodesPageShowsEveryNode() throws Exception {
        open("/nodes.html");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#nodes-table tbody tr[data-node-id]"), 3));
        for (String id : List.of("n1", "n2", "n3")) {
            By row = By.cssSelector("#nodes-table tr[data-node-id='" + id + "']");
            assertThat(textOf(row)).contains(id).contains("127.0.0.1:" + f.cluster.datanode(id).port()).contains("ACTIVE");
            // an ACTIVE node offers decommission (which previews its plan first), not add
            boolean decommissionEnabled = read(d -> d.findElement(row)
                    .findElement(By.cssSelector("button[data-action='decommission']")).isEnabled());
            assertThat(decommissionEnabled).isTrue();
            int addButtons = read(d -> d.findElement(row).findElements(By.cssSelector("button[data-action='add']")).size());
            assertThat(addButtons).isZero();
        }
        boolean noteShown = read(d -> d.findElement(By.id("actions-note")).isDisplayed());
        assertThat(noteShown).isFalse();
        read(d -> click(d.findElement(By.cssSelector("#nodes-table tr[data-node-id='n1']"))));
        wait.until(d -> !d.findElements(By.cssSelector("#partitions-of-n1 tbody tr")).isEmpty());
        screenshot("03-nodes");
    }

    @Test
    @Order(4)
    void theRingShowsEveryPartition() throws Exception {
        open("/ring.html");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#ring-svg g[data-partition]"),
                UiFixture.PARTITIONS));
        assertThat(driver.findElements(By.cssSelector("#partitions-table tbody tr"))).hasSize(UiFixture.PARTITIONS);
        assertThat(textOf(By.id("ring-centre-q"))).isEqualTo(UiFixture.PARTITIONS + " partitions");
        // colours follow the head node: partitions headed by different nodes differ
        List<String> fills = read(d -> d.findElements(By.cssSelector("#ring-svg g[data-partition] path")).stream()
                .map(p -> p.getAttribute("fill")).distinct().toList());
        assertThat(fills).hasSize(3);

        By p5 = By.cssSelector("#ring-svg g[data-partition='5']");
        read(d -> {
            new Actions(d).moveToElement(d.findElement(p5)).perform();
            return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tooltip"), "partition 5"));
        read(d -> click(d.findElement(p5).findElement(By.tagName("path"))));
        // the panel is re-rendered on every poll: look the elements up afresh (no stale references)
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-title"), "Partition 5"));
        String head = f.ui.poller().snapshot().ring().partitions().get(5).chain().get(0);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-chain"), head));
        screenshot("04-ring");
    }

    @Test
    @Order(5)
    void lookUpAKeyWrittenByTheClient() throws Exception {
        long version = client.put("user:42", "hello from the smart client");
        open("/lookup.html");
        visible(By.id("lookup-key")).sendKeys("user:42");
        driver.findElement(By.id("lookup-button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("result-value"), "hello from the smart client"));
        assertThat(textOf(By.id("result-version"))).isEqualTo(String.valueOf(version));
        int partition = KeyHasher.partitionOf("user:42".getBytes(StandardCharsets.UTF_8), UiFixture.PARTITIONS);
        assertThat(textOf(By.id("result-partition"))).isEqualTo(String.valueOf(partition));
        String head = f.ui.poller().snapshot().ring().partitions().get(partition).chain().get(0);
        assertThat(textOf(By.id("result-chain"))).contains(head);
        screenshot("05-key-lookup");
    }

    @Test
    @Order(6)
    void chartsAndMigrationsPages() throws Exception {
        for (int i = 0; i < 300; i++) {
            client.put("chart-" + i, "x");
        }
        open("/charts.html");
        wait.until(d -> d.findElements(By.cssSelector("#chart-writes canvas")).size() == 1
                && d.findElements(By.cssSelector("#chart-rtt canvas")).size() == 1);
        Thread.sleep(1500); // let a few polls land so the screenshot has lines
        screenshot("06-charts");

        open("/migrations.html");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("throttle-current"), "now "));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-none"), "No plan has run yet"));
        boolean unavailableShown = read(d -> d.findElement(By.id("migrations-unavailable")).isDisplayed());
        assertThat(unavailableShown).isFalse();
        boolean throttleEditable = read(d -> d.findElement(By.id("throttle-button")).isEnabled());
        assertThat(throttleEditable).as("logged in: the throttle is editable").isTrue();
        screenshot("07-migrations-idle");
    }

    @Test
    @Order(7)
    void aRingChangeAppearsInTheEventLog() throws Exception {
        long before = f.ui.poller().snapshot().ring().epoch();
        int newPort = f.restartOnNewPort("n3").port();
        open("/events.html");
        By change = By.cssSelector("#events-table tr[data-kind='RING_CHANGE']");
        wait.withTimeout(Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(change));
        assertThat(textOf(change)).contains(before + " → ").contains("address n3: 127.0.0.1:")
                .contains("→ 127.0.0.1:" + newPort);
        assertThat(textOf(By.id("events-table"))).contains("node n3 is down");
        read(d -> click(d.findElement(change))); // details open below
        wait.until(d -> d.findElement(By.id("events-table")).getText().contains("chains changed: 0"));
        screenshot("08-events");
    }

    @Test
    @Order(8)
    void addANewNodeWatchItsMigrationsAndSeeItInTheEventLog() throws Exception {
        // enough data, and a throttle low enough, that the moves take a few seconds to watch: about 200 KB
        // for the new node at 8 KiB/s, about 20 s, so that the plan is still running after the pause below
        // (a paused plan whose running moves all finish is done, with nothing left to resume)
        byte[] value = new byte[400];
        java.util.Arrays.fill(value, (byte) 'v');
        for (int i = 0; i < 2000; i++) {
            client.put(("bulk-" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        open("/migrations.html");
        WebElement throttle = visible(By.id("throttle"));
        wait.until(d -> !throttle.getAttribute("value").isEmpty());
        // keep the field focused while typing: the page refills an unfocused field on every poll
        // (WebElement.clear() blurs it, so clear-then-type could append to a refilled value)
        throttle.click();
        throttle.sendKeys(Keys.chord(Keys.CONTROL, "a"), "8192");
        assertThat(throttle.getAttribute("value")).isEqualTo("8192");
        read(d -> click(d.findElement(By.id("throttle-button"))));
        wait.until(ExpectedConditions.textToBe(By.id("throttle-result"), "throttle 8.0 KiB/s"));
        wait.until(ExpectedConditions.textToBe(By.id("throttle-current"), "now 8.0 KiB/s"));

        String n4 = f.cluster.addDatanode().value();
        open("/nodes.html");
        By row = By.cssSelector("#nodes-table tr[data-node-id='" + n4 + "']");
        wait.withTimeout(Duration.ofSeconds(30)).until(d -> {
            var rows = d.findElements(row);
            return !rows.isEmpty() && rows.get(0).getText().contains("NEW");
        });
        String state = read(d -> d.findElement(row).findElement(By.cssSelector("td:nth-child(4)")).getText());
        assertThat(state).isEqualTo("NEW");

        // preview: the moves onto the new node are listed before anything changes
        read(d -> click(d.findElement(row).findElement(By.cssSelector("button[data-action='add']"))));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("plan-confirm")));
        List<String> moves = read(d -> d.findElements(By.cssSelector("#plan-moves-table tbody tr[data-move-partition]"))
                .stream().map(WebElement::getText).toList());
        assertThat(moves).isNotEmpty();
        assertThat(moves).allSatisfy(m -> assertThat(m).contains(n4));
        assertThat(textOf(By.id("plan-moves"))).isEqualTo(String.valueOf(moves.size()));
        assertThat(textOf(By.id("plan-balance"))).containsPattern(n4 + "\\s+0 \\(0\\)\\s+→");
        String planId = textOf(By.id("plan-id"));
        assertThat(f.ui.poller().snapshot().node(n4).orElseThrow().state()).as("a preview changes nothing").isEqualTo("NEW");
        screenshot("09-add-node-preview");

        // confirm, then follow it on the migrations page until the plan is done
        read(d -> click(d.findElement(By.id("plan-confirm"))));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("plan-started"), "plan " + planId));
        read(d -> click(d.findElement(By.id("to-migrations"))));
        wait.until(ExpectedConditions.textToBe(By.id("plan-id"), planId));
        assertThat(textOf(By.id("plan-what"))).isEqualTo("add " + n4);

        // pause and resume the plan from the page (plan-level: running moves finish, no new ones start)
        wait.until(ExpectedConditions.elementToBeClickable(By.id("plan-pause"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("plan-state"), "PAUSED"));
        assertThat(textOf(By.id("plan-result"))).isEqualTo("plan " + planId + " paused");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("plan-resume"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("plan-state"), "RUNNING"));

        boolean shotWhileCopying = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!textOf(By.id("plan-state")).equals("DONE")) {
            if (System.nanoTime() > deadline) {
                screenshot("10-migrations-timeout");
                throw new AssertionError("plan " + planId + " not DONE within 90 s: "
                        + textOf(By.id("plan-panel")));
            }
            if (!shotWhileCopying && aMoveIsPartWayThrough()) {
                screenshot("10-migrations-running"); // a move part way through its copy
                shotWhileCopying = true;
            }
            Thread.sleep(100);
        }
        wait.until(ExpectedConditions.attributeToBe(By.id("plan-progress"), "data-percent", "100.0"));
        wait.until(ExpectedConditions.textMatches(By.id("plan-progress-text"),
                java.util.regex.Pattern.compile("^" + moves.size() + " of " + moves.size() + " moves done")));
        assertThat(driver.findElements(By.cssSelector("#recent-table tr[data-step='done']"))).isNotEmpty();
        boolean pauseEnabled = read(d -> d.findElement(By.id("plan-pause")).isEnabled());
        assertThat(pauseEnabled).as("nothing to pause").isFalse();
        screenshot("11-migrations-done");

        // the event log: who started it (epoch before) and the plan's end (epoch before → after)
        open("/events.html");
        By action = By.cssSelector("#events-table tr[data-kind='ADMIN_ACTION']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(action));
        assertThat(textOf(action)).contains("admin from 127.0.0.1").contains(planId);
        assertThat(textOf(By.id("events-table"))).contains("add " + n4 + " — plan " + planId)
                .contains("pause plan " + planId).contains("RUNNING → PAUSED").contains("stream throttle set to 8.0 KiB/s");
        String ended = wait.withTimeout(Duration.ofSeconds(20)).until(d -> d.findElements(
                By.cssSelector("#events-table tr[data-kind='PLAN']")).stream()
                .map(WebElement::getText).filter(t -> t.contains("→ DONE")).findFirst().orElse(null));
        assertThat(ended).containsPattern("\\d+ → \\d+").contains(planId);
        screenshot("12-events-after-add");

        // the node is ACTIVE and holds what the plan gave it
        open("/nodes.html");
        wait.withTimeout(Duration.ofSeconds(20)).until(d -> d.findElement(
                By.cssSelector("#nodes-table tr[data-node-id='" + n4 + "'] td:nth-child(4)")).getText().equals("ACTIVE"));
        assertThat(textOf(By.cssSelector("#nodes-table tr[data-node-id='" + n4 + "'] td:nth-child(7)")))
                .isEqualTo(String.valueOf(moves.size()));
        screenshot("13-nodes-after-add");
    }

    private static String textOf(By by) {
        return read(d -> d.findElement(by).getText());
    }

    /**
     * The pages re-render every second or two: an element found a moment ago may be gone by the time it
     * is read. Reads look their elements up afresh and are retried when the page was redrawn under them.
     */
    private static <T> T read(Function<WebDriver, T> reading) {
        for (int attempt = 0; ; attempt++) {
            try {
                return reading.apply(driver);
            } catch (StaleElementReferenceException e) {
                if (attempt >= 20) {
                    throw e;
                }
            }
        }
    }

    private static boolean click(WebElement element) {
        element.click();
        return true;
    }

    private boolean aMoveIsPartWayThrough() {
        try {
            return driver.findElements(By.cssSelector("#running-table .progress")).stream()
                    .map(b -> b.getAttribute("data-percent")).filter(java.util.Objects::nonNull)
                    .mapToDouble(Double::parseDouble).anyMatch(pct -> pct > 5 && pct < 95);
        } catch (org.openqa.selenium.StaleElementReferenceException rerendered) {
            return false; // the table was redrawn while it was read: look again on the next round
        }
    }

    @Test
    @Order(9)
    void logOut() throws Exception {
        open("/");
        visible(By.id("logout")).click();
        wait.until(ExpectedConditions.urlContains("/login.html"));
        assertThat(driver.manage().getCookieNamed("chainring_session")).isNull();
        open("/");
        wait.until(ExpectedConditions.textToBe(By.id("who-state"), "read-only"));
    }
}

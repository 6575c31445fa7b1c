package io.popfleet.web;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import io.popfleet.inventory.NodeService;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.RunService;
import io.popfleet.security.Roles;
import io.popfleet.testing.Fault;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.RunWaits;
import io.popfleet.testing.SimulatedNodes;
import io.popfleet.testing.SshTestFleet;
import io.popfleet.testing.TestUsers;

import static io.popfleet.testing.FleetAssertions.assertThat;
import static io.popfleet.testing.NodeBuilder.aNode;
import static io.popfleet.testing.RunRequests.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in headless Chromium (Debian's chromium and chromedriver) against eight in-process SSH nodes
 * running the real node tool. Skipped where either binary is missing. Screenshots go to target/screenshots.
 */
@QuarkusTest
class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final int SIZE = 8;

    private static final String CREDENTIAL = "BrowserTest";


    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(SIZE);

    private static Path profile;

    @TestHTTPResource("/")
    URL base;

    @Inject
    NodeService nodes;

    @Inject
    FleetRegistration registration;

    @Inject
    RunPlanner planner;

    @Inject
    RunService runs;

    private ChromeDriver browser;

    @BeforeAll
    static void requireChromium() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs /usr/bin/chromium and /usr/bin/chromedriver");
        // Selenium Manager must never look for a driver to download: the network is closed and Debian's fits.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        profile = Files.createTempDirectory("popfleet-chromium");
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void removeProfile() throws IOException {
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void fleetAndBrowser() throws Exception {
        Inventory.clearWithRuns();
        registration.register(FLEET, CREDENTIAL, 0,
                node -> aNode().named(name(node)).inGroup(node.index() < 4 ? "eu" : "us"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options());
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1360, 1000));
        logIn();
    }

    /** Through the real login form, as an operator would: the console refuses anonymous visitors. */
    private void logIn() {
        TestUsers.TestUser user = TestUsers.create(Roles.OPERATOR);
        open("/fleet");
        waiting(20).until(d -> d.getCurrentUrl().contains("/login?next="));
        browser.findElement(By.id("username")).sendKeys(user.username());
        browser.findElement(By.id("password")).sendKeys(user.password());
        browser.findElement(By.id("login")).click();
        waiting(20).until(d -> d.getCurrentUrl().endsWith("/fleet"));
        assertThat(browser.findElement(By.id("account")).getText()).isEqualTo(user.username());
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        TestUsers.deleteAll();
    }

    private static ChromeOptions options() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile.resolve("run-" + System.nanoTime()));
        return options;
    }

    private static String name(FleetNode node) {
        return String.format("sim-%02d", node.index());
    }

    private void open(String path) {
        browser.get(base.toString().replaceAll("/$", "") + path);
    }

    private WebDriverWait waiting(int seconds) {
        // htmx replaces the count and the table while we read them: a stale element means "look again".
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Starts a run from the form, for every node, and lands on its page. */
    private void startFromTheForm(String operation) throws IOException {
        open("/runs/new");
        new Select(browser.findElement(By.name("operation"))).selectByValue(operation);
        waiting(10).until(d -> d.findElement(By.id("node-count")).getText().equals(Integer.toString(SIZE)));
        screenshot("run-form-" + operation);
        browser.findElement(By.cssSelector("#run-form button[type=submit]")).click();
        waiting(10).until(d -> d.getCurrentUrl().matches(".*/runs/[0-9]+$"));
        // A marker that a reload would wipe: progress must arrive without one.
        ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = true;");
    }

    private List<String> rowStates() {
        return browser.findElements(By.cssSelector("#targets [data-field=state]")).stream()
                .map(WebElement::getText).toList();
    }

    @Test
    void theFleetPageListsEveryNode() throws IOException {
        open("/fleet");

        String page = browser.findElement(By.tagName("main")).getText();
        for (FleetNode node : FLEET.nodes()) {
            assertThat(page).contains(name(node));
        }
        screenshot("fleet");
    }

    @Test
    void aRunStartedFromTheFormShowsLiveProgressUntilEveryNodeIsOk() throws IOException {
        startFromTheForm("status");
        screenshot("run-progress");

        waiting(60).until(d -> d.findElement(By.id("run-percent")).getText().equals("100%")
                && rowStates().size() == SIZE && rowStates().stream().allMatch("ok"::equals));

        assertThat(((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage === true;"))
                .isEqualTo(true);
        assertThat(browser.findElement(By.id("run-state")).getText()).isEqualTo("finished");
        assertThat(browser.findElement(By.cssSelector("[data-count=ok]")).getText()).isEqualTo(Integer.toString(SIZE));
        // Once the run ends the table shows each node's data.
        waiting(10).until(d -> d.findElement(By.id("targets")).getText().contains("reputation"));
        assertThat(browser.findElement(By.id("cancel-form")).isDisplayed()).isFalse();
        screenshot("run-ok");

        open("/runs");
        assertThat(browser.findElement(By.cssSelector("table.runs")).getText()).contains("status", "8 ok", "8 total");
        screenshot("runs");
    }

    @Test
    void aMutatingOperationAsksToConfirmTheLiveNodeCount() throws IOException {
        open("/runs/new");
        new Select(browser.findElement(By.name("operation"))).selectByValue("restart");
        waiting(10).until(d -> d.findElement(By.id("run-count")).getText().contains("Yes, restart 8 nodes"));
        assertThat(browser.findElement(By.id("operation-fields")).getText()).contains("changes nodes", "--wait");

        new Select(browser.findElement(By.name("groups"))).selectByValue("eu");
        waiting(10).until(d -> d.findElement(By.id("run-count")).getText().contains("Yes, restart 4 nodes"));
        browser.findElement(By.name("opt.wait")).sendKeys("forever");
        browser.findElement(By.cssSelector("#run-form button[type=submit]")).click();

        waiting(10).until(d -> !d.findElements(By.id("form-errors")).isEmpty());
        assertThat(browser.findElement(By.id("form-errors")).getText()).contains("Nothing was started",
                "--wait must be a whole number");
        assertThat(QuarkusTransaction.requiringNew().call(() -> Run.count())).isZero();
        screenshot("run-form-refused");
    }

    @Test
    void theRunPageShowsWhyANodeFailed() throws IOException {
        FLEET.inject(3, Fault.REFUSE_CONNECTION);
        try {
            startFromTheForm("health");

            waiting(60).until(d -> d.findElement(By.id("run-state")).getText().startsWith("finished"));
            // When the run ends its script swaps in the whole table: look the row up afresh each time.
            waiting(10).until(d -> d.findElement(By.xpath("//tr[td[normalize-space()='sim-03']]")).isDisplayed()
                    && !d.findElements(By.cssSelector(".failure")).isEmpty());
            // Late progress events may swap the row again: read it whole, afresh, until it holds still.
            String[] row = waiting(10).ignoring(StaleElementReferenceException.class).until(d -> {
                WebElement failed = d.findElement(By.xpath("//tr[td[normalize-space()='sim-03']]"));
                return new String[] {failed.findElement(By.cssSelector("[data-field=state]")).getText(),
                        failed.findElement(By.cssSelector("[data-field=result]")).getText()};
            });
            assertThat(row[0]).isEqualTo("failed");
            assertThat(row[1]).startsWith("unreachable");
            // A finish with a failure is not the green badge of a clean one.
            assertThat(browser.findElement(By.id("run-state")).getText()).isEqualTo("finished, 1 failed");
            assertThat(browser.findElement(By.id("run-state")).getAttribute("class")).contains("run-partial");
            assertThat(browser.findElement(By.cssSelector("[data-count=failed]")).getText()).isEqualTo("1");
            assertThat(browser.findElement(By.id("retry-form")).isDisplayed()).isTrue();
            waiting(10).until(d -> d.findElement(By.id("run-finished")).getText().endsWith("UTC"));
            screenshot("run-failed");
            resize(800);
            // However long the reason, the node's name keeps to one line.
            assertThat(((Number) script("return document.evaluate(\"//tr[td[normalize-space()='sim-03']]/td[1]/a\","
                    + " document, null, 9, null).singleNodeValue.getClientRects().length;")).intValue()).isEqualTo(1);
            screenshot("run-failed-800");
        } finally {
            FLEET.clear(3, Fault.REFUSE_CONNECTION);
        }
    }

    @Test
    void aNodePageDrawsItsChartsTheLeaderboardRanksDriftOffersItsFixAndTheTourReadsWellAt1440And800()
            throws Exception {
        FleetNode one = FLEET.node(1);
        assertThat(SimulatedNodes.pop(one, "start")).isZero();
        try {
            assertThat(SimulatedNodes.pop(one, "set-wallet", "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU")).isZero();
            // Every status answer is an observation: two runs give each node two points of history.
            for (int i = 0; i < 2; i++) {
                Run run = planner.plan(read("status"), NodeSelection.all(), "test");
                assertThat(RunWaits.finished(runs, run.id)).hasCounts(SIZE, 0);
            }

            open("/nodes/" + nodes.getByName("sim-01").orElseThrow().id());
            waiting(10).until(d -> !d.findElements(By.cssSelector("#chart-reputation canvas")).isEmpty());
            assertThat(browser.findElements(By.cssSelector(".charts .uplot"))).hasSize(4);
            assertThat(browser.findElement(By.tagName("main")).getText()).contains("as of", "0.2.8", "node binary");
            screenshot("node");

            open("/leaderboard");
            List<WebElement> rows = browser.findElements(By.cssSelector("main table tbody tr"));
            assertThat(rows).hasSize(SIZE);
            List<Double> reputations = rows.stream()
                    .map(r -> Double.parseDouble(r.findElements(By.tagName("td")).get(2).getText().split(" ")[0]))
                    .toList();
            assertThat(reputations).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            screenshot("leaderboard");

            open("/drift");
            WebElement finding = browser.findElement(By.cssSelector("tr[data-node='sim-01'][data-kind='wallet_process']"));
            assertThat(finding.getText()).contains("pop restart");
            screenshot("drift");
            finding.findElement(By.linkText("run…")).click();
            waiting(10).until(d -> d.getCurrentUrl().contains("/runs/new"));
            assertThat(new Select(browser.findElement(By.name("operation"))).getFirstSelectedOption()
                    .getAttribute("value")).isEqualTo("restart");
            assertThat(browser.findElement(By.name("nodes")).getAttribute("value")).isEqualTo("sim-01");
            waiting(10).until(d -> d.findElement(By.id("run-count")).getText().contains("Yes, restart 1 node"));
            screenshot("drift-fix-prepared");

            // Another program holds ports 80 and 443 on sim-02: the drift page's longest plain-word facts.
            QuarkusTransaction.requiringNew().run(() -> io.popfleet.inventory.Node.getEntityManager()
                    .createNativeQuery("update node_status set enable_80_443 = true, port_80 = 'taken by nginx',"
                            + " port_443 = 'taken by nginx' where node_id = :id")
                    .setParameter("id", nodes.getByName("sim-02").orElseThrow().id()).executeUpdate());
            tourAt1440And800();
        } finally {
            SimulatedNodes.pop(one, "stop");
        }
    }

    /**
     * The README's tour page by page, at a desktop width and at 800 px (issue 17): stat cards on a grid, tables
     * that scroll in their own box rather than the page, drift facts that wrap between words, node charts with
     * hours on the time axis, values in the legend and units, and a message for an htmx request that failed.
     * Screenshots of every page at both widths go to target/screenshots. Called from the charts test, which has
     * already polled the fleet twice: the tour needs the same history, and a browser of its own would cost seconds.
     */
    private void tourAt1440And800() throws IOException {
        String node = "/nodes/" + nodes.getByName("sim-01").orElseThrow().id();
        List<String> pages = List.of("/fleet", node, "/leaderboard", "/drift", "/runs", "/rollouts",
                "/rollouts/new", "/audit");

        resize(1440);
        open("/fleet");
        assertThat(statCardsOffGrid()).as("stat cards off the first row's columns").isEmpty();
        screenshot("tour-1440-fleet");
        open(node);
        waiting(10).until(d -> Boolean.TRUE.equals(script("return !!(window.popfleetCharts"
                + " && window.popfleetCharts['chart-points'] && window.popfleetCharts['chart-state']);")));
        @SuppressWarnings("unchecked")
        List<String> ticks = (List<String>) script("return window.popfleetCharts['chart-reputation'].axes[0]._values;");
        assertThat(ticks).isNotEmpty().allMatch(t -> t.matches("([A-Z][a-z]{2} [0-9]{1,2} )?[0-9]{2}:[0-9]{2}")
                || t.matches("[A-Z][a-z]{2} [0-9]{1,2}"), "hours or days, never seconds");
        assertThat(script("return window.popfleetCharts['chart-egress'].axes[1].label;")).isEqualTo("TB");
        assertThat(script("return window.popfleetCharts['chart-points'].axes[1].label;")).isEqualTo("points");
        // Without the pointer on it, the legend shows the newest values, not dashes.
        String legend = browser.findElement(By.cssSelector("#chart-reputation .u-legend")).getText();
        assertThat(legend).contains("UTC", "reputation").doesNotContain("--");
        screenshot("tour-1440-node");

        resize(800);
        for (String path : pages) {
            open(path);
            if (path.equals(node)) {
                waiting(10).until(d -> Boolean.TRUE.equals(script("return !!(window.popfleetCharts"
                        + " && window.popfleetCharts['chart-state']);")));
            }
            assertThat(script("return Math.max(0, document.documentElement.scrollWidth"
                    + " - document.documentElement.clientWidth);")).as("%s scrolls sideways at 800 px", path)
                    .isEqualTo(0L);
            if (path.equals("/drift")) {
                assertThat(browser.findElements(By.cssSelector("tr[data-node='sim-02'][data-kind='ports_conflict']")))
                        .hasSize(1);
                assertThat(wordsSplitAcrossLines("table.drift td.fact code")).isEmpty();
            }
            screenshot("tour-800" + path.replaceAll("[^a-z0-9]+", "-"));
        }

        // An htmx request the controller refuses: the page says so instead of doing nothing.
        script("htmx.ajax('GET', '/fleet/no-such-part', {target: 'main'});");
        waiting(10).until(d -> !d.findElements(By.id("request-error")).isEmpty());
        assertThat(browser.findElement(By.id("request-error")).getText()).contains("404");
        screenshot("tour-800-request-error");
    }

    private Object script(String code) {
        return ((JavascriptExecutor) browser).executeScript(code);
    }

    private void resize(int width) {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1000));
        // The window's outer size includes no chrome in headless mode; make sure the page is as wide as asked.
        waiting(5).until(d -> ((Number) script("return window.innerWidth;")).intValue() <= width);
    }

    /** Stat cards below the first row whose left edge or width is not one of the first row's columns. */
    @SuppressWarnings("unchecked")
    private List<String> statCardsOffGrid() {
        return (List<String>) script("""
                const cards = [...document.querySelectorAll('.fleet-stats .stat')].map(c => c.getBoundingClientRect());
                const top = Math.min(...cards.map(r => r.top));
                const first = cards.filter(r => Math.abs(r.top - top) < 1);
                return cards.filter(r => Math.abs(r.top - top) >= 1)
                    .filter(r => !first.some(f => Math.abs(f.left - r.left) < 1 && Math.abs(f.width - r.width) < 1))
                    .map(r => r.left + '/' + r.width);
                """);
    }

    /** Words (up to 16 letters, not long tokens like wallet addresses) that a line break cuts in two. */
    @SuppressWarnings("unchecked")
    private List<String> wordsSplitAcrossLines(String selector) {
        return (List<String>) script("""
                const split = [];
                for (const el of document.querySelectorAll(arguments[0])) {
                  const text = el.firstChild;
                  if (!text || text.nodeType !== Node.TEXT_NODE) { continue; }
                  const re = /\\S+/g;
                  let m;
                  while ((m = re.exec(text.data)) !== null) {
                    if (m[0].length > 16) { continue; }
                    const range = document.createRange();
                    range.setStart(text, m.index);
                    range.setEnd(text, m.index + m[0].length);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    if (lines.size > 1) { split.push(m[0]); }
                  }
                }
                return split;
                """.replace("arguments[0]", "'" + selector + "'"));
    }
}

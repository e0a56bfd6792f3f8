package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium, driven through the system's chromedriver (Debian's {@code chromium}
 * and {@code chromium-driver}). Where they are missing the test is skipped with how to install
 * them — except under CI ({@code CI=true}), where that fails the run. Not thread-safe. Public, in
 * the demo's test jar, for the examples' browser tests.
 */
public final class Browser implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 640;
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChromeDriver driver;
    private final Path profile;
    private final Pool pool;

    private Browser(ChromeDriver driver, Path profile, Pool pool) {
        this.driver = driver;
        this.profile = profile;
        this.pool = pool;
    }

    /** Skips the calling test (fails it under CI) unless Chromium and chromedriver are installed. */
    public static void requireInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the browser tests: " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing; .ci/run installs them with apt-get install chromium chromium-driver");
        }
        Assumptions.assumeTrue(installed, "browser tests need Chromium and chromedriver: "
                + "sudo apt-get install chromium chromium-driver");
    }

    /** A new Chromium of its own, showing the page at {@code url}; {@link #close()} ends it. */
    public static Browser open(String url) throws Exception {
        Browser browser = start(null, false);
        browser.driver.get(url);
        return browser;
    }

    /**
     * As {@link #open}, with Chromium's network log on, so that {@link #webSocketHandshakeResponses()}
     * can tell what the WebSocket handshakes answered.
     */
    public static Browser openWatchingTheNetwork(String url) throws Exception {
        Browser browser = start(null, true);
        browser.driver.get(url);
        return browser;
    }

    /**
     * The response headers of the page's WebSocket handshakes so far, as Chromium saw them (its
     * network log, read and emptied here), names in lower case. Only for a browser opened by
     * {@link #openWatchingTheNetwork}.
     */
    public List<Map<String, String>> webSocketHandshakeResponses() {
        List<Map<String, String>> responses = new ArrayList<>();
        for (var entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = JSON.readTree(entry.getMessage()).path("message");
                if (message.path("method").asText().equals("Network.webSocketHandshakeResponseReceived")) {
                    Map<String, String> headers = new java.util.TreeMap<>();
                    message.path("params").path("response").path("headers").fields().forEachRemaining(
                            header -> headers.put(header.getKey().toLowerCase(java.util.Locale.ROOT),
                                    header.getValue().asText()));
                    responses.add(headers);
                }
            } catch (java.io.IOException unreadable) {
                throw new IllegalStateException("Chromium's network log could not be read: " + entry.getMessage(),
                        unreadable);
            }
        }
        return responses;
    }

    private static Browser start(Pool pool) throws Exception {
        return start(pool, false);
    }

    private static Browser start(Pool pool, boolean network) throws Exception {
        requireInstalled();
        Path profile = Files.createTempDirectory("wschat-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The machine is offline: without these flags Chromium keeps trying Google's services.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio",
                "--window-size=" + WIDTH + "," + HEIGHT, "--user-data-dir=" + profile);
        if (network) {
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), profile, pool);
    }

    /**
     * Chromiums kept between the tests of a class: starting one costs a loaded machine seconds, and a
     * class opens a dozen. A browser closed into the pool forgets its page (it leaves for
     * {@code about:blank}, which closes the page's WebSocket as a closed tab does), the page's storage
     * and cookies, and its window size; each test's servers listen on ports of their own, so no page of
     * one test is another test's origin. Not thread-safe: one test at a time.
     */
    public static final class Pool implements AutoCloseable {

        private final Deque<Browser> idle = new ArrayDeque<>();

        /** An idle browser of this pool, or a new one, showing the page at {@code url}. */
        public Browser open(String url) throws Exception {
            Browser browser = idle.isEmpty() ? start(this) : idle.pop();
            browser.driver.get(url);
            return browser;
        }

        private void giveBack(Browser browser) throws Exception {
            try {
                browser.script("try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}");
                browser.driver.get("about:blank");
                // Every site's cookies (a login's session, say): WebDriver's own call reaches the
                // current page's only, and about:blank has none.
                browser.driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
                browser.driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
            } catch (RuntimeException broken) {
                browser.quit();
                return;
            }
            idle.push(browser);
        }

        /** Ends every idle browser; one still open ends when it is closed. */
        @Override
        public void close() throws Exception {
            while (!idle.isEmpty()) {
                idle.pop().quit();
            }
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** The texts of the chat lines shown, oldest first. */
    public List<String> lines() {
        return texts("#chat-echo-area li");
    }

    /** The lines typed and not yet acknowledged by the server, oldest first. */
    public List<String> pending() {
        return texts("#pending li");
    }

    public List<String> members() {
        return texts("#members li");
    }

    /**
     * The shown texts of the elements, read in one script: at one instant of the page, not item by item
     * while the page redraws the list (which fails with a stale element), and in one round trip.
     */
    private List<String> texts(String selector) {
        Object texts = script("return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText.trim());", selector);
        return ((List<?>) texts).stream().map(String::valueOf).toList();
    }

    public String status() {
        return driver.findElement(By.id("chat-status")).getText();
    }

    public void awaitOnline() {
        await("the page is online").atMost(WAIT).until(() -> status().equals("online")
                && driver.findElement(By.id("chat-input")).isEnabled());
    }

    /**
     * Types into a field the way a person does: click it, select what it holds, type over it, press
     * Enter. Not {@link WebElement#clear()}: under the W3C rules that empties the field and blurs it,
     * which no person does, and the page's blur handler puts the nickname back into an emptied
     * nickname field.
     */
    public void type(String elementId, String text) {
        WebElement field = driver.findElement(By.id(elementId));
        field.click();
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), text, Keys.ENTER);
    }

    /** Types into a field as {@link #type} does, without the Enter: a form's first fields. */
    public void fill(String elementId, String text) {
        WebElement field = driver.findElement(By.id(elementId));
        field.click();
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), text);
    }

    public void say(String text) {
        type("chat-input", text);
    }

    /**
     * Types the lines one after another, each ended with Enter, in one go: as a fast typist would,
     * and in one round trip to the browser instead of three a line.
     */
    public void sayEach(List<String> texts) {
        WebElement field = driver.findElement(By.id("chat-input"));
        field.click();
        List<CharSequence> keys = new ArrayList<>();
        for (String text : texts) {
            keys.add(text);
            keys.add(Keys.ENTER);
        }
        field.sendKeys(keys.toArray(CharSequence[]::new));
    }

    /**
     * Waits until the condition holds; if it does not within {@link #WAIT}, fails with what the page
     * showed then (status, nickname field, members, pending and the last lines), so that a failure on
     * a machine nobody can look at still says what the user saw.
     */
    public void until(String what, Callable<Boolean> condition) {
        try {
            await(what).atMost(WAIT).until(condition);
        } catch (ConditionTimeoutException timedOut) {
            throw new AssertionError(timedOut.getMessage() + "\n" + describe(), timedOut);
        }
    }

    /** What the page shows now, for a failure's message; never fails itself. */
    public String describe() {
        try {
            List<String> lines = lines();
            return "the page showed: status=" + status()
                    + ", nickname field=" + driver.findElement(By.id("nick-input")).getAttribute("value")
                    + ", members=" + members() + ", pending=" + pending()
                    + ", last lines=" + lines.subList(Math.max(0, lines.size() - 15), lines.size());
        } catch (RuntimeException e) {
            return "the page could not be read: " + e;
        }
    }

    /** Runs a script in the page and returns its result, as WebDriver gives it. */
    public Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    void screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Ends this browser, or, if it came from a {@link Pool}, gives it back to the pool. */
    @Override
    public void close() throws Exception {
        if (pool != null) {
            pool.giveBack(this);
        } else {
            quit();
        }
    }

    private void quit() throws Exception {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

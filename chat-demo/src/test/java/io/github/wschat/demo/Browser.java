package io.github.wschat.demo;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium, driven through the system's chromedriver (Debian's {@code chromium}
 * and {@code chromium-driver}). Where they are missing the test is skipped with how to install
 * them — except under CI ({@code CI=true}), where that fails the run. Not thread-safe. Public, in
 * the demo's test jar, for the examples' browser tests.
 */
public final class Browser implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
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

    public static Browser open(String url) throws Exception {
        requireInstalled();
        Path profile = Files.createTempDirectory("wschat-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The machine is offline: without these flags Chromium keeps trying Google's services.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio",
                "--window-size=1000,640", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.get(url);
        return new Browser(driver, profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** The texts of the chat lines shown, oldest first. */
    public List<String> lines() {
        return texts(By.cssSelector("#chat-echo-area li"));
    }

    /** The lines typed and not yet acknowledged by the server, oldest first. */
    public List<String> pending() {
        return texts(By.cssSelector("#pending li"));
    }

    public List<String> members() {
        return texts(By.cssSelector("#members li"));
    }

    private List<String> texts(By by) {
        return driver.findElements(by).stream().map(WebElement::getText).toList();
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

    public void say(String text) {
        type("chat-input", text);
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

    Object script(String javascript) {
        return ((JavascriptExecutor) driver).executeScript(javascript);
    }

    void screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws Exception {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

package plaza.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import plaza.platform.config.PlazaConfig;
import plaza.platform.http.Json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * One standalone (embedded databases, demo data, a configured admin) shared by the admin and accessibility
 * browser tests, started on first use and stopped when the test JVM exits; and what those tests do with
 * Debian's headless Chromium: open a browser, sign in, take screenshots, run axe-core in the page.
 * Access tokens live 75 s, so an open page refreshes 15 s after signing in and every 15 s after: a user
 * disabled by an admin is signed out within that (the refresh is refused).
 */
final class BrowserPlaza {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("PLAZA_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("PLAZA_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final boolean PRESENT = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    static final Path SCREENSHOTS = Path.of("target/screenshots");
    static final String ADMIN_EMAIL = "admin@plaza.example";
    static final String ADMIN_PASSWORD = "violet-Harbor-Moss-7";
    static final String PASSWORD = "orange-Kettle-Sky-4";

    private static BrowserPlaza shared;
    private final Standalone plaza;
    final String base;

    private BrowserPlaza(Standalone plaza) {
        this.plaza = plaza;
        this.base = "http://127.0.0.1:" + plaza.port();
    }

    /**
     * The shared standalone; fails (PLAZA_REQUIRE_BROWSER=1) or skips the test, saying why, without a browser.
     * Stopped (its databases too) when the test JVM exits.
     */
    static synchronized BrowserPlaza get() throws IOException {
        if (!PRESENT && "1".equals(System.getenv("PLAZA_REQUIRE_BROWSER"))) {
            throw new IllegalStateException("PLAZA_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER
                                            + " is missing: run scripts/install-browser.sh");
        }
        Assumptions.assumeTrue(PRESENT, "Browser test skipped: no " + CHROMIUM + " / " + CHROMEDRIVER
                                        + " (install them with scripts/install-browser.sh)");
        if (shared == null) {
            Path data = Files.createTempDirectory("plaza-browser-admin");
            // A fixed free port, not 0: recipe calls catalog at server.port, read before the server binds.
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            shared = new BrowserPlaza(Standalone.start(PlazaConfig.override(Config.empty(), Map.of(
                    "server.port", String.valueOf(port), "server.host", "127.0.0.1",
                    "standalone.data-dir", data.toString(),
                    "plaza.access-log.enabled", "false",
                    "catalog.demo-data", "true", "recipe.demo-data", "true",
                    "auth.access-token-ttl", "PT75S",
                    "auth.admin.email", ADMIN_EMAIL, "auth.admin.password", ADMIN_PASSWORD))));
            Standalone started = shared.plaza;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "browser-plaza-stop"));
            Files.createDirectories(SCREENSHOTS);
        }
        return shared;
    }

    static ChromeDriver newBrowser() {
        ChromeDriver driver = chromium();
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /** Debian's headless Chromium as every browser test drives it: Korean, 1280 × 900. */
    static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             "--no-first-run", "--lang=ko-KR", "--window-size=1280,900");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                                        .usingAnyFreePort().build(), options);
    }

    /** A fresh page of the app in that browser: nothing stored, Korean, 1280 px wide. */
    void fresh(ChromeDriver browser) {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(base + "/");
        browser.executeScript("sessionStorage.clear(); localStorage.clear();");
        browser.get(base + "/");
    }

    /** Signs in through the form; waits until the header greets the user. */
    void signIn(ChromeDriver browser, String email, String password) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        browser.get(base + "/#/login");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("email"))).sendKeys(email);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    /** A new account through the API; its email (password: PASSWORD). */
    String registerByApi(String name) {
        String email = "web-admin-" + System.nanoTime() + "@example.com";
        try (Http1ClientResponse res = client().post("/auth/register").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(Json.write(Map.of("email", email, "password", PASSWORD, "name", name)))) {
            assertThat(res.status(), is(Status.CREATED_201));
        }
        return email;
    }

    /** The admin's login answer (access_token, user). */
    JsonNode adminLogin() {
        try (Http1ClientResponse res = client().post("/auth/login").header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(Json.write(Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD)))) {
            assertThat(res.status(), is(Status.OK_200));
            return Json.parse(res.as(String.class));
        }
    }

    Http1Client client() {
        return Http1Client.builder().baseUri(base).build();
    }

    /** The page at phone and desktop width, as target/screenshots/{name}-{390|1280}.png; back to 1280 px. */
    static void screenshots(ChromeDriver browser, String name) {
        for (int width : new int[] {390, 1280}) {
            browser.manage().window().setSize(new Dimension(width, 900));
            browser.executeScript("return document.fonts.ready");
            try {
                Files.write(SCREENSHOTS.resolve(name + "-" + width + ".png"), browser.getScreenshotAs(OutputType.BYTES));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String axeSource;

    /**
     * axe-core (from com.deque.html.axe-core:selenium's jar, test scope) run on the whole page: its serious and
     * critical violations, each as "rule (impact): help — the failing elements' selectors and summaries".
     * Injected through WebDriver, which the page's Content-Security-Policy does not govern.
     */
    @SuppressWarnings("unchecked")
    static List<String> seriousViolations(ChromeDriver browser) {
        synchronized (BrowserPlaza.class) {
            if (axeSource == null) {
                try (InputStream in = BrowserPlaza.class.getClassLoader().getResourceAsStream("axe.min.js")) {
                    if (in == null) {
                        throw new IllegalStateException("axe.min.js is not on the test class path (com.deque.html.axe-core:selenium)");
                    }
                    axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        if (!Boolean.TRUE.equals(browser.executeScript("return typeof window.axe === 'object'"))) {
            browser.executeScript(axeSource);
        }
        Object result = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then((r) => done(r.violations
                    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                    .map((v) => `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.map((n) => n.target.join(' ') + ' ' + n.failureSummary).join(' | '))))
                  .catch((e) => done(['axe failed: ' + e]));""");
        return (List<String>) result;
    }
}

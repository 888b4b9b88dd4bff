package plaza.standalone;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.is;
import static plaza.standalone.BrowserPlaza.screenshots;

/**
 * axe-core 4.10 run inside headless Chromium on every page of the web app, shopper's and admin's, in Korean
 * and a few in English: no serious or critical violation. A page added later is covered by adding it to
 * {@link #SHOPPER_PAGES} or {@link #ADMIN_PAGES}: its address and an element that shows it has loaded.
 * Admin pages are checked at 390 and 1280 px; their screenshots at both widths go to target/screenshots/a11y-*.png.
 */
class AccessibilityBrowserTest {

    /** A page: its name (for messages and screenshots), its address after {@code #}, what shows it is loaded. */
    record Page(String name, String route, String loaded) {
    }

    /** Pages a visitor sees signed out. */
    static final List<Page> SIGNED_OUT_PAGES = List.of(
            new Page("home", "/", ".cards"),
            new Page("login", "/login", "#login-form"),
            new Page("register", "/register", "#register-form"),
            new Page("products", "/products?q=" + enc("김치"), "#product-results"),
            new Page("forgot-password", "/forgot-password", "#forgot-form"),
            new Page("home-shopping", "/live", "#schedule"));

    /** Shopper pages, visited signed in. */
    static final List<Page> SHOPPER_PAGES = List.of(
            new Page("home-signed-in", "/", ".cards"),
            new Page("products-filtered", "/products?category=" + enc("채소") + "&sort=price_asc", "#product-results"),
            new Page("product", "/products/1", "#wish"),
            new Page("wishlist", "/wishlist", "main h1"),
            new Page("recipes", "/recipes", ".grid"),
            new Page("cook", "/cook?have=" + enc("계란,대파,두부"), "#cook-results"),
            new Page("recipe", "/recipes/1", "#bookmark"),
            new Page("bookmarks", "/bookmarks", "main h1"),
            new Page("chat", "/chat?group=a11y", "#chat-send"),
            new Page("account", "/account", "#password-h"),
            new Page("assistant", "/assistant", "#ai-new"),
            new Page("not-found", "/no-such-page", "main h1"));

    /** The admin portal ({USER} is the admin's own id). */
    static final List<Page> ADMIN_PAGES = List.of(
            new Page("admin", "/admin", "main .cards"),
            new Page("admin-products", "/admin/products", "#admin-products"),
            new Page("admin-products-search", "/admin/products?q=" + enc("김치"), "#admin-products"),
            new Page("admin-product-new", "/admin/products/new", "#product-form"),
            new Page("admin-product-edit", "/admin/products/1", "#product-form"),
            new Page("admin-product-import", "/admin/products/import", "#product-import"),
            new Page("admin-broadcasts", "/admin/broadcasts", "main .total"),
            new Page("admin-broadcast-new", "/admin/broadcasts/new", "#broadcast-form"),
            new Page("admin-broadcast-edit", "/admin/broadcasts/1", "#broadcast-form"),
            new Page("admin-broadcast-import", "/admin/broadcasts/import", "#broadcast-import"),
            new Page("admin-recipes", "/admin/recipes", "#admin-recipes"),
            new Page("admin-recipe-new", "/admin/recipes/new", "#recipe-form"),
            new Page("admin-recipe-edit", "/admin/recipes/1", "#recipe-form"),
            new Page("admin-recipe-import", "/admin/recipes/import", "#recipe-import"),
            new Page("admin-users", "/admin/users", "#admin-users"),
            new Page("admin-usage", "/admin/usage?user={USER}", "#quota-standing"),
            new Page("admin-keys", "/admin/keys", "#key-table"),
            new Page("admin-events", "/admin/events", "#event-total"));

    private static BrowserPlaza plaza;
    private static ChromeDriver browser;
    private static String adminId;

    @BeforeAll
    static void start() throws IOException {
        plaza = BrowserPlaza.get();
        browser = BrowserPlaza.newBrowser();
        adminId = plaza.adminLogin().path("user").path("user_id").asText();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void everyPageHasNoSeriousOrCriticalViolations() {
        List<String> found = new ArrayList<>();
        plaza.fresh(browser);
        for (Page page : SIGNED_OUT_PAGES) {
            found.addAll(check(page, false));
        }
        plaza.signIn(browser, BrowserPlaza.ADMIN_EMAIL, BrowserPlaza.ADMIN_PASSWORD);
        for (Page page : SHOPPER_PAGES) {
            found.addAll(check(page, false));
        }
        for (Page page : ADMIN_PAGES) {
            found.addAll(check(page, true));
        }
        // English too: the same pages with the other language's strings (lang="en").
        browser.findElement(By.cssSelector("button.lang")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> "en".equals(browser.findElement(By.tagName("html")).getAttribute("lang")));
        for (Page page : List.of(SHOPPER_PAGES.get(2), ADMIN_PAGES.get(4))) {
            found.addAll(check(new Page(page.name() + "-en", page.route(), page.loaded()), false));
        }
        assertThat("serious or critical axe-core violations", found, emptyIterable());
    }

    /** By keyboard alone: from the page's heading, Tab reaches the import's text box and its button; Enter imports. */
    @Test
    void anImportCanBeDoneByKeyboardAlone() {
        plaza.fresh(browser);
        plaza.signIn(browser, BrowserPlaza.ADMIN_EMAIL, BrowserPlaza.ADMIN_PASSWORD);
        browser.get(plaza.base + "/?page=keyboard#/admin/recipes/import");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recipe-import")));
        assertThat("the heading has the focus", browser.switchTo().activeElement().getTagName(), is("h1"));
        tabUntil("textarea");
        new Actions(browser).sendKeys("{\"title\":\"키보드 계란찜\",\"minutes\":10,\"servings\":1,"
                                      + "\"ingredients\":[{\"name\":\"계란\",\"quantity\":\"2개\"}],\"steps\":[\"찐다.\"]}").perform();
        tabUntil("button");
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.textToBe(By.cssSelector(".import-totals"), "1건 저장 · 0건 실패"));
        assertThat("the report's heading has the focus", browser.switchTo().activeElement().getText(), is("가져오기 결과"));
    }

    private static org.openqa.selenium.WebElement tabUntil(String tag) {
        for (int i = 0; i < 40; i++) {
            // Actions, not the element's sendKeys: keys sent to a file input are taken as a file name.
            new Actions(browser).sendKeys(Keys.TAB).perform();
            org.openqa.selenium.WebElement focused = browser.switchTo().activeElement();
            if (focused.getTagName().equals(tag) && focused.findElements(By.xpath("ancestor::main")).size() == 1) {
                return focused;
            }
        }
        throw new AssertionError("Tab never reached a " + tag + " in main");
    }

    /** The check can fail: an unlabelled field and a low-contrast text, put in a page, are found. */
    @Test
    void axeFindsAnUnlabelledFieldAndLowContrastText() {
        plaza.fresh(browser);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".cards")));
        browser.executeScript("""
                const main = document.getElementById('main');
                main.append(document.createElement('input'));
                const faint = document.createElement('p');
                faint.textContent = '흐린 글씨';
                faint.style.color = '#ddd';
                main.append(faint);""");
        List<String> violations = BrowserPlaza.seriousViolations(browser);
        assertThat(violations.toString(), violations.stream().anyMatch(v -> v.startsWith("label (critical)")), is(true));
        assertThat(violations.toString(), violations.stream().anyMatch(v -> v.startsWith("color-contrast (serious)")), is(true));
    }

    /** Opens the page, waits until it has loaded, screenshots it (admin pages), runs axe; its violations. */
    private static List<String> check(Page page, boolean screenshot) {
        // The app's own navigation (a hash change: axe stays loaded), after marking what shows now, so that
        // nothing of the previous page is taken for this one: the marker goes when the router renders.
        browser.executeScript("""
                const marker = document.createElement('span');
                marker.id = 'a11y-previous-page';
                document.getElementById('main').append(marker);
                const hash = '#' + arguments[0];
                if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
                else location.hash = hash;""", page.route().replace("{USER}", enc(adminId)));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(d -> d.findElements(By.id("a11y-previous-page")).isEmpty());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(page.loaded())));
        wait.until(d -> d.findElements(By.cssSelector("main .loading")).isEmpty());
        List<String> found = new ArrayList<>();
        // Admin pages at phone width too (their tables scroll sideways there), then at desktop width.
        for (int width : screenshot ? new int[] {390, 1280} : new int[] {1280}) {
            browser.manage().window().setSize(new Dimension(width, 900));
            browser.executeScript("return document.fonts.ready");
            List<String> violations = BrowserPlaza.seriousViolations(browser);
            assertThat("axe-core ran on " + page.name() + ": " + violations, violations.stream().noneMatch(v -> v.startsWith("axe failed")), is(true));
            violations.forEach(v -> found.add(page.name() + " at " + width + " px (#" + page.route() + "): " + v));
        }
        if (screenshot) {
            screenshots(browser, "a11y-" + page.name());
        }
        return found;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

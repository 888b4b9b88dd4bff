package plaza.standalone;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static plaza.standalone.BrowserPlaza.screenshots;

/**
 * The admin portal in headless Chromium against a real standalone (see BrowserPlaza): the configured admin
 * imports products from a JSON Lines file with one bad line and reads the per-line report; disables a user
 * whose open page (a second browser, in a chat group) is then signed out and its chat socket closed, and enables
 * them again; creates, edits and deletes a
 * product, a recipe and a broadcast; sets a user's AI quota; rotates the signing key; reads the event counts.
 * Bad input tried: a line without a price, a product name holding markup with an event handler (shown as
 * text), a shopper opening the portal (refused, and no menu entry).
 */
class AdminPortalBrowserTest {

    private static final String XSS = "<img src=x onerror=alert(1)> 가져온 김치";
    private static BrowserPlaza plaza;
    private static ChromeDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws IOException {
        plaza = BrowserPlaza.get();
        browser = BrowserPlaza.newBrowser();
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void signInAsAdmin() {
        plaza.fresh(browser);
        plaza.signIn(browser, BrowserPlaza.ADMIN_EMAIL, BrowserPlaza.ADMIN_PASSWORD);
    }

    @Test
    void adminImportsProductsWithOneBadLineAndReadsThePerLineReport() throws IOException {
        click(By.linkText("관리"));
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "관리자 포털"));
        click(By.cssSelector("main .admin-menu a[href='#/admin/products']"));
        click(By.id("import-products"));
        Path file = Files.createTempFile("products", ".jsonl");
        Files.writeString(file, """
                {"name":"관리자가 가져온 김치 1kg","brand":"가져온농장","category":"김치","price":12000,"stock":10,"keywords":["김치"]}
                {"name":"가격 없는 상품","category":"김치"}
                {"name":"%s","brand":"<b>가져온</b>","category":"김치","price":9000,"salePrice":8100,"stock":3}
                """.formatted(XSS.replace("\"", "\\\"")), StandardCharsets.UTF_8);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#product-import input[type=file]")))
                .sendKeys(file.toAbsolutePath().toString());
        click(By.cssSelector("#product-import button[type=submit]"));
        WebElement report = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("import-errors")));
        assertThat(browser.findElement(By.cssSelector(".import-totals")).getText(), is("2건 저장 · 1건 실패"));
        assertThat(report.findElements(By.cssSelector("tbody tr")).size(), is(1));
        assertThat(report.findElement(By.cssSelector("tbody th")).getText(), is("2"));
        assertThat(report.findElement(By.cssSelector("tbody td")).getText(), containsString("price"));
        screenshots(browser, "admin-import-report");

        // The imported rows are there; the name holding markup is text in the admin list, and nothing ran.
        browser.get(plaza.base + "/#/admin/products?q=" + URLEncoder.encode("가져온", StandardCharsets.UTF_8));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-products"), XSS));
        assertThat(browser.findElement(By.id("admin-products")).getText(), containsString("관리자가 가져온 김치 1kg"));
        assertThat(browser.findElement(By.id("admin-products")).getText(), not(containsString("가격 없는 상품")));
        assertThat(browser.findElements(By.cssSelector("main img")).size(), is(0));
        assertThat(browser.findElements(By.cssSelector("main b")).size(), is(0));
        noAlert();
        screenshots(browser, "admin-products-xss");
    }

    @Test
    void aDisabledUsersOpenPageIsSignedOutAndEnablingLetsThemBackIn() {
        String email = plaza.registerByApi("정지될 사용자");
        ChromeDriver other = BrowserPlaza.newBrowser();
        try {
            // Keep every WebSocket the page opens, to see the chat socket closed when the session ends.
            other.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", """
                    (() => {
                      const Real = window.WebSocket;
                      window.__plazaSockets = [];
                      window.WebSocket = class extends Real {
                        constructor(url, protocols) { super(url, protocols); window.__plazaSockets.push(this); }
                      };
                    })();"""));
            plaza.fresh(other);
            plaza.signIn(other, email, BrowserPlaza.PASSWORD);
            other.get(plaza.base + "/#/chat?group=admin-disable");
            new WebDriverWait(other, Duration.ofSeconds(10))
                    .until(d -> ((String) other.executeScript("return document.getElementById('chat-online')?.textContent ?? ''")).contains("명"));

            browser.get(plaza.base + "/#/admin/users");
            type(By.cssSelector("#admin-user-search input[name=query]"), email);
            click(By.cssSelector("#admin-user-search button[type=submit]"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-users"), email));
            assertThat(browser.findElement(By.cssSelector("#admin-users tbody tr")).getText(), containsString("사용 중"));
            screenshots(browser, "admin-users");
            click(By.cssSelector("#admin-users button[aria-label='정지: " + email + "']"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#admin-users tbody tr"), "정지됨"));

            // Its sessions are revoked: the open page's next refresh (every 15 s here) is refused, and it shows
            // the signed-out state — the sign-in link, and the sign-in form instead of the wishlist.
            new WebDriverWait(other, Duration.ofSeconds(30))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
            assertThat(other.findElements(By.id("sign-out")).size(), is(0));
            new WebDriverWait(other, Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
            assertThat(other.getCurrentUrl(), containsString("#/login"));
            assertThat((String) other.executeScript("return sessionStorage.getItem('plaza.session')"), is((String) null));
            // The chat socket was closed by the page (CLOSING or CLOSED), not left open on the old token.
            new WebDriverWait(other, Duration.ofSeconds(5)).until(d -> Boolean.TRUE.equals(other.executeScript(
                    "return window.__plazaSockets.length > 0 && window.__plazaSockets.every((s) => s.readyState >= 2)")));

            // Signing in again is refused while disabled; after enabling, it works.
            other.findElement(By.name("email")).sendKeys(email);
            other.findElement(By.name("password")).sendKeys(BrowserPlaza.PASSWORD);
            other.findElement(By.cssSelector("#login-form button[type=submit]")).click();
            new WebDriverWait(other, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#login-form .error")));

            click(By.cssSelector("#admin-users button[aria-label='정지 해제: " + email + "']"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#admin-users tbody tr"), "사용 중"));
            plaza.signIn(other, email, BrowserPlaza.PASSWORD);
        } finally {
            other.quit();
        }
    }

    @Test
    void adminCreatesEditsAndDeletesAProductARecipeAndABroadcast() {
        browser.get(plaza.base + "/#/admin/products/new");
        type(By.name("name"), "관리자 테스트 두부 300g");
        type(By.name("brand"), "콩마을");
        type(By.name("category"), "두부");
        type(By.name("price"), "3000");
        type(By.name("stock"), "7");
        type(By.name("keywords"), "두부, 콩");
        screenshots(browser, "admin-product-new");
        click(By.cssSelector("#product-form button[type=submit]"));
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "상품 수정"));
        wait.until(ExpectedConditions.attributeToBe(By.name("name"), "value", "관리자 테스트 두부 300g"));
        String productUrl = browser.getCurrentUrl();
        type(By.name("salePrice"), "2500");
        click(By.cssSelector("#product-form button[type=submit]"));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.attributeToBe(By.name("salePrice"), "value", "2500"));
        assertThat(browser.findElement(By.name("keywords")).getAttribute("value"), is("두부, 콩"));
        screenshots(browser, "admin-product-edit");
        // A bad edit: a sale price above the price is refused with the field named, in the form.
        type(By.name("salePrice"), "9000");
        click(By.cssSelector("#product-form button[type=submit]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#product-form .error"), "salePrice"));

        browser.get(plaza.base + "/#/admin/products?q=" + URLEncoder.encode("관리자 테스트 두부", StandardCharsets.UTF_8));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-products"), "2,500원"));
        click(By.cssSelector("#admin-products button[aria-label='삭제: 관리자 테스트 두부 300g']"));
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "검색 결과가 없습니다."));
        browser.get(productUrl);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main .error")));

        browser.get(plaza.base + "/#/admin/recipes/new");
        type(By.name("title"), "관리자 두부조림");
        type(By.name("minutes"), "20");
        type(By.name("servings"), "2");
        type(By.name("ingredients"), "두부 | 1모\n간장 | 3큰술\n깨 | 약간 | 선택");
        type(By.name("steps"), "두부를 굽는다.\n양념을 붓고 졸인다.");
        type(By.name("tags"), "반찬, 두부");
        click(By.cssSelector("#recipe-form button[type=submit]"));
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "레시피 수정"));
        wait.until(ExpectedConditions.attributeToBe(By.name("title"), "value", "관리자 두부조림"));
        assertThat(browser.findElement(By.name("ingredients")).getAttribute("value"), is("두부 | 1모\n간장 | 3큰술\n깨 | 약간 | 선택"));
        screenshots(browser, "admin-recipe-edit");
        browser.get(plaza.base + "/#/admin/recipes?q=" + URLEncoder.encode("관리자 두부조림", StandardCharsets.UTF_8));
        click(By.cssSelector("#admin-recipes button[aria-label='삭제: 관리자 두부조림']"));
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "레시피가 없습니다."));

        browser.get(plaza.base + "/#/admin/broadcasts/new");
        type(By.name("channel"), "admin-test");
        type(By.name("channelName"), "관리자 테스트 채널");
        type(By.name("title"), "관리자 특가 방송");
        setValue(By.name("startsAt"), "2026-03-10T23:30");
        setValue(By.name("endsAt"), "2026-03-11T00:30");
        type(By.name("productIds"), "1, 2");
        click(By.cssSelector("#broadcast-form button[type=submit]"));
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "방송 수정"));
        wait.until(ExpectedConditions.attributeToBe(By.name("startsAt"), "value", "2026-03-10T23:30"));
        // Crossing midnight in Seoul: on both days' schedules.
        browser.get(plaza.base + "/#/admin/broadcasts?date=2026-03-11&channel=admin-test");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-broadcasts"), "관리자 특가 방송"));
        assertThat(browser.findElement(By.id("admin-broadcasts")).getText(), containsString("03-10 23:30"));
        screenshots(browser, "admin-broadcasts-day");
        click(By.cssSelector("#admin-broadcasts button[aria-label='삭제: 관리자 특가 방송']"));
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "이 날짜에 방송이 없습니다."));
    }

    @Test
    void adminSetsAUsersQuotaRotatesTheSigningKeyAndReadsEventCounts() {
        String email = plaza.registerByApi("할당량 사용자");
        browser.get(plaza.base + "/#/admin/users?query=" + URLEncoder.encode(email, StandardCharsets.UTF_8));
        click(By.cssSelector("#admin-users a[aria-label='AI 사용량: " + email + "']"));
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "AI 사용량: " + email));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("quota-standing"), "기본값"));
        type(By.name("dailyTokens"), "5000");
        type(By.name("monthlyTokens"), "0");
        click(By.cssSelector("#quota-form button[type=submit]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("quota-standing"), "0 / 5,000"));
        assertThat(browser.findElement(By.id("quota-standing")).getText(), containsString("무제한"));
        assertThat(browser.findElement(By.id("quota-standing")).getText(), containsString("이 사용자 전용"));
        screenshots(browser, "admin-usage");
        click(By.id("quota-reset"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("quota-standing"), "기본값"));

        browser.get(plaza.base + "/#/admin/keys");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-table")));
        int before = browser.findElements(By.cssSelector("#key-table tbody tr")).size();
        click(By.cssSelector("#rotate-form button[type=submit]"));
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotated")));
        assertThat(browser.findElements(By.cssSelector("#key-table tbody tr")).size(), is(before + 1));
        screenshots(browser, "admin-keys-rotated");

        // Event counts per day: signing in, searching and viewing sent no events yet in this app, so an admin
        // sends two through the API and sees them counted.
        String token = plaza.adminLogin().path("access_token").asText();
        for (int i = 0; i < 2; i++) {
            try (var res = plaza.client().post("/events/track").header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json")
                    .header(io.helidon.http.HeaderNames.AUTHORIZATION, "Bearer " + token)
                    .submit("{\"event\":\"Admin Portal Checked\",\"messageId\":\"admin-portal-" + System.nanoTime() + "\",\"properties\":{}}")) {
                assertThat(res.status().code() / 100, is(2));
            }
        }
        browser.get(plaza.base + "/#/admin/events?event=" + URLEncoder.encode("Admin Portal Checked", StandardCharsets.UTF_8));
        wait.until(ExpectedConditions.textToBe(By.id("event-total"), "이벤트 2건"));
        assertThat(browser.findElement(By.id("event-stats")).getText(), containsString("Admin Portal Checked"));
        screenshots(browser, "admin-events");
    }

    @Test
    void aShopperSeesNoAdminMenuAndIsRefusedThePortal() {
        plaza.fresh(browser);
        plaza.signIn(browser, plaza.registerByApi("일반 쇼핑객"), BrowserPlaza.PASSWORD);
        assertThat(browser.findElements(By.linkText("관리")).size(), is(0));
        browser.get(plaza.base + "/#/admin/users");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("main [role=alert]"), "관리자만 볼 수 있는 페이지입니다."));
        assertThat(browser.findElements(By.id("admin-users")).size(), is(0));
        // Signed out, the portal asks to sign in first and comes back after.
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        browser.get(plaza.base + "/#/admin/keys");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        browser.findElement(By.name("email")).sendKeys(BrowserPlaza.ADMIN_EMAIL);
        browser.findElement(By.name("password")).sendKeys(BrowserPlaza.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-table")));
    }

    private static void noAlert() {
        try {
            browser.switchTo().alert();
            throw new AssertionError("an alert fired");
        } catch (NoAlertPresentException expected) {
            // the markup stayed text
        }
    }

    private static void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private static void type(By by, String text) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(by));
        input.clear();
        input.sendKeys(text);
    }

    /** Date and time inputs take their value from script: typing into them depends on the locale's format. */
    private static void setValue(By by, String value) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(by));
        browser.executeScript("arguments[0].value = arguments[1]", input, value);
    }
}

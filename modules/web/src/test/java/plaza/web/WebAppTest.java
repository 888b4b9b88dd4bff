package plaza.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The web app as PlazaServer serves it: caching (index revalidated with its ETag, hashed modules and WebJars
 * immutable), the security headers on every kind of answer, and static rules over the sources (no inline
 * script, no innerHTML, the same keys in both languages). Bad inputs tried: a stale If-None-Match, a hash of
 * an older build, a file that does not exist, HEAD instead of GET.
 */
class WebAppTest {

    private static final Path SOURCES = Path.of("src/main/resources/web");
    private static WebApp web;
    private static WebServer server;
    private static Http1Client client;

    @BeforeAll
    static void start() {
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "server.port", "0", "server.host", "127.0.0.1", "plaza.access-log.enabled", "false"));
        web = WebApp.create();
        server = PlazaServer.startUnmanaged(config, List.of(web));
        client = Http1Client.builder().baseUri("http://127.0.0.1:" + server.port()).build();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void indexIsRevalidatedWithItsEtagAndPointsAtThisBuildsModules() {
        String etag;
        try (Http1ClientResponse res = client.get("/").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-cache"));
            assertThat(res.headers().get(HeaderNames.CONTENT_TYPE).get(), startsWith("text/html"));
            securityHeaders(res);
            etag = res.headers().get(HeaderNames.ETAG).get();
            String html = res.as(String.class);
            assertThat(html, containsString("<html lang=\"ko\">"));
            assertThat(html, containsString("src=\"" + web.appPath() + "/main.js\""));
        }
        try (Http1ClientResponse res = client.get("/").header(HeaderNames.IF_NONE_MATCH, etag).request()) {
            assertThat(res.status(), is(Status.NOT_MODIFIED_304));
        }
        try (Http1ClientResponse res = client.get("/").header(HeaderNames.IF_NONE_MATCH, "\"an-older-build\"").request()) {
            assertThat(res.status(), is(Status.OK_200));
        }
    }

    @Test
    void hashedModulesAndWebJarsAreCachedForAYear() {
        for (String path : List.of(web.appPath() + "/main.js", web.appPath() + "/i18n/ko.js", web.appPath() + "/style.css",
                                   "/webjars/dompurify/3.2.4/dist/purify.es.mjs")) {
            try (Http1ClientResponse res = client.get(path).request()) {
                assertThat(path, res.status(), is(Status.OK_200));
                assertThat(path, res.headers().get(HeaderNames.CACHE_CONTROL).get(), is(WebApp.IMMUTABLE));
                assertThat(path, res.headers().get(HeaderNames.CONTENT_TYPE).get(), containsString("charset=UTF-8"));
                securityHeaders(res);
            }
            try (Http1ClientResponse res = client.head(path).request()) {
                assertThat(path, res.headers().get(HeaderNames.CACHE_CONTROL).get(), is(WebApp.IMMUTABLE));
            }
        }
        // An older build's hash must not be served as this build's immutable files.
        try (Http1ClientResponse res = client.get("/app/000000000000/main.js").request()) {
            assertThat(res.status(), is(Status.NOT_FOUND_404));
        }
        try (Http1ClientResponse res = client.get(web.appPath() + "/no-such-module.js").request()) {
            assertThat(res.status(), is(Status.NOT_FOUND_404));
        }
    }

    /** The platform's gzip reaches the static files too (text of 1 KiB or more; index.html is smaller). */
    @Test
    void modulesAndThePageAreGzipCompressedWhenAccepted() {
        for (String path : List.of(web.appPath() + "/pages/kok.js", "/webjars/dompurify/3.2.4/dist/purify.es.mjs")) {
            try (Http1ClientResponse res = client.get(path).header(HeaderNames.ACCEPT_ENCODING, "gzip").request()) {
                assertThat(path, res.status(), is(Status.OK_200));
                assertThat(path, res.headers().first(HeaderNames.CONTENT_ENCODING).orElse("identity"), is("gzip"));
            }
        }
    }

    private static void securityHeaders(Http1ClientResponse res) {
        String csp = res.headers().get(HeaderNames.create("Content-Security-Policy")).get();
        assertThat(csp, containsString("script-src 'self';"));
        assertThat(csp, not(containsString("unsafe-inline")));
        assertThat(csp, containsString("frame-ancestors 'none'"));
        assertThat(res.headers().get(HeaderNames.create("X-Content-Type-Options")).get(), is("nosniff"));
        assertThat(res.headers().get(HeaderNames.create("Referrer-Policy")).get(), is("strict-origin-when-cross-origin"));
    }

    @Test
    void noInlineScriptNoInnerHtmlAndOneStringModulePerLanguage() throws IOException {
        String index = Files.readString(SOURCES.resolve("index.html"));
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(index);
        while (scripts.find()) {
            assertThat("every script has a src: " + scripts.group(), scripts.group(1), containsString("src="));
        }
        assertThat(index, not(containsString("style=")));
        assertThat(index, not(containsString(" on")));
        try (Stream<Path> files = Files.walk(SOURCES.resolve("app"))) {
            for (Path js : files.filter(p -> p.toString().endsWith(".js")).toList()) {
                String code = Files.readString(js, StandardCharsets.UTF_8);
                assertThat(js.toString(), code, not(containsString("innerHTML")));
                assertThat(js.toString(), code, not(containsString("insertAdjacentHTML")));
                assertThat(js.toString(), code, not(containsString("document.write")));
                assertThat(js.toString(), code, not(containsString("eval(")));
            }
        }
        Set<String> ko = keys(SOURCES.resolve("app/i18n/ko.js"));
        Set<String> en = keys(SOURCES.resolve("app/i18n/en.js"));
        assertThat(ko.isEmpty(), is(false));
        Set<String> onlyKo = new TreeSet<>(ko);
        onlyKo.removeAll(en);
        Set<String> onlyEn = new TreeSet<>(en);
        onlyEn.removeAll(ko);
        assertThat("keys missing in en.js", onlyKo, emptyIterable());
        assertThat("keys missing in ko.js", onlyEn, emptyIterable());
        // Every t('key') the pages use is defined.
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve("app"))) {
            for (Path js : files.filter(p -> p.toString().endsWith(".js")).toList()) {
                Matcher m = Pattern.compile("\\bt\\('([a-zA-Z.]+)'").matcher(Files.readString(js));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        used.removeAll(ko);
        assertThat("t() keys not in ko.js", used, emptyIterable());
    }

    private static Set<String> keys(Path module) throws IOException {
        Set<String> keys = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*'([^']+)':").matcher(Files.readString(module));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }
}

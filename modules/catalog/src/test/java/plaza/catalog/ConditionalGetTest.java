package plaza.catalog;

import java.time.Clock;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.testing.JsonApi;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Conditional GET and paging links as HTTP clients and caches use them (RFC 9110 §13, RFC 8288): products,
 * product pages and broadcasts carry an ETag; If-None-Match with it is a 304 without a body until the
 * representation changes; product pages link to first/prev/next/last keeping the other query parameters.
 */
@ServerTest
class ConditionalGetTest {

    private static final TestTokens TOKENS = TestTokens.create();
    private static final String ADMIN = TOKENS.token("admin-1", "admin");

    private final Http1Client client;
    private final JsonApi api;

    ConditionalGetTest(Http1Client client) {
        this.client = client;
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestCatalog.configure(server, TOKENS, Clock.systemUTC(), ProductSearchTest.FIXTURE);
    }

    @Test
    void aProductIsNotSentAgainUntilItChanges() {
        String etag;
        try (HttpClientResponse first = client.get("/kok/products/5").request()) {
            assertThat(first.status().code(), is(200));
            etag = first.headers().first(HeaderNames.ETAG).orElseThrow();
        }
        assertThat(etag, etag.matches("W/\"[0-9a-f]+-[0-9a-f]+\""), is(true));
        try (HttpClientResponse again = client.get("/kok/products/5").header(HeaderNames.IF_NONE_MATCH, etag).request()) {
            assertThat(again.status().code(), is(304));
            assertThat(again.headers().first(HeaderNames.ETAG).orElseThrow(), is(etag));
            assertThat("304 has no body", again.entity().hasEntity(), is(false));
        }
        // a list of tags, the strong form of the same tag, and * all match (weak comparison)
        assertThat(status("/kok/products/5", "\"nope\", " + etag.substring(2)), is(304));
        assertThat(status("/kok/products/5", "*"), is(304));
        assertThat(status("/kok/products/5", "\"nope\""), is(200));

        String renamed = """
                {"name":"국산 대파 2단","brand":"초록들","category":"채소","price":6500,"stock":100}""";
        assertThat(api.send(Method.PUT, "/kok/products/5", ADMIN, "application/json", renamed).status(), is(200));
        try (HttpClientResponse changed = client.get("/kok/products/5").header(HeaderNames.IF_NONE_MATCH, etag).request()) {
            assertThat("a changed product is sent again", changed.status().code(), is(200));
            assertThat(changed.headers().first(HeaderNames.ETAG).orElseThrow(), is(not(etag)));
        }
    }

    @Test
    void productPagesAndBroadcastListsRevalidate() {
        for (String path : new String[] {"/kok/products?size=5&page=2", "/kok/categories", "/home-shopping/channels",
                                         "/home-shopping/schedule?date=2026-01-01"}) {
            String etag;
            try (HttpClientResponse first = get(path).request()) {
                assertThat(path, first.status().code(), is(200));
                etag = first.headers().first(HeaderNames.ETAG).orElseThrow(() -> new AssertionError(path + " has no ETag"));
            }
            assertThat(path, status(path, etag), is(304));
        }
    }

    @Test
    void productPagesLinkToTheirNeighbours() {
        // 42 fixture products, 10 a page: 5 pages
        try (HttpClientResponse page2 = client.get("/kok/products").queryParam("size", "10").queryParam("page", "2")
                .queryParam("sort", "price_asc").request()) {
            String link = page2.headers().first(HeaderNames.LINK).orElseThrow();
            assertThat(link, is("</kok/products?size=10&sort=price_asc&page=1>; rel=\"first\", "
                                + "</kok/products?size=10&sort=price_asc&page=1>; rel=\"prev\", "
                                + "</kok/products?size=10&sort=price_asc&page=3>; rel=\"next\", "
                                + "</kok/products?size=10&sort=price_asc&page=5>; rel=\"last\""));
        }
        try (HttpClientResponse last = client.get("/kok/products").queryParam("size", "10").queryParam("page", "5").request()) {
            String link = last.headers().first(HeaderNames.LINK).orElseThrow();
            assertThat(link, is("</kok/products?size=10&page=1>; rel=\"first\", </kok/products?size=10&page=4>; rel=\"prev\", "
                                + "</kok/products?size=10&page=5>; rel=\"last\""));
        }
        try (HttpClientResponse one = client.get("/kok/products").queryParam("size", "100").request()) {
            assertThat("a single page has no links", one.headers().first(HeaderNames.LINK).isPresent(), is(false));
        }
    }

    private int status(String path, String ifNoneMatch) {
        try (HttpClientResponse res = get(path).header(HeaderNames.IF_NONE_MATCH, ifNoneMatch).request()) {
            return res.status().code();
        }
    }

    /** A GET of a path that may carry a query ({@code client.get(String)} would take it for part of the path). */
    private io.helidon.webclient.http1.Http1ClientRequest get(String pathAndQuery) {
        String[] parts = pathAndQuery.split("\\?", 2);
        var req = client.get(parts[0]);
        if (parts.length > 1) {
            for (String pair : parts[1].split("&")) {
                String[] kv = pair.split("=", 2);
                req.queryParam(kv[0], kv[1]);
            }
        }
        return req;
    }
}

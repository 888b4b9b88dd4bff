package plaza.catalog;

import java.time.Clock;
import java.util.List;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import plaza.testing.HostileInput;
import plaza.testing.JsonApi;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Catalog's admin bodies under the platform's JSON policy, against a real MariaDB. Bad inputs tried:
 * every shape/syntax error of {@link HostileInput#WRONG_SHAPES} on product and broadcast create and
 * update; invalid UTF-8 and NUL in a product name; {@code rating} 1e-100000000 (36 s before), 1e309
 * and 2^63 in numeric fields; duplicate keys; imported ids of 2^62 and 2^63-1 (which left the next
 * server-assigned id out of range: every later create a 500); bodies with every optional field left out.
 */
@ServerTest
class CatalogInputTest {

    private static final TestTokens TOKENS = TestTokens.create();
    private static final String ADMIN = TOKENS.token("admin-1", "admin");
    private static final String PRODUCT = "{\"name\":\"햇감자\",\"category\":\"채소\",\"price\":6000}";
    private static final String BROADCAST = "{\"channel\":\"shop-a\",\"title\":\"감자 특집\","
                                            + "\"startsAt\":\"2025-03-10T20:00:00+09:00\",\"endsAt\":\"2025-03-10T21:00:00+09:00\"}";
    private final JsonApi api;

    CatalogInputTest(Http1Client client) {
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestCatalog.configure(server, TOKENS, Clock.systemUTC(), """
                {"id":1,"name":"국산 대파 1단","category":"채소","price":3500,"stock":10}
                """);
    }

    @Test
    void everyBadShapeIsACleanRefusal() {
        long broadcast = api.send(Method.POST, "/home-shopping/broadcasts", ADMIN, "application/json", BROADCAST).body().get("id").asLong();
        for (String path : List.of("/kok/products", "/kok/products/1", "/home-shopping/broadcasts", "/home-shopping/broadcasts/" + broadcast)) {
            Method method = path.matches(".*/\\d+") ? Method.PUT : Method.POST;
            for (String body : HostileInput.WRONG_SHAPES) {
                HostileInput.assertCleanRefusal(method + " " + path + " " + body, api.send(method, path, ADMIN, "application/json", body));
            }
            String wrongType = HostileInput.assertCleanRefusal(path, api.send(method, path, ADMIN, "application/json", "{\"title\":[1],\"name\":[1]}"));
            assertThat(wrongType, containsString("cannot be an array (expected a string)"));
        }
    }

    @Test
    void textMustBeValidUtf8WithoutNul() {
        for (byte[] body : HostileInput.invalidUtf8("{\"name\":\"감자", "\",\"category\":\"채소\",\"price\":1}")) {
            assertThat(HostileInput.assertCleanRefusal("utf-8", api.sendBytes(Method.POST, "/kok/products", ADMIN, "application/json", body)),
                       containsString("not valid UTF-8"));
        }
        assertThat(HostileInput.assertCleanRefusal("nul", api.send(Method.POST, "/kok/products", ADMIN, "application/json",
                                                                   PRODUCT.replace("햇감자", "햇\\u0000감자"))),
                   is("name: must not contain NUL (U+0000)"));
        assertThat(HostileInput.assertCleanRefusal("surrogate", api.send(Method.POST, "/kok/products", ADMIN, "application/json",
                                                                         PRODUCT.replace("햇감자", "\\ud800"))),
                   containsString("name: must not contain an unpaired surrogate"));
    }

    @Test
    void numbersAreFastRefusalsNamingTheField() {
        String[][] cases = {
                {PRODUCT.replace("}", ",\"rating\":1e-100000000}"), "rating"},
                {PRODUCT.replace("}", ",\"rating\":1e-100000}"), "rating"},
                {PRODUCT.replace("}", ",\"rating\":1e309}"), "rating"},
                {PRODUCT.replace("}", ",\"rating\":9223372036854775808}"), "rating"},
                {PRODUCT.replace("6000", "9223372036854775808"), "price"},
                {PRODUCT.replace("6000", "4294967296"), "price"},
                {PRODUCT.replace("}", ",\"stock\":1e309}"), "stock"},
                {PRODUCT.replace("}", ",\"id\":9223372036854775808}"), "id"},
        };
        for (String[] c : cases) {
            long start = System.nanoTime();
            String detail = HostileInput.assertCleanRefusal(c[0], api.send(Method.POST, "/kok/products", ADMIN, "application/json", c[0]));
            assertThat(detail, containsString(c[1] + ":"));
            assertThat(c[0], (System.nanoTime() - start) / 1_000_000, lessThan(2_000L));
        }
        assertThat(HostileInput.assertCleanRefusal("dup", api.send(Method.POST, "/kok/products", ADMIN, "application/json",
                                                                   PRODUCT.replace("}", ",\"price\":1}"))),
                   containsString("a key appears twice"));
    }

    @Test
    void optionalFieldsLeftOutAreFine() {
        assertThat(api.send(Method.POST, "/kok/products", ADMIN, "application/json", PRODUCT).status(), is(201));
        assertThat(api.send(Method.POST, "/kok/products", ADMIN, "application/json",
                            PRODUCT.replace("}", ",\"brand\":null,\"keywords\":null,\"rating\":null,\"salePrice\":null}")).status(), is(201));
        assertThat(api.send(Method.POST, "/home-shopping/broadcasts", ADMIN, "application/json", BROADCAST).status(), is(201));
        assertThat(api.send(Method.POST, "/home-shopping/broadcasts", ADMIN, "application/json",
                            BROADCAST.replace("}", ",\"channelName\":null,\"productIds\":null}")).status(), is(201));
    }

    @Test
    void importedIdsCannotExhaustTheAutoIncrement() {
        for (String id : List.of(String.valueOf(Long.MAX_VALUE), String.valueOf(1L << 62), "2147483648", "0")) {
            JsonApi.Response products = api.send(Method.POST, "/kok/products/import", ADMIN, "application/x-ndjson",
                                                 PRODUCT.replace("{", "{\"id\":" + id + ","));
            assertThat(products.text(), products.body().get("failed").asInt(), is(1));
            assertThat(products.text(), containsString("\"field\":\"id\""));
            JsonApi.Response broadcasts = api.send(Method.POST, "/home-shopping/broadcasts/import", ADMIN, "application/x-ndjson",
                                                   BROADCAST.replace("{", "{\"id\":" + id + ","));
            assertThat(broadcasts.text(), broadcasts.body().get("failed").asInt(), is(1));
        }
        // Still room for the server's own ids.
        assertThat(api.send(Method.POST, "/kok/products", ADMIN, "application/json", PRODUCT).status(), is(201));
        assertThat(api.send(Method.POST, "/home-shopping/broadcasts", ADMIN, "application/json", BROADCAST).status(), is(201));
        // An id a client may choose is still accepted.
        JsonApi.Response kept = api.send(Method.POST, "/kok/products/import", ADMIN, "application/x-ndjson",
                                         PRODUCT.replace("{", "{\"id\":2147483647,"));
        assertThat(kept.text(), kept.body().get("imported").asInt(), is(1));
    }
}

package plaza.catalog;

import plaza.testing.JsonApi;

import java.time.Instant;
import java.util.List;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import plaza.testing.TestTokens;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The schedule of a day in Asia/Seoul (UTC+9), with broadcasts crossing midnight, and "live now",
 * against a clock the test sets. Broadcasts (all times KST):
 * <pre>
 *  1 shop-a  03-09 23:00 → 03-10 00:30   crosses into the 10th
 *  2 shop-b  03-10 08:00 → 09:00
 *  3 shop-a  03-10 20:30 → 21:30         live at 21:00
 *  4 shop-a  03-10 23:30 → 03-11 01:00   crosses out of the 10th
 *  5 shop-b  03-09 22:00 → 03-10 00:00   ends exactly at midnight: not on the 10th
 *  6 shop-b  03-11 00:00 → 01:00         starts exactly at midnight: not on the 10th
 *  7 shop-c  03-10 05:00Z → 06:00Z       = 14:00 → 15:00 KST, written in UTC
 * </pre>
 * In UTC the 10th would be a different set (1, 2 and 5 start on the 9th in UTC), which is the point.
 */
@ServerTest
class ScheduleTest {

    private static final TestTokens TOKENS = TestTokens.create();
    /** 2025-03-10 21:00 in Seoul. */
    private static final Instant NINE_PM_KST = Instant.parse("2025-03-10T12:00:00Z");
    private static final MutableClock CLOCK = new MutableClock(NINE_PM_KST);
    private static final String PRODUCTS = """
            {"id":1,"name":"포기김치 5kg","category":"김치/반찬","price":32000,"stock":5}
            {"id":2,"name":"국산 대파 1단","category":"채소","price":3500,"stock":5}
            """;
    private static final String BROADCASTS = """
            {"id":1,"channel":"shop-a","channelName":"에이홈쇼핑","title":"심야 김치 특집","startsAt":"2025-03-09T23:00:00+09:00","endsAt":"2025-03-10T00:30:00+09:00","productIds":[1]}
            {"id":2,"channel":"shop-b","channelName":"비쇼핑","title":"아침 채소","startsAt":"2025-03-10T08:00:00+09:00","endsAt":"2025-03-10T09:00:00+09:00","productIds":[2,1]}
            {"id":3,"channel":"shop-a","title":"저녁 라이브","startsAt":"2025-03-10T20:30:00+09:00","endsAt":"2025-03-10T21:30:00+09:00","productIds":[1,2]}
            {"id":4,"channel":"shop-a","title":"자정 넘어 김치","startsAt":"2025-03-10T23:30:00+09:00","endsAt":"2025-03-11T01:00:00+09:00","productIds":[]}
            {"id":5,"channel":"shop-b","title":"자정에 끝","startsAt":"2025-03-09T22:00:00+09:00","endsAt":"2025-03-10T00:00:00+09:00"}
            {"id":6,"channel":"shop-b","title":"자정에 시작","startsAt":"2025-03-11T00:00:00+09:00","endsAt":"2025-03-11T01:00:00+09:00"}
            {"id":7,"channel":"shop-c","title":"UTC로 입력","startsAt":"2025-03-10T05:00:00Z","endsAt":"2025-03-10T06:00:00Z"}
            """;

    private final JsonApi api;

    ScheduleTest(Http1Client client) {
        this.api = new JsonApi(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestCatalog.configure(server, TOKENS, CLOCK, PRODUCTS);
    }

    @BeforeEach
    void load() {
        CLOCK.set(NINE_PM_KST);
        JsonApi.Response r = api.send(Method.POST, "/home-shopping/broadcasts/import", TOKENS.token("admin-1", "admin"),
                                  "application/x-ndjson", BROADCASTS);
        assertThat(r.text(), r.body().get("failed").asInt(), is(0));
    }

    @Test
    void dayInSeoulIncludesBroadcastsCrossingMidnightAndExcludesOnesTouchingIt() {
        JsonApi.Response r = api.get("/home-shopping/schedule", "date", "2025-03-10");
        assertThat(r.status(), is(200));
        assertThat(r.ids("broadcasts"), contains(1L, 2L, 7L, 3L, 4L));
        assertThat(r.body().get("zone").asText(), is("Asia/Seoul"));
        assertThat(r.body().get("from").asText(), is("2025-03-10T00:00:00+09:00"));
        assertThat(r.body().get("to").asText(), is("2025-03-11T00:00:00+09:00"));
        // times come back in Seoul time, whatever offset they were written with
        assertThat(r.body().get("broadcasts").get(2).get("startsAt").asText(), is("2025-03-10T14:00:00+09:00"));
        assertThat(api.get("/home-shopping/schedule", "date", "2025-03-11").ids("broadcasts"), contains(4L, 6L));
        assertThat(api.get("/home-shopping/schedule", "date", "2025-03-09").ids("broadcasts"), contains(5L, 1L));
    }

    @Test
    void scheduleByChannelAndProductsInBroadcastOrder() {
        JsonApi.Response r = api.get("/home-shopping/schedule", "date", "2025-03-10", "channel", "shop-b");
        assertThat(r.ids("broadcasts"), contains(2L));
        assertThat(r.body().get("broadcasts").get(0).get("channel").get("name").asText(), is("비쇼핑"));
        List<Long> products = List.of(r.body().get("broadcasts").get(0).get("products").get(0).get("id").asLong(),
                                      r.body().get("broadcasts").get(0).get("products").get(1).get("id").asLong());
        assertThat(products, contains(2L, 1L));
        assertThat(api.get("/home-shopping/schedule", "date", "2025-03-10", "channel", "no-such").ids("broadcasts"), empty());
    }

    @Test
    void defaultDateIsTodayInSeoulNotInUtc() {
        // 2025-03-10 16:30 UTC is already 01:30 on the 11th in Seoul
        CLOCK.set(Instant.parse("2025-03-10T16:30:00Z"));
        JsonApi.Response r = api.get("/home-shopping/schedule");
        assertThat(r.body().get("date").asText(), is("2025-03-11"));
        assertThat(r.ids("broadcasts"), contains(4L, 6L));
    }

    @Test
    void liveNowFollowsTheClock() {
        JsonApi.Response r = api.get("/home-shopping/live");
        assertThat(r.status(), is(200));
        assertThat(r.ids("broadcasts"), contains(3L));
        assertThat(r.body().get("broadcasts").get(0).get("live").asBoolean(), is(true));
        assertThat(r.body().get("now").asText(), is("2025-03-10T21:00:00+09:00"));

        CLOCK.set(Instant.parse("2025-03-10T15:00:00Z")); // 00:00 KST on the 11th: 4 is on, 6 just started
        assertThat(api.get("/home-shopping/live").ids("broadcasts"), contains(4L, 6L));
        assertThat(api.get("/home-shopping/live", "channel", "shop-b").ids("broadcasts"), contains(6L));

        CLOCK.set(Instant.parse("2025-03-10T12:30:00Z")); // 21:30 KST: 3 ended exactly now
        assertThat(api.get("/home-shopping/live").ids("broadcasts"), empty());
    }

    @Test
    void broadcastDetailWithProductsAndLiveFlag() {
        JsonApi.Response r = api.get("/home-shopping/broadcasts/3");
        assertThat(r.status(), is(200));
        assertThat(r.body().get("title").asText(), is("저녁 라이브"));
        assertThat(r.body().get("live").asBoolean(), is(true));
        assertThat(r.names("products"), contains("포기김치 5kg", "국산 대파 1단"));
        assertThat(api.get("/home-shopping/broadcasts/2").body().get("live").asBoolean(), is(false));
        assertThat(api.get("/home-shopping/broadcasts/999").status(), is(404));
        assertThat(api.get("/home-shopping/broadcasts/x").status(), is(400));
    }

    @Test
    void channelsAreCreatedByBroadcasts() {
        JsonApi.Response r = api.get("/home-shopping/channels");
        assertThat(r.body().get("channels").get(0).get("code").asText(), is("shop-a"));
        assertThat(r.body().get("channels").get(0).get("name").asText(), is("에이홈쇼핑"));
        assertThat(r.body().get("channels").get(2).get("name").asText(), is("shop-c"));
    }

    @Test
    void badScheduleParametersAre400() {
        for (String[] param : new String[][] {{"date", "2025-13-01"}, {"date", "yesterday"}, {"date", "2025-03-10T00:00"},
                {"channel", "Shop A"}, {"channel", "' OR 1=1 --"}}) {
            JsonApi.Response r = api.get("/home-shopping/schedule", param[0], param[1]);
            assertThat(param[1], r.status(), is(400));
            assertThat(r.contentType(), is("application/problem+json"));
            assertThat(r.body().get("errors").get(0).get("field").asText(), is(param[0]));
        }
        assertThat(api.get("/home-shopping/live", "channel", "%").status(), is(400));
    }

    @Test
    void broadcastWritesAreForAdminsOnly() {
        String body = """
                {"channel":"shop-a","title":"새 방송","startsAt":"2025-03-12T10:00:00+09:00","endsAt":"2025-03-12T11:00:00+09:00","productIds":[1]}""";
        assertThat(api.send(Method.POST, "/home-shopping/broadcasts", null, "application/json", body).status(), is(401));
        assertThat(api.send(Method.POST, "/home-shopping/broadcasts", TOKENS.token("u1"), "application/json", body).status(), is(403));
        assertThat(api.send(Method.DELETE, "/home-shopping/broadcasts/2", TOKENS.token("u1"), null, null).status(), is(403));
        assertThat(api.send(Method.POST, "/home-shopping/broadcasts/import", TOKENS.token("u1"), "application/x-ndjson", body).status(), is(403));

        String admin = TOKENS.token("a1", "admin");
        JsonApi.Response created = api.send(Method.POST, "/home-shopping/broadcasts", admin, "application/json", body);
        assertThat(created.status(), is(201));
        long id = created.body().get("id").asLong();
        assertThat(api.get("/home-shopping/schedule", "date", "2025-03-12").ids("broadcasts"), contains(id));

        String moved = body.replace("2025-03-12T10", "2025-03-13T10").replace("2025-03-12T11", "2025-03-13T11");
        assertThat(api.send(Method.PUT, "/home-shopping/broadcasts/" + id, admin, "application/json", moved).status(), is(200));
        assertThat(api.get("/home-shopping/schedule", "date", "2025-03-12").ids("broadcasts"), empty());
        assertThat(api.send(Method.DELETE, "/home-shopping/broadcasts/" + id, admin, null, null).status(), is(204));
        assertThat(api.get("/home-shopping/broadcasts/" + id).status(), is(404));
        assertThat(api.send(Method.PUT, "/home-shopping/broadcasts/" + id, admin, "application/json", moved).status(), is(404));
    }

    @Test
    void invalidBroadcastBodiesAre400WithTheField() {
        String admin = TOKENS.token("a1", "admin");
        String[][] cases = {
                {"{\"channel\":\"shop-a\",\"title\":\"x\",\"startsAt\":\"2025-03-12T10:00:00+09:00\",\"endsAt\":\"2025-03-12T09:00:00+09:00\"}", "endsAt"},
                {"{\"channel\":\"shop-a\",\"title\":\"x\",\"startsAt\":\"2025-03-12T10:00:00\",\"endsAt\":\"2025-03-12T11:00:00+09:00\"}", "startsAt"},
                {"{\"channel\":\"Shop A\",\"title\":\"x\",\"startsAt\":\"2025-03-12T10:00:00Z\",\"endsAt\":\"2025-03-12T11:00:00Z\"}", "channel"},
                {"{\"channel\":\"shop-a\",\"title\":\"x\",\"startsAt\":\"2025-03-12T10:00:00Z\",\"endsAt\":\"2025-03-14T11:00:00Z\"}", "endsAt"},
                {"{\"channel\":\"shop-a\",\"title\":\"x\",\"startsAt\":\"2025-03-12T10:00:00Z\",\"endsAt\":\"2025-03-12T11:00:00Z\",\"productIds\":[424242]}", "productIds"},
                {"{\"channel\":\"shop-a\",\"title\":\"x\",\"startsAt\":\"2025-03-12T10:00:00Z\",\"endsAt\":\"2025-03-12T11:00:00Z\",\"productIds\":\"1\"}", "productIds"},
                {"{\"channel\":\"shop-a\",\"startsAt\":\"2025-03-12T10:00:00Z\",\"endsAt\":\"2025-03-12T11:00:00Z\"}", "title"},
        };
        for (String[] c : cases) {
            JsonApi.Response r = api.send(Method.POST, "/home-shopping/broadcasts", admin, "application/json", c[0]);
            assertThat(c[0], r.status(), is(400));
            assertThat(c[0], r.body().get("errors").get(0).get("field").asText(), is(c[1]));
        }
        assertThat(api.get("/home-shopping/schedule", "date", "2025-03-12").ids("broadcasts"), empty());
    }

    @Test
    void importReportsBadRowsByLineAndKeepsTheGoodOnes() {
        String lines = """
                {"id":20,"channel":"shop-d","title":"좋은 방송","startsAt":"2025-03-20T10:00:00+09:00","endsAt":"2025-03-20T11:00:00+09:00","productIds":[1]}
                {"id":21,"channel":"shop-d","title":"끝이 먼저","startsAt":"2025-03-20T12:00:00+09:00","endsAt":"2025-03-20T11:00:00+09:00"}
                {"id":22,"channel":"shop-d","title":"없는 상품","startsAt":"2025-03-20T12:00:00+09:00","endsAt":"2025-03-20T13:00:00+09:00","productIds":[1,999]}

                {"id":23,"channel":"shop-d","title":"또 좋은 방송","startsAt":"2025-03-20T14:00:00+09:00","endsAt":"2025-03-20T15:00:00+09:00"}
                """;
        JsonApi.Response r = api.send(Method.POST, "/home-shopping/broadcasts/import", TOKENS.token("a1", "admin"),
                                  "application/x-ndjson", lines);
        assertThat(r.status(), is(200));
        assertThat(r.body().get("imported").asInt(), is(2));
        assertThat(r.body().get("failed").asInt(), is(2));
        assertThat(r.body().get("errors").get(0).get("line").asInt(), is(2));
        assertThat(r.body().get("errors").get(0).get("errors").get(0).get("field").asText(), is("endsAt"));
        assertThat(r.body().get("errors").get(1).get("line").asInt(), is(3));
        assertThat(r.body().get("errors").get(1).get("errors").get(0).get("field").asText(), is("productIds"));
        assertThat(api.get("/home-shopping/schedule", "date", "2025-03-20").ids("broadcasts"), contains(20L, 23L));
        // nothing of the refused row 22 was written, not even its product links
        assertThat(api.get("/home-shopping/broadcasts/22").status(), is(404));
    }
}

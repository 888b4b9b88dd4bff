package plaza.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

/**
 * A shop's traffic as journeys arriving at a fixed rate (an open model: new visitors keep coming whether or
 * not the server keeps up). Per 100 journeys: 40 browse and search the catalogue, 20 look at recipes and
 * "what can I cook", 10 keep a wishlist and bookmarks, 10 send analytics events, 8 chat over WebSocket in
 * one of a few busy groups, 7 sign in and refresh, 5 ask the assistant and stream its reply.
 *
 * <p>System properties: {@code base} (default http://127.0.0.1:8080), {@code rate} (journeys/s, default 10),
 * {@code duration} (s, default 60), {@code users} (signed-up shoppers the journeys share, default 20),
 * {@code groups} (chat groups, default 3). The shoppers are registered and signed in before the load starts.
 */
public class ShopSimulation extends Simulation {

    private static final String BASE = System.getProperty("base", "http://127.0.0.1:8080");
    private static final double RATE = Double.parseDouble(System.getProperty("rate", "10"));
    private static final int DURATION = Integer.parseInt(System.getProperty("duration", "60"));
    private static final int USERS = Integer.parseInt(System.getProperty("users", "20"));
    private static final int GROUPS = Integer.parseInt(System.getProperty("groups", "3"));
    private static final String PASSWORD = "load-Juniper-Canal-7";
    private static final String[] TERMS = {"사과", "김치", "우유", "라면", "커피", "두부", "apple", "tea"};
    private static final String[] HAVE = {"계란,대파,두부", "김치,돼지고기", "감자,양파", "우유,계란", "쌀,김"};
    private static final AtomicLong MESSAGE_IDS = new AtomicLong();

    /** Registered shoppers: email and the tokens of their first sign-in. */
    private record Shopper(String email, String accessToken, String refreshToken) {
    }

    private final List<Shopper> shoppers = signUp();

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE)
            .wsBaseUrl(BASE.replaceFirst("^http", "ws"))
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .shareConnections(); // keep-alive connections pooled across visitors, as a CDN or proxy in front would
    // GETs are cached per visitor as a browser does (ETag): a revalidated 304 is as good an answer as a 200.

    private Iterator<Map<String, Object>> shopperFeeder() {
        return Stream.generate(() -> {
            Shopper s = shoppers.get(ThreadLocalRandom.current().nextInt(shoppers.size()));
            return Map.<String, Object>of("email", s.email(), "token", s.accessToken(), "refresh", s.refreshToken(),
                                          "group", "load-" + ThreadLocalRandom.current().nextInt(GROUPS),
                                          "product", 1 + ThreadLocalRandom.current().nextInt(40),
                                          "recipe", 1 + ThreadLocalRandom.current().nextInt(20));
        }).iterator();
    }

    private Iterator<Map<String, Object>> visitorFeeder() {
        return Stream.generate(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return Map.<String, Object>of("term", TERMS[r.nextInt(TERMS.length)], "have", HAVE[r.nextInt(HAVE.length)],
                                          "product", 1 + r.nextInt(40), "product2", 1 + r.nextInt(40),
                                          "recipe", 1 + r.nextInt(20), "page", 1 + r.nextInt(3),
                                          "anon", "anon-" + MESSAGE_IDS.incrementAndGet() + "-" + r.nextInt(1_000_000));
        }).iterator();
    }

    private static final ChainBuilder THINK = pause(Duration.ofMillis(200), Duration.ofMillis(800));

    private final ScenarioBuilder browse = scenario("browse catalogue").feed(visitorFeeder())
            .exec(http("catalogue: categories").get("/kok/categories").check(status().in(200, 304)))
            .exec(THINK)
            .exec(http("catalogue: list").get("/kok/products?page=#{page}&size=20").check(status().in(200, 304)))
            .exec(THINK)
            .exec(http("catalogue: search").get("/kok/products?q=#{term}&size=20").check(status().in(200, 304)))
            .exec(THINK)
            .exec(http("catalogue: product").get("/kok/products/#{product}").check(status().in(200, 304, 404)))
            .exec(THINK)
            .exec(http("catalogue: product").get("/kok/products/#{product2}").check(status().in(200, 304, 404)));

    private final ScenarioBuilder recipes = scenario("recipes").feed(visitorFeeder())
            .exec(http("recipes: search").get("/recipes?q=#{term}").check(status().in(200, 304)))
            .exec(THINK)
            .exec(http("recipes: recipe").get("/recipes/#{recipe}").check(status().in(200, 304, 404)))
            .exec(THINK)
            .exec(http("recipes: what can I cook").get("/recipes/by-ingredients?have=#{have}").check(status().in(200, 304)));

    private final ScenarioBuilder keep = scenario("wishlist and bookmarks").feed(shopperFeeder())
            .exec(http("wishlist: add").put("/kok/wishlist/#{product}").header("Authorization", "Bearer #{token}")
                          .check(status().in(200, 204, 404)))
            .exec(THINK)
            .exec(http("wishlist: list").get("/kok/wishlist").header("Authorization", "Bearer #{token}").check(status().in(200, 304)))
            .exec(THINK)
            .exec(http("bookmarks: add").put("/recipes/bookmarks/#{recipe}").header("Authorization", "Bearer #{token}")
                          .check(status().in(200, 204, 404)))
            .exec(THINK)
            .exec(http("bookmarks: list").get("/recipes/bookmarks").header("Authorization", "Bearer #{token}")
                          .check(status().in(200, 304)));

    private final ScenarioBuilder events = scenario("events").feed(visitorFeeder()).feed(shopperFeeder())
            .exec(http("events: page (anonymous)").post("/events/v1/page")
                          .body(StringBody("{\"anonymousId\":\"#{anon}\",\"messageId\":\"#{anon}-1\",\"name\":\"Home\"}"))
                          .check(status().is(200)))
            .exec(THINK)
            .exec(http("events: track").post("/events/track").header("Authorization", "Bearer #{token}")
                          .body(StringBody("{\"messageId\":\"#{anon}-2\",\"event\":\"Product Viewed\",\"properties\":{\"productId\":#{product}}}"))
                          .check(status().is(200)));

    private final ScenarioBuilder signIn = scenario("sign in and refresh").feed(shopperFeeder())
            .exec(http("auth: sign in").post("/auth/login")
                          .body(StringBody("{\"email\":\"#{email}\",\"password\":\"" + PASSWORD + "\"}"))
                          .check(status().is(200), jsonPath("$.refresh_token").saveAs("fresh")))
            .exec(THINK)
            .exec(http("auth: refresh").post("/auth/refresh").body(StringBody("{\"refresh_token\":\"#{fresh}\"}"))
                          .check(status().is(200)));

    private final ScenarioBuilder chat = scenario("chat").feed(shopperFeeder())
            .exec(ws("chat: connect").connect("/chat/ws?token=#{token}"))
            .exec(ws("chat: join").sendText("{\"action\":\"joinGroup\",\"groupId\":\"#{group}\"}")
                          .await(Duration.ofSeconds(5)).on(ws.checkTextMessage("joined").matching(jsonPath("$.type").is("joined"))))
            .exec(repeat(3).on(exec(pause(Duration.ofMillis(300), Duration.ofMillis(1000)))
                          .exec(ws("chat: send").sendText("{\"action\":\"sendMessage\",\"message\":\"hello from load\"}")
                                        .await(Duration.ofSeconds(5)).on(ws.checkTextMessage("ack")
                                                .matching(jsonPath("$.type").is("ack")).check(jsonPath("$.action").is("sendMessage"))))))
            .exec(ws("chat: close").close());

    private final ScenarioBuilder assistant = scenario("assistant").feed(shopperFeeder())
            .exec(http("assistant: new conversation").post("/ai/conversations").header("Authorization", "Bearer #{token}")
                          .body(StringBody("{}")).check(status().is(201), jsonPath("$.id").saveAs("conversation")))
            .exec(THINK)
            .exec(http("assistant: streamed reply").post("/ai/conversations/#{conversation}/messages")
                          .header("Authorization", "Bearer #{token}").header("Accept", "text/event-stream")
                          .body(StringBody("{\"content\":\"What can I cook with eggs and leeks?\"}"))
                          .check(status().is(200)));

    {
        List<PopulationBuilder> mix = new ArrayList<>();
        mix.add(population(browse, 0.40));
        mix.add(population(recipes, 0.20));
        mix.add(population(keep, 0.10));
        mix.add(population(events, 0.10));
        mix.add(population(chat, 0.08));
        mix.add(population(signIn, 0.07));
        mix.add(population(assistant, 0.05));
        setUp(mix).protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }

    private static PopulationBuilder population(ScenarioBuilder scenario, double share) {
        return scenario.injectOpen(constantUsersPerSec(RATE * share).during(Duration.ofSeconds(DURATION)).randomized());
    }

    /** Registers and signs in the shared shoppers (before the clock starts: sign-up is Argon2-heavy on purpose). */
    private static List<Shopper> signUp() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Shopper> result = new ArrayList<>();
        Pattern access = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
        Pattern refresh = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
        for (int i = 0; i < USERS; i++) {
            String email = "load-" + run + "-" + i + "@example.com";
            post(client, "/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Load " + i + "\"}");
            String login = post(client, "/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
            Matcher a = access.matcher(login);
            Matcher r = refresh.matcher(login);
            if (!a.find() || !r.find()) {
                throw new IllegalStateException("sign-in of " + email + " failed: " + login);
            }
            result.add(new Shopper(email, a.group(1), r.group(1)));
        }
        return result;
    }

    private static String post(HttpClient client, String path, String json) {
        try {
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(BASE + path))
                                                           .header("Content-Type", "application/json")
                                                           .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                                                   HttpResponse.BodyHandlers.ofString());
            return res.body();
        } catch (Exception e) {
            throw new IllegalStateException("POST " + path + " failed: " + e, e);
        }
    }
}

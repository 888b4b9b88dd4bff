package plaza.recommend;

import java.net.URI;
import java.time.Duration;

import io.helidon.config.Config;

/**
 * The {@code recommend.*} settings (docs/recommend.md), with their defaults.
 *
 * @param catalogUrl       catalog's base URL (default this process: standalone)
 * @param recipeUrl        recipe's base URL (default this process)
 * @param eventsUrl        events' base URL (default this process)
 * @param tokenUrl         auth's token endpoint for the feed's client-credentials token: {@code auth-url} (default this process) + {@code /auth/oauth/token}
 * @param clientId         the OAuth client recommend authenticates as ({@code recommend})
 * @param clientSecret     its secret (required unless a token is given by the embedding code)
 * @param callTimeout      per call to another service ({@code PT2S})
 * @param feedPoll         how often the feed is read ({@code PT0.5S}; a shopper's event reaches for-you within about this)
 * @param feedPage         events per feed page (1000)
 * @param catalogRefresh   how often stock and on-air products are refreshed between rebuilds ({@code PT30S})
 * @param modelPoll        how often a replica checks which model version is active ({@code PT2S})
 * @param rebuildCron      the rebuild schedule, Quartz cron ({@code 0 0 3 * * ?}: 03:00 every day)
 * @param rebuildOnStart   build a first model at start when none exists (true)
 * @param history          how far back a rebuild learns from ({@code P90D})
 * @param halfLife         the bought-together time decay's half-life ({@code P30D})
 * @param neighbours       neighbours kept per item and list (30)
 * @param dimensions       item2vec dimensions (32)
 * @param epochs           item2vec passes (5)
 * @param keepVersions     ready versions kept (3)
 * @param maxPerCategory   products of one category in one list at most (3)
 * @param recentEvents     a shopper's recent interactions read at request time (50)
 * @param seed             the random seed of training and exploration (42)
 */
public record RecommendSettings(URI catalogUrl, URI recipeUrl, URI eventsUrl, URI tokenUrl, String clientId, String clientSecret,
                                Duration callTimeout, Duration feedPoll, int feedPage, Duration catalogRefresh, Duration modelPoll,
                                String rebuildCron, boolean rebuildOnStart, Duration history, Duration halfLife, int neighbours,
                                int dimensions, int epochs, int keepVersions, int maxPerCategory, int recentEvents, long seed) {

    public static RecommendSettings from(Config root) {
        Config r = root.get("recommend");
        String self = "http://127.0.0.1:" + root.get("server.port").asInt().orElse(8080);
        return new RecommendSettings(
                url(r, "catalog-url", self), url(r, "recipe-url", self), url(r, "events-url", self),
                URI.create(r.get("auth-url").asString().asOptional().filter(s -> !s.isBlank()).orElse(self).replaceAll("/+$", "") + "/auth/oauth/token"),
                r.get("client-id").asString().orElse("recommend"),
                r.get("client-secret").asString().orElse(""),
                r.get("call-timeout").as(Duration.class).orElse(Duration.ofSeconds(2)),
                r.get("feed-poll").as(Duration.class).orElse(Duration.ofMillis(500)),
                r.get("feed-page").asInt().orElse(1000),
                r.get("catalog-refresh").as(Duration.class).orElse(Duration.ofSeconds(30)),
                r.get("model-poll").as(Duration.class).orElse(Duration.ofSeconds(2)),
                r.get("rebuild-cron").asString().orElse("0 0 3 * * ?"),
                r.get("rebuild-on-start").asBoolean().orElse(true),
                r.get("history").as(Duration.class).orElse(Duration.ofDays(90)),
                r.get("half-life").as(Duration.class).orElse(Duration.ofDays(30)),
                r.get("neighbours").asInt().orElse(30),
                r.get("item2vec.dimensions").asInt().orElse(32),
                r.get("item2vec.epochs").asInt().orElse(5),
                r.get("keep-versions").asInt().orElse(3),
                r.get("max-per-category").asInt().orElse(3),
                r.get("recent-events").asInt().orElse(50),
                r.get("seed").asLong().orElse(42L));
    }

    private static URI url(Config r, String key, String self) {
        return URI.create(r.get(key).asString().asOptional().filter(s -> !s.isBlank()).orElse(self));
    }
}

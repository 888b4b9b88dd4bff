package plaza.platform.events;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.webserver.http.ServerRequest;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * How a service reports what its users do to the events service (docs/events.md, "EventPublisher"):
 * {@link #track} puts a Segment track event into a bounded in-memory buffer and returns at once; one
 * background thread sends what is buffered in batches to {@code POST /events/batch} with a service
 * credential (an OAuth client-credentials token from auth, or a fixed token). It never slows or fails
 * the user's request: when the buffer is full (events is down or slow) the event is dropped, counted in
 * {@code plaza_events_publisher_dropped_total{source,reason}} and logged at most every 30 s. Each event
 * gets its messageId when it is buffered, so a batch sent again after a lost answer is stored once.
 *
 * <p>Settings {@code plaza.events.*}: {@code url} (the events service's base URL; empty: off),
 * {@code auth-url} (auth's base URL, default {@code url}), {@code client-id}, {@code client-secret} (client credentials) or {@code token} (a
 * fixed bearer token), {@code buffer} (10000 events), {@code batch-size} (100), {@code flush-interval}
 * ({@code PT1S}), {@code timeout} ({@code PT5S}).
 */
public final class EventPublisher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String source;
    private final URI batchUri;
    private final Credentials credentials;
    private final ArrayBlockingQueue<ObjectNode> buffer;
    private final int batchSize;
    private final Duration flushInterval;
    private final Duration timeout;
    private final HttpClient http;
    private final Counter sent;
    private final Counter droppedFull;
    private final Counter droppedRefused;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Instant lastWarning = Instant.EPOCH;

    private EventPublisher(String source, URI url, Credentials credentials, int capacity, int batchSize, Duration flushInterval,
                           Duration timeout) {
        this.source = source;
        this.batchUri = url == null ? null : URI.create(url.toString().replaceAll("/+$", "") + "/events/batch");
        this.credentials = credentials;
        this.buffer = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.timeout = timeout;
        var registry = Metrics.globalRegistry();
        Tag tag = Tag.create("source", source);
        sent = registry.getOrCreate(Counter.builder("plaza.events.publisher.sent").tags(List.of(tag))
                                            .description("Behaviour events delivered to the events service"));
        droppedFull = registry.getOrCreate(Counter.builder("plaza.events.publisher.dropped")
                                                   .tags(List.of(tag, Tag.create("reason", "buffer_full")))
                                                   .description("Behaviour events not delivered"));
        droppedRefused = registry.getOrCreate(Counter.builder("plaza.events.publisher.dropped")
                                                      .tags(List.of(tag, Tag.create("reason", "refused")))
                                                      .description("Behaviour events not delivered"));
        if (batchUri == null) {
            http = null;
            thread = null;
            return;
        }
        http = HttpClient.newBuilder().connectTimeout(timeout).build();
        thread = Thread.ofPlatform().name("events-publisher-" + source).daemon(true).start(this::run);
    }

    /**
     * From {@code root.get("plaza.events")}; {@code source} names the reporting service (metrics, logs and the
     * events' {@code context.library}). Without {@code url} the publisher accepts events and sends nothing.
     */
    public static EventPublisher fromConfig(Config root, String source) {
        Config c = root.get("plaza.events");
        Optional<String> url = c.get("url").asString().map(String::trim).filter(s -> !s.isEmpty());
        if (url.isEmpty()) {
            return disabled(source);
        }
        Credentials credentials;
        Optional<String> token = c.get("token").asString().filter(s -> !s.isBlank());
        Optional<String> clientId = c.get("client-id").asString().filter(s -> !s.isBlank());
        if (token.isPresent()) {
            credentials = new Credentials(null, null, null, token.get());
        } else if (clientId.isPresent()) {
            // auth's base URL (its token endpoint is /auth/oauth/token); standalone serves both on one port
            String tokenUrl = c.get("auth-url").asString().orElse(url.get()).replaceAll("/+$", "") + "/auth/oauth/token";
            credentials = new Credentials(URI.create(tokenUrl), clientId.get(), c.get("client-secret").asString().orElse(""), null);
        } else {
            LOG.log(System.Logger.Level.WARNING, "plaza.events.url is set for " + source + " but no credential "
                    + "(plaza.events.client-id and client-secret, or plaza.events.token): behaviour events are not sent");
            return disabled(source);
        }
        return new EventPublisher(source, URI.create(url.get()), credentials,
                                  c.get("buffer").asInt().orElse(10_000), c.get("batch-size").asInt().orElse(100),
                                  c.get("flush-interval").as(Duration.class).orElse(Duration.ofSeconds(1)),
                                  c.get("timeout").as(Duration.class).orElse(Duration.ofSeconds(5)));
    }

    /** A publisher that sends nothing (no events service configured; tests of other modules). */
    public static EventPublisher disabled(String source) {
        return new EventPublisher(source, null, null, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    /** Whether events are sent anywhere. */
    public boolean enabled() {
        return batchUri != null;
    }

    /**
     * Reports that the request's caller did {@code event}: a signed-in user by their id, otherwise the
     * anonymous id analytics.js keeps in its {@code ajs_anonymous_id} cookie (or an {@code X-Anonymous-Id}
     * header); a request with neither (or a service's own call) reports nothing. Never throws.
     */
    public void track(ServerRequest req, TokenVerifier tokens, String event, Map<String, ?> properties) {
        if (!enabled()) {
            return;
        }
        try {
            String userId = null;
            try {
                Optional<Caller> caller = tokens.optionalCaller(req);
                if (caller.isPresent()) {
                    if (caller.get().isService()) {
                        return;
                    }
                    userId = caller.get().id();
                }
            } catch (ProblemException e) {
                // a bad token is the handler's business; here it is just not a known user
            }
            String anonymousId = userId != null ? null : anonymousId(req);
            if (userId == null && anonymousId == null) {
                return;
            }
            track(userId, anonymousId, event, properties);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Reporting " + event + " failed", e);
        }
    }

    /** Buffers a track event of {@code userId} (or, when null, {@code anonymousId}); never blocks, never throws. */
    public void track(String userId, String anonymousId, String event, Map<String, ?> properties) {
        if (!enabled()) {
            return;
        }
        try {
            ObjectNode e = Json.MAPPER.createObjectNode();
            e.put("type", "track");
            e.put("messageId", source + "-" + UUID.randomUUID());
            e.put("event", event);
            if (userId != null) {
                e.put("userId", userId);
            }
            if (anonymousId != null) {
                e.put("anonymousId", anonymousId);
            }
            e.put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            e.set("properties", Json.MAPPER.valueToTree(properties == null ? Map.of() : properties));
            if (!buffer.offer(e)) {
                droppedFull.increment();
                warn("The behaviour-event buffer of " + source + " is full (events unreachable or slow): events are dropped ("
                     + (long) droppedFull.count() + " so far)");
            }
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.DEBUG, "Buffering " + event + " failed", ex);
        }
    }

    /** Events dropped so far (a full buffer, or refused by events). */
    public long dropped() {
        return droppedFull.count() + droppedRefused.count();
    }

    /** Events delivered so far. */
    public long delivered() {
        return sent.count();
    }

    private static String anonymousId(ServerRequest req) {
        String id = req.headers().first(HeaderNames.create("X-Anonymous-Id"))
                .or(() -> req.headers().cookies().first("ajs_anonymous_id").asOptional())
                .orElse(null);
        if (id == null) {
            return null;
        }
        id = id.trim();
        if (id.length() >= 2 && id.startsWith("\"") && id.endsWith("\"")) {
            id = id.substring(1, id.length() - 1); // analytics.js stores it JSON-quoted
        }
        return id.isEmpty() || id.length() > 200 ? null : id;
    }

    private void run() {
        Duration backoff = Duration.ofSeconds(1);
        List<ObjectNode> batch = new ArrayList<>();
        while (running || !buffer.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    ObjectNode first = buffer.poll(flushInterval.toMillis(), TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    buffer.drainTo(batch, batchSize - 1);
                }
                int status = send(batch);
                if (status / 100 == 2) {
                    sent.increment(batch.size());
                    batch.clear();
                    backoff = Duration.ofSeconds(1);
                } else if (status == 400 || status == 413) {
                    // refused as a whole: sending it again would be refused again
                    droppedRefused.increment(batch.size());
                    warn("The events service refused " + batch.size() + " events of " + source + " (" + status + "): dropped");
                    batch.clear();
                } else {
                    throw new IllegalStateException("the events service answered " + status);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // events down, overloaded (429/503) or a token problem: keep the batch, the buffer fills meanwhile
                warn("Sending behaviour events of " + source + " failed, retrying in " + backoff.toSeconds() + " s: " + e.getMessage());
                if (!running) {
                    return; // shutting down with events away: what is left is lost (counted as nothing delivered)
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private int send(List<ObjectNode> batch) throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode events = body.putArray("batch");
        batch.forEach(events::add);
        body.put("sentAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        body.putObject("context").putObject("library").put("name", "plaza-" + source);
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(batchUri).timeout(timeout)
                                                        .header("Content-Type", "application/json")
                                                        .header("Authorization", "Bearer " + credentials.token(http, timeout))
                                                        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)))
                                                        .build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 401) {
            credentials.forget();
        }
        return response.statusCode();
    }

    private void warn(String message) {
        Instant now = Instant.now();
        if (Duration.between(lastWarning, now).compareTo(LOG_EVERY) >= 0) {
            lastWarning = now;
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    /** Sends what is buffered (for up to 2 s; not at all while events is away), then stops. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread.interrupt();
        }
    }

    /** A fixed token, or an OAuth client-credentials token fetched from auth and kept until shortly before it expires. */
    private static final class Credentials {
        private final URI tokenUrl;
        private final String clientId;
        private final String clientSecret;
        private String token;
        private Instant renewAt = Instant.MAX;

        Credentials(URI tokenUrl, String clientId, String clientSecret, String fixedToken) {
            this.tokenUrl = tokenUrl;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.token = fixedToken;
        }

        String token(HttpClient http, Duration timeout) throws Exception {
            if (tokenUrl == null) {
                return token;
            }
            if (token != null && Instant.now().isBefore(renewAt)) {
                return token;
            }
            String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenUrl).timeout(timeout)
                                                              .header("Content-Type", "application/x-www-form-urlencoded")
                                                              .header("Authorization", "Basic " + basic)
                                                              .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                                                              .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the token endpoint answered " + response.statusCode());
            }
            JsonNode answer = Json.MAPPER.readTree(response.body());
            token = answer.path("access_token").asText(null);
            if (token == null) {
                throw new IllegalStateException("the token endpoint sent no access_token");
            }
            long ttl = answer.path("expires_in").asLong(300);
            renewAt = Instant.now().plusSeconds(Math.max(10, ttl - 30));
            return token;
        }

        void forget() {
            if (tokenUrl != null) {
                token = null;
            }
        }
    }
}

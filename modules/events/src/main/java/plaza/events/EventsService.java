package plaza.events;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.http.HttpRouting;
import plaza.events.ingest.EventParser;
import plaza.events.ingest.IngestResource;
import plaza.events.kafka.KafkaPublisher;
import plaza.events.kafka.KafkaSettings;
import plaza.events.read.FeedResource;
import plaza.events.read.MeResource;
import plaza.events.read.StatsResource;
import plaza.events.read.UserResource;
import plaza.events.store.EventRepository;
import plaza.events.store.EventWriter;
import plaza.events.store.Partitions;
import plaza.platform.PlazaService;
import plaza.platform.db.Database;
import plaza.platform.http.RateLimiter;
import plaza.platform.security.TokenVerifier;

/**
 * The events service ({@code /events}, PostgreSQL): the Segment-compatible behaviour log. Ingestion
 * at {@code /events/{track,identify,page,screen,alias,batch}} and {@code /events/v1/…}, group-committed
 * into day partitions (and, with {@code events.kafka.bootstrap-servers}, published to Kafka through an
 * outbox); the caller's own events at {@code /events/me}; admins' {@code /events/stats}
 * and {@code /events/users/{id}}; the ordered {@code /events/feed} for other services. Settings in
 * {@link EventsSettings} (docs/events.md).
 */
public final class EventsService implements PlazaService {

    private static final System.Logger LOG = System.getLogger(EventsService.class.getName());

    private final Database db;
    private final Partitions partitions;
    private final EventWriter writer;
    /** Publishes the outbox to Kafka; null without {@code events.kafka.bootstrap-servers}. */
    private final KafkaPublisher publisher;
    private final ScheduledExecutorService maintenance;
    private final IngestResource ingest;
    private final MeResource me;
    private final UserResource users;
    private final StatsResource stats;
    private final FeedResource feed;

    private EventsService(Config root, Database db, TokenVerifier tokens, Clock clock) {
        EventsSettings settings = EventsSettings.from(root.get("events"));
        this.db = db;
        this.partitions = new Partitions(db.dataSource(), clock, settings.retention(), settings.partitionsAhead());
        try {
            partitions.maintain();
        } catch (SQLException e) {
            throw new IllegalStateException("Creating the events partitions failed: " + e.getMessage(), e);
        }
        Optional<KafkaSettings> kafka = KafkaSettings.from(root.get("events.kafka"));
        this.writer = new EventWriter(db.dataSource(), partitions, settings.linger(), settings.maxBatchRows(), settings.maxQueuedRows(),
                                      kafka.isPresent());
        this.publisher = kafka.map(k -> new KafkaPublisher(db.dataSource(), k)).orElse(null);
        EventRepository events = new EventRepository(db.dataSource());
        EventParser parser = new EventParser(settings.maxEventAge(), settings.maxFuture(), partitions::cutoff);
        this.ingest = new IngestResource(parser, writer, events, tokens,
                                         new RateLimiter(settings.anonymousCapacity(), settings.anonymousPerSecond()),
                                         settings.trustForwarded(), settings.commitTimeout(), clock);
        this.me = new MeResource(events, tokens);
        this.users = new UserResource(events, tokens);
        this.stats = new StatsResource(events, tokens, clock);
        this.feed = new FeedResource(events, tokens);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("events-partitions").daemon(true).unstarted(r));
        maintenance.scheduleWithFixedDelay(this::maintain, 1, 1, TimeUnit.HOURS);
    }

    public static EventsService create(Config root, Database db, TokenVerifier tokens) {
        return create(root, db, tokens, Clock.systemUTC());
    }

    public static EventsService create(Config root, Database db, TokenVerifier tokens, Clock clock) {
        return new EventsService(root, db, tokens, clock);
    }

    /** Creates upcoming partitions and drops expired ones; runs hourly, and tests call it. */
    public int maintain() {
        try {
            return partitions.maintain();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Events partition maintenance failed (retried in an hour): " + e.getMessage());
            return 0;
        }
    }

    /** Days that have a partition now (tests). */
    java.util.List<java.time.LocalDate> partitionDays() throws SQLException {
        return partitions.existing();
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/events/me", me)
                .register("/events/users", users)
                .register("/events/stats", stats)
                .register("/events/feed", feed)
                .register("/events/v1", ingest)
                .register("/events", ingest);
    }

    @Override
    public List<HealthCheck> healthChecks() {
        return List.of(db.readiness());
    }

    @Override
    public void close() {
        maintenance.shutdownNow();
        writer.close();
        if (publisher != null) {
            publisher.close();
        }
        db.close();
    }
}

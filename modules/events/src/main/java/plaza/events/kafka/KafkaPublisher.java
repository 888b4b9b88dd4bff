package plaza.events.kafka;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import plaza.events.store.Outbox;

/**
 * Publishes the outbox to Kafka, in feed order, exactly once as a {@code read_committed} consumer sees it.
 * One publisher at a time across replicas (a PostgreSQL advisory lock on a connection it keeps); each batch
 * is one Kafka transaction of a transactional (so idempotent) producer, and its outbox rows are deleted only
 * after the commit returned. While the broker is away the commit is retried (Kafka allows that after a
 * timeout), a transaction that failed otherwise is aborted and sent again (its records never become
 * visible), and a new publisher fences and aborts whatever an old one left open. The one window left: the
 * process dies after the broker committed and before the rows are deleted; then that batch is sent again,
 * so consumers that must never see a repeat dedup on {@code messageId} (the record's header and value).
 */
public final class KafkaPublisher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KafkaPublisher.class.getName());
    /** The advisory lock that elects the publishing replica: "plazaevt" as a number. */
    private static final long LEADER_LOCK = 0x706c617a61657674L;
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final KafkaSettings settings;
    private final Counter published;
    private final Counter failures;
    private final Thread thread;
    private volatile boolean running = true;
    /** The oldest unpublished event's receipt time as last seen, or null when the outbox was empty. */
    private volatile Instant oldest;
    private Connection connection;
    private boolean leader;
    private KafkaProducer<String, String> producer;
    private Instant lastWarning = Instant.EPOCH;

    public KafkaPublisher(DataSource dataSource, KafkaSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        var registry = Metrics.globalRegistry();
        published = registry.getOrCreate(Counter.builder("events.kafka.published").description("Events published to Kafka (committed)"));
        failures = registry.getOrCreate(Counter.builder("events.kafka.failures")
                                                .description("Kafka publication attempts that failed and are retried"));
        registry.getOrCreate(Gauge.builder("events.outbox.lag.seconds", this, KafkaPublisher::lagSeconds)
                                     .description("Age of the oldest stored event not yet published to Kafka (0: none waiting)"));
        thread = Thread.ofPlatform().name("events-kafka-publisher").daemon(true).start(this::run);
    }

    /** Seconds since the oldest waiting event was received; 0 when nothing waits. */
    public double lagSeconds() {
        Instant o = oldest;
        return o == null ? 0 : Math.max(0, Duration.between(o, Instant.now()).toMillis() / 1000.0);
    }

    private void run() {
        while (running) {
            try {
                if (!leader()) {
                    pause(RETRY);
                    continue;
                }
                List<Outbox.Entry> batch = Outbox.next(connection, settings.batchSize());
                if (batch.isEmpty()) {
                    oldest = null;
                    pause(settings.pollInterval());
                    continue;
                }
                oldest = batch.getFirst().receivedAt();
                if (!send(batch)) {
                    continue; // stopping, or the transaction failed: the rows stay and are sent again
                }
                forget(batch);
                published.increment(batch.size());
            } catch (SQLException | RuntimeException e) {
                failures.increment();
                warn("Kafka publication paused (retried in a second): " + e.getMessage());
                dropConnection();
                pause(RETRY);
            }
        }
        closeProducer(Duration.ofSeconds(5));
        dropConnection();
    }

    /** Whether this replica publishes: it holds the advisory lock on a live connection. */
    private boolean leader() throws SQLException {
        if (connection != null && !connection.isValid(2)) {
            dropConnection();
        }
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            leader = false;
        }
        if (!leader) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, LEADER_LOCK);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    leader = rs.getBoolean(1);
                }
            }
        }
        return leader;
    }

    /** One Kafka transaction for the batch; true once it is committed. */
    private boolean send(List<Outbox.Entry> batch) {
        try {
            if (producer == null) {
                producer = newProducer();
            }
            producer.beginTransaction();
            for (Outbox.Entry e : batch) {
                ProducerRecord<String, String> record = new ProducerRecord<>(settings.topic(), e.key(), e.value());
                record.headers().add("messageId", e.messageId().getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
        } catch (KafkaException e) {
            failed("Sending " + batch.size() + " events to Kafka failed (sent again): " + e.getMessage());
            return false;
        }
        while (running) {
            try {
                producer.commitTransaction();
                return true;
            } catch (TimeoutException e) {
                // The commit may already be under way: only retrying it (or closing) is allowed, never aborting.
                failures.increment();
                warn("Kafka does not confirm the commit of " + batch.size() + " events yet; retrying: " + e.getMessage());
            } catch (KafkaException e) {
                failed("Committing " + batch.size() + " events to Kafka failed (sent again): " + e.getMessage());
                return false;
            }
        }
        return false;
    }

    /** A failed transaction: abort it, or drop the producer (a new one fences and aborts what it left open). */
    private void failed(String message) {
        failures.increment();
        warn(message);
        try {
            if (producer != null) {
                producer.abortTransaction();
            }
        } catch (RuntimeException e) {
            closeProducer(Duration.ZERO);
        }
        pause(RETRY);
    }

    /** Deletes the committed batch's rows; retried until it works (sending again would duplicate). */
    private void forget(List<Outbox.Entry> batch) {
        while (true) {
            try {
                if (connection == null) {
                    connection = dataSource.getConnection();
                    connection.setAutoCommit(true);
                    leader = false;
                }
                Outbox.delete(connection, batch);
                return;
            } catch (SQLException | RuntimeException e) {
                failures.increment();
                warn("Marking " + batch.size() + " published events failed (retried): " + e.getMessage());
                dropConnection();
                if (!running) {
                    return;
                }
                pause(RETRY);
            }
        }
    }

    private KafkaProducer<String, String> newProducer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "plaza-events");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putAll(settings.producer());
        KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        return p;
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Closing the Kafka producer failed", e);
            }
            producer = null;
        }
    }

    private void dropConnection() {
        leader = false;
        if (connection != null) {
            // The pool keeps the session (and a session's advisory lock) alive: release the lock before handing it back.
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                ps.execute();
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "Releasing the publisher lock failed (the connection is gone, and the lock with it)", e);
            }
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "Closing the outbox connection failed", e);
            }
            connection = null;
        }
    }

    /** At most one warning per 30 s: an outage must not flood the log. */
    private void warn(String message) {
        Instant now = Instant.now();
        if (Duration.between(lastWarning, now).compareTo(LOG_EVERY) >= 0) {
            lastWarning = now;
            LOG.log(Level.WARNING, message);
        }
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops after the batch in hand (what is not committed stays in the outbox for the next start). */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package plaza.events.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * The {@code events.kafka.*} settings (docs/events.md, "Kafka"). Publication is on when
 * {@code bootstrap-servers} is set ({@code EVENTS_KAFKA_BOOTSTRAP_SERVERS}).
 *
 * @param bootstrapServers the cluster, {@code host:port[,host:port…]}
 * @param topic            where events go ({@code plaza.events})
 * @param transactionalId  the producer's transactional id, the same on every replica so a new publisher fences the
 *                         old one ({@code plaza-events-publisher})
 * @param batchSize        records per Kafka transaction at most (500)
 * @param pollInterval     how long the publisher waits when the outbox is empty ({@code PT0.2S})
 * @param producer         further producer properties, as Kafka names them ({@code events.kafka.producer.linger.ms: 5})
 */
public record KafkaSettings(String bootstrapServers, String topic, String transactionalId, int batchSize,
                            Duration pollInterval, Map<String, String> producer) {

    public static Optional<KafkaSettings> from(Config kafka) {
        String servers = kafka.get("bootstrap-servers").asString().orElse("").trim();
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> producer = new LinkedHashMap<>();
        Config extra = kafka.get("producer");
        extra.detach().traverse().filter(Config::isLeaf)
                .forEach(node -> producer.put(node.key().toString(), node.asString().orElse("")));
        return Optional.of(new KafkaSettings(
                servers,
                kafka.get("topic").asString().orElse("plaza.events"),
                kafka.get("transactional-id").asString().orElse("plaza-events-publisher"),
                kafka.get("batch-size").asInt().orElse(500),
                kafka.get("poll-interval").as(Duration.class).orElse(Duration.ofMillis(200)),
                Map.copyOf(producer)));
    }
}

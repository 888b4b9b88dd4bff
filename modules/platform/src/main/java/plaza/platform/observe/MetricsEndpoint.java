package plaza.platform.observe;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import io.helidon.common.HelidonServiceLoader;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MeterRegistryFormatter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.metrics.api.SystemTagsManager;
import io.helidon.metrics.spi.MeterRegistryFormatterProvider;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.http.Problems;

/**
 * {@code GET /observe/metrics}: every meter of the process in Prometheus text format
 * ({@code ?scope=application|base|vendor} narrows it): the meter registry's, then {@link HttpMetrics}. Plaza serves this itself instead of
 * Helidon's metrics observer because that observer also puts a per-request filter on the routing
 * it lives on, which on a single-port server (standalone) is every API request — measured at about
 * 5% of the CPU of a trivial request, for a {@code requests_count} that {@link HttpObservation}
 * already counts by route.
 */
public final class MetricsEndpoint implements HttpService {

    private static final MediaType PROMETHEUS = MediaTypes.create("text", "plain");
    private final MeterRegistry registry = Metrics.globalRegistry();
    private final MetricsConfig config = MetricsConfig.create();
    private final List<MeterRegistryFormatterProvider> formatters =
            HelidonServiceLoader.create(ServiceLoader.load(MeterRegistryFormatterProvider.class)).asList();

    public MetricsEndpoint() {
        JvmMeters.register();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::scrape)
                .any("/", Problems.methodNotAllowed("GET"));
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        List<String> scopes = req.query().all("scope", List::of);
        Optional<String> scopeTag = SystemTagsManager.instance().scopeTagName();
        Object text = formatters.stream()
                .map(p -> p.formatter(PROMETHEUS, config, registry, scopeTag, scopes, List.of()))
                .flatMap(Optional::stream)
                .map(MeterRegistryFormatter::format)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse("");
        StringBuilder out = new StringBuilder(text.toString());
        if (scopes.isEmpty() || scopes.contains("application")) {
            HttpMetrics.get().writeTo(out);
        }
        res.status(Status.OK_200);
        res.header(HeaderValues.create("Content-Type", "text/plain; version=0.0.4; charset=utf-8"));
        res.send(out.toString());
    }
}

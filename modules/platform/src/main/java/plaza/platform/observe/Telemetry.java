package plaza.platform.observe;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * OpenTelemetry for a Plaza process. Spans always exist (so logs carry trace ids and an incoming
 * {@code traceparent} is continued); they are exported over OTLP only when an endpoint is set:
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code otel.exporter.otlp.endpoint}, protocol from
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL} ({@code grpc} default, or {@code http/protobuf}), service
 * name from {@code OTEL_SERVICE_NAME}. One SDK per JVM (it becomes {@code GlobalOpenTelemetry}), so
 * the first call wins and later calls return the same instance.
 */
public final class Telemetry {

    private static final System.Logger LOG = System.getLogger(Telemetry.class.getName());
    private static OpenTelemetrySdk sdk;
    private static Tracer tracer;
    private static volatile boolean exporting;

    private Telemetry() {
    }

    /** Sets up tracing once per JVM; must run before the first server is built. */
    public static synchronized OpenTelemetry init(Config config, String defaultServiceName, SpanExporter... extraExporters) {
        if (sdk != null) {
            return sdk;
        }
        Config otel = config.get("otel");
        String serviceName = env("OTEL_SERVICE_NAME").or(() -> otel.get("service-name").asString().asOptional())
                .orElse(defaultServiceName);
        Optional<String> endpoint = env("OTEL_EXPORTER_OTLP_ENDPOINT")
                .or(() -> otel.get("exporter.otlp.endpoint").asString().asOptional())
                .filter(s -> !s.isBlank());
        String protocol = env("OTEL_EXPORTER_OTLP_PROTOCOL")
                .or(() -> otel.get("exporter.otlp.protocol").asString().asOptional())
                .orElse("grpc");

        List<SpanProcessor> processors = new ArrayList<>();
        endpoint.ifPresent(url -> {
            SpanExporter exporter = protocol.startsWith("http")
                    ? OtlpHttpSpanExporter.builder().setEndpoint(url.endsWith("/v1/traces") ? url : url.replaceAll("/$", "") + "/v1/traces").build()
                    : OtlpGrpcSpanExporter.builder().setEndpoint(url).build();
            processors.add(BatchSpanProcessor.builder(exporter).build());
            LOG.log(Level.INFO, "Exporting traces over OTLP (" + protocol + ") to " + url);
        });
        for (SpanExporter exporter : extraExporters) {
            processors.add(SimpleSpanProcessor.create(exporter));
        }
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                // Nothing exports: spans stay non-recording (ids still exist, propagate and reach the logs)
                // instead of being built and thrown away on every request.
                .setSampler(processors.isEmpty() ? Sampler.alwaysOff() : Sampler.parentBased(Sampler.alwaysOn()))
                .addSpanProcessor(SpanProcessor.composite(processors))
                .build();
        OpenTelemetrySdk created = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        try {
            GlobalOpenTelemetry.set(created);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "GlobalOpenTelemetry was already set; Plaza's tracer is used by Helidon only");
        }
        LogShutdown.addHook(new Thread(tracerProvider::close, "otel-shutdown"));
        sdk = created;
        tracer = created.getTracer("plaza");
        exporting = !processors.isEmpty();
        return created;
    }

    /** The tracer for Plaza's spans; the global one when {@link #init} has not run (in a unit test). */
    public static Tracer tracer() {
        Tracer t = tracer;
        return t != null ? t : GlobalOpenTelemetry.getTracer("plaza");
    }

    /** Whether spans are exported anywhere (an OTLP endpoint or an exporter given to {@link #init}). */
    public static boolean exporting() {
        return exporting;
    }

    /** How trace context travels in HTTP headers (W3C traceparent and baggage). */
    public static TextMapPropagator propagator() {
        OpenTelemetrySdk s = sdk;
        return s != null ? s.getPropagators().getTextMapPropagator() : GlobalOpenTelemetry.getPropagators().getTextMapPropagator();
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).or(() -> Optional.ofNullable(System.getProperty(name)));
    }
}

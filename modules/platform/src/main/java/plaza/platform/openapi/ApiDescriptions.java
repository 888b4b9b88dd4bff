package plaza.platform.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.helidon.cors.CrossOriginConfig;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.openapi.OpenApiFormat;
import io.helidon.openapi.OpenApiManager;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import plaza.platform.PlazaService;

/**
 * The OpenAPI 3.1 descriptions a server serves, through Helidon's {@code helidon-openapi}.
 * <p>
 * Platform's {@code META-INF/openapi/plaza.yaml} describes what every server has ({@code /health}, the echo,
 * {@code /observe/*}, {@code /openapi}) and the shared components (the problem body, the bearer scheme, the error
 * responses); each service adds {@code META-INF/openapi/<name>.yaml} with its own paths, tags and components.
 * The two are merged, so each file stays short and the standalone's merged description cannot clash silently: a
 * path described twice, or one component name with two meanings, fails the server's start.
 * <p>
 * Served at {@code /openapi} (every service on this server; YAML, or JSON for {@code Accept: application/json} or
 * {@code ?format=json}) and {@code /openapi/<name>} (one service).
 */
public final class ApiDescriptions {

    public static final String BASE = "META-INF/openapi/plaza.yaml";
    public static final String WEB_CONTEXT = "/openapi";
    private static final List<String> COMPONENT_SECTIONS =
            List.of("schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ApiDescriptions() {
    }

    /**
     * Writes {@code <dir>/plaza.yaml} (the named services merged) and {@code <dir>/<service>.yaml} for each, as served:
     * what {@code scripts/lint-openapi.sh} lints. Arguments: the directory, then service names.
     */
    public static void main(String[] args) throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of(args[0]));
        List<String> names = List.of(args).subList(1, args.length);
        java.nio.file.Files.writeString(dir.resolve("plaza.yaml"), yaml(merged(names)));
        for (String name : names) {
            java.nio.file.Files.writeString(dir.resolve(name + ".yaml"), yaml(merged(List.of(name))));
        }
    }

    /** Where a service's part of the description is on the class path. */
    public static String resource(String service) {
        return "META-INF/openapi/" + service + ".yaml";
    }

    /** Whether this service ships a description (a service without one is served without it). */
    public static boolean describes(String service) {
        return ApiDescriptions.class.getClassLoader().getResource(resource(service)) != null;
    }

    /** Adds {@code /openapi} for all the services and {@code /openapi/<name>} for each one. */
    public static void register(WebServerConfig.Builder server, List<? extends PlazaService> services) {
        List<String> names = services.stream().map(PlazaService::name).filter(ApiDescriptions::describes).toList();
        server.addFeature(feature("openapi", WEB_CONTEXT, names));
        for (String name : names) {
            server.addFeature(feature("openapi-" + name, WEB_CONTEXT + "/" + name, List.of(name)));
        }
    }

    private static OpenApiFeature feature(String featureName, String webContext, List<String> names) {
        Map<String, Object> document = merged(names); // now, so a clash stops the start rather than the first request
        return OpenApiFeature.builder()
                .name(featureName)
                .webContext(webContext)
                .staticFile(BASE)
                .addSocket(WebServer.DEFAULT_SOCKET_NAME) // the API port only, not plaza.observe.port's
                .permitAll(true)
                .cors(CrossOriginConfig.builder().enabled(false).build()) // PlazaServer's CorsPolicy covers every path
                .manager(new Merged(document))
                .build();
    }

    /** Platform's base with the named services' paths, tags and components merged in. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> merged(List<String> services) {
        Map<String, Object> document = load(BASE);
        for (String service : services) {
            Map<String, Object> part = load(resource(service));
            if (services.size() == 1 && part.get("info") instanceof Map<?, ?> info) {
                Map<String, Object> serviceInfo = new LinkedHashMap<>((Map<String, Object>) info);
                ((Map<String, Object>) document.get("info")).forEach(serviceInfo::putIfAbsent); // license, description
                document.put("info", serviceInfo);
            }
            mergeInto(service, document, part);
        }
        return document;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(String service, Map<String, Object> document, Map<String, Object> part) {
        Map<String, Object> paths = (Map<String, Object>) document.computeIfAbsent("paths", k -> new LinkedHashMap<>());
        ((Map<String, Object>) part.getOrDefault("paths", Map.of())).forEach((path, item) -> {
            if (paths.putIfAbsent(path, item) != null) {
                throw new IllegalStateException(resource(service) + " describes " + path + ", which is described already");
            }
        });
        List<Object> tags = (List<Object>) document.computeIfAbsent("tags", k -> new ArrayList<>());
        tags.addAll((List<Object>) part.getOrDefault("tags", List.of()));
        Map<String, Object> components = (Map<String, Object>) document.computeIfAbsent("components", k -> new LinkedHashMap<>());
        Map<String, Object> partComponents = (Map<String, Object>) part.getOrDefault("components", Map.of());
        partComponents.forEach((section, entries) -> {
            if (!COMPONENT_SECTIONS.contains(section)) {
                throw new IllegalStateException(resource(service) + ": unknown components section " + section);
            }
            Map<String, Object> into = (Map<String, Object>) components.computeIfAbsent(section, k -> new LinkedHashMap<>());
            ((Map<String, Object>) entries).forEach((name, value) -> {
                Object before = into.putIfAbsent(name, value);
                if (before != null && !Objects.equals(before, value)) {
                    throw new IllegalStateException(resource(service) + " defines components." + section + "." + name
                                                    + " differently from another description");
                }
            });
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String resource) {
        try (InputStream in = ApiDescriptions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No " + resource + " on the class path");
            }
            Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            // Copied through Jackson: a YAML alias (*name) becomes its own copy, so the served YAML has no anchors.
            return JSON.convertValue(yaml, LinkedHashMap.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** YAML text of a description. */
    public static String yaml(Map<String, Object> document) {
        DumperOptions options = new DumperOptions();
        options.setIndent(2);
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        return new Yaml(options).dump(document);
    }

    /** JSON text of a description. */
    public static String json(Map<String, Object> document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Helidon's manager for a document merged up front: the base file it is handed is already in it. */
    private record Merged(Map<String, Object> document) implements OpenApiManager<Map<String, Object>> {

        @Override
        public Map<String, Object> load(String baseContent) {
            return document;
        }

        @Override
        public String format(Map<String, Object> model, OpenApiFormat format) {
            return format == OpenApiFormat.JSON ? json(model) : yaml(model);
        }

        @Override
        public String name() {
            return "plaza";
        }

        @Override
        public String type() {
            return "plaza";
        }
    }
}

package plaza.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.platform.PlazaService;
import plaza.platform.http.ProblemException;
import plaza.platform.http.Problems;

/**
 * {@code /docs}: Swagger UI (from the org.webjars:swagger-ui jar) over the merged description at {@code /openapi},
 * with a selector for each service's {@code /openapi/<service>}. The page has no inline script, so its
 * Content-Security-Policy allows scripts from this origin only; the initializer is {@code docs/swagger-initializer.js}.
 */
final class ApiDocsPage implements PlazaService {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                              + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** What /docs/<file> serves: ours, then Swagger UI's; nothing else of the class path. */
    private static final Map<String, String> FILES = Map.of(
            "swagger-initializer.js", "text/javascript; charset=utf-8",
            "swagger-ui.css", "text/css; charset=utf-8",
            "index.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");

    private final String webjarRoot = "META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion() + "/";
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "docs";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/docs", (req, res) -> send(res, "docs/index.html", "text/html; charset=utf-8"))
                .any("/docs", Problems.methodNotAllowed("GET"))
                .get("/docs/{file}", this::file)
                .any("/docs/{file}", Problems.methodNotAllowed("GET"));
    }

    private void file(ServerRequest req, ServerResponse res) {
        String file = req.path().pathParameters().get("file");
        String type = FILES.get(file);
        if (type == null) {
            throw ProblemException.notFound("No file " + file + " in /docs.");
        }
        send(res, file.equals("swagger-initializer.js") ? "docs/" + file : webjarRoot + file, type);
    }

    private void send(ServerResponse res, String resource, String type) {
        byte[] body = cache.computeIfAbsent(resource, ApiDocsPage::read);
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        res.send(body);
    }

    private static byte[] read(String resource) {
        try (InputStream in = ApiDocsPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No " + resource + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String swaggerUiVersion() {
        try (InputStream in = ApiDocsPage.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            Properties p = new Properties();
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui is not on the class path");
            }
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

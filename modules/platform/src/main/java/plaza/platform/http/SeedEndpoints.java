package plaza.platform.http;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Seed 003's endpoints, kept on every service: {@code GET /health} and {@code GET /api/v1/echo?q=}. */
public final class SeedEndpoints implements HttpService {

    /** Longest {@code q} echoed back; longer is a 400, not a megabyte reflected at the caller. */
    public static final int MAX_ECHO = 1000;
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ECHO_PREFIX = "{\"echo\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ECHO_SUFFIX = "\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health)
                .any("/health", Problems.methodNotAllowed("GET"))
                .get("/api/v1/echo", this::echo)
                .any("/api/v1/echo", Problems.methodNotAllowed("GET"));
    }

    private void health(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(OK);
    }

    private void echo(ServerRequest req, ServerResponse res) {
        String q = req.query().first("q").asOptional()
                .orElseThrow(() -> QueryParams.invalid("q", "is required"));
        if (q.codePointCount(0, q.length()) > MAX_ECHO) {
            throw QueryParams.invalid("q", "must be at most " + MAX_ECHO + " characters");
        }
        // Written directly (Jackson's own string escaping) rather than through an ObjectMapper: a serializer
        // and its buffers per request were about 2% of this endpoint's CPU (bench/platform).
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(q);
        byte[] body = new byte[ECHO_PREFIX.length + escaped.length + ECHO_SUFFIX.length];
        System.arraycopy(ECHO_PREFIX, 0, body, 0, ECHO_PREFIX.length);
        System.arraycopy(escaped, 0, body, ECHO_PREFIX.length, escaped.length);
        System.arraycopy(ECHO_SUFFIX, 0, body, ECHO_PREFIX.length + escaped.length, ECHO_SUFFIX.length);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body);
    }
}

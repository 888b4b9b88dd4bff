package plaza.platform.http;

import java.util.zip.CRC32C;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Conditional GET (RFC 9110 §8.8.3, §13.1.2) for JSON representations: every answer carries an {@code ETag}
 * derived from its bytes, and a request whose {@code If-None-Match} names it gets {@code 304 Not Modified}
 * without a body, so clients and caches revalidate a product page instead of downloading it again.
 *
 * <p>The tag is weak ({@code W/"…"}): the same JSON sent gzip-compressed is different bytes but the same
 * representation as far as a client cares, and If-None-Match compares weakly anyway. CRC32C and the length
 * identify the body: it is hardware-accelerated (a 35 KB product page costs microseconds), and a stale page
 * passing for current would need a collision in both.
 */
public final class ConditionalGet {

    private ConditionalGet() {
    }

    /** Sends {@code body} as JSON with its ETag, or 304 when the client already has it. */
    public static void send(ServerRequest req, ServerResponse res, Object body) {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + body.getClass().getName(), e);
        }
        send(req, res, json);
    }

    /** Sends these JSON bytes with their ETag, or 304 when the client already has them. */
    public static void send(ServerRequest req, ServerResponse res, byte[] json) {
        String etag = etag(json);
        res.header(HeaderNames.ETAG, etag);
        if (matches(req.headers().first(HeaderNames.IF_NONE_MATCH).orElse(null), etag)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(json);
    }

    static String etag(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return "W/\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(body.length) + "\"";
    }

    /** If-None-Match: {@code *}, or a comma-separated list of tags compared weakly (the W/ prefix ignored). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || opaque(tag).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}

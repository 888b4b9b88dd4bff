package plaza.platform.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * The client's address for rate limiting. Behind the ingress the peer is the proxy, so the first
 * {@code X-Forwarded-For} entry is used when {@code trustForwarded} is on (the chart turns it on;
 * a directly exposed process must leave it off, or clients could pick their own bucket).
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(ServerRequest req, boolean trustForwarded) {
        if (trustForwarded) {
            var forwarded = req.headers().first(HeaderNames.X_FORWARDED_FOR);
            if (forwarded.isPresent()) {
                String first = forwarded.get().split(",")[0].trim();
                if (!first.isEmpty() && first.length() <= 64) {
                    return first;
                }
            }
        }
        return req.remotePeer().host();
    }
}

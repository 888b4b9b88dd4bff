package plaza.platform.http;

import java.util.ArrayList;
import java.util.List;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The {@code Link} header of a page of a list (RFC 8288): {@code first}, {@code prev}, {@code next} and
 * {@code last} as the same request with another {@code page}, so a client follows links instead of building
 * URLs (GitHub's API does the same). Targets are relative references: they resolve against the URL the client
 * used, through whatever ingress or port-forward that was.
 */
public final class PageLinks {

    private PageLinks() {
    }

    /** Sets the Link header for page {@code page} (1-based) of {@code totalPages}; nothing when there is one page. */
    public static void set(ServerRequest req, ServerResponse res, int page, long totalPages) {
        long last = Math.max(totalPages, 1);
        if (last == 1 && page == 1) {
            return;
        }
        List<String> links = new ArrayList<>();
        links.add(link(req, "page", "1", "first"));
        if (page > 1) {
            links.add(link(req, "page", Long.toString(Math.min(page - 1, last)), "prev"));
        }
        if (page < last) {
            links.add(link(req, "page", Long.toString(page + 1), "next"));
        }
        links.add(link(req, "page", Long.toString(last), "last"));
        res.header(HeaderNames.LINK, String.join(", ", links));
    }

    /** Sets {@code Link: <same request with param=value>; rel="next"} for a list paged by a cursor parameter. */
    public static void next(ServerRequest req, ServerResponse res, String param, String value) {
        res.header(HeaderNames.LINK, link(req, param, value, "next"));
    }

    /** The request's own path and query with {@code param} set to {@code value} (URL-safe values only). */
    private static String link(ServerRequest req, String param, String value, String rel) {
        StringBuilder target = new StringBuilder(req.prologue().uriPath().rawPath()).append('?');
        String raw = req.query().rawValue();
        if (!raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (!pair.isEmpty() && !pair.equals(param) && !pair.startsWith(param + "=")) {
                    target.append(pair).append('&');
                }
            }
        }
        target.append(param).append('=').append(value);
        return "<" + target + ">; rel=\"" + rel + "\"";
    }
}

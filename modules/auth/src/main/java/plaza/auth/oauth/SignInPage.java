package plaza.auth.oauth;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * The sign-in page of {@code /auth/oauth/authorize}: a plain server-rendered form that POSTs back to the same
 * URL, with the authorization request in hidden fields. No script and no inline style, so the strictest CSP
 * applies ({@code default-src 'none'}); {@code form-action} is left open because the POST answers with a redirect
 * to the client, which Chrome checks against form-action.
 */
final class SignInPage {

    private static final String CSP = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private SignInPage() {
    }

    static void send(ServerResponse res, Status status, String clientName, boolean askConsent, String scope,
                     Map<String, String> request, String message) {
        StringBuilder hidden = new StringBuilder();
        request.forEach((name, value) -> hidden.append("<input type=\"hidden\" name=\"").append(escape(name)).append("\" value=\"")
                .append(escape(value)).append("\">\n"));
        String consent = askConsent
                ? "<p><label><input type=\"checkbox\" name=\"consent\" value=\"allow\" required> Allow " + escape(clientName)
                  + " to use your Plaza account" + (scope.isEmpty() ? "" : " (" + escape(scope) + ")") + "</label></p>\n"
                : "";
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in to %s</title></head>
                <body><h1>Sign in to %s</h1>
                %s
                <form method="post" action="/auth/oauth/authorize">
                %s<p><label>Email <input type="email" name="email" autocomplete="username" required></label></p>
                <p><label>Password <input type="password" name="password" autocomplete="current-password" required></label></p>
                %s<p><button type="submit">Sign in</button></p>
                </form>
                </body></html>
                """.formatted(escape(clientName), escape(clientName),
                              message == null ? "" : "<p role=\"alert\">" + escape(message) + "</p>", hidden, consent);
        headers(res, status);
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }

    /** A page for a request that cannot be sent back to the client (unknown client or redirect URI: RFC 6749 §4.1.2.1). */
    static void error(ServerResponse res, String message) {
        headers(res, Status.BAD_REQUEST_400);
        res.send(("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in request refused</title></head>"
                  + "<body><h1>Sign-in request refused</h1><p>" + escape(message) + "</p></body></html>\n").getBytes(StandardCharsets.UTF_8));
    }

    static void signedOut(ServerResponse res) {
        headers(res, Status.OK_200);
        res.send("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signed out</title></head><body><h1>You are signed out</h1></body></html>\n"
                         .getBytes(StandardCharsets.UTF_8));
    }

    private static void headers(ServerResponse res, Status status) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("X-Frame-Options"), "DENY");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}

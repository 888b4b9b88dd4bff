package plaza.auth.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The pages mail links open. They never consume a token by being opened (mail scanners open links): the user
 * presses a button, and the page POSTs the token from its own URL to the API. Minimal, dependency-free HTML
 * with a strict Content-Security-Policy (the only script is allowed by its hash) and no referrer, so the token
 * in the URL does not leak to other sites.
 */
final class AccountPages {

    private static final String SCRIPT = """
            const token = new URLSearchParams(location.search).get('token') || '';
            const form = document.getElementById('f');
            const out = document.getElementById('out');
            form.addEventListener('submit', async (e) => {
              e.preventDefault();
              const body = { token };
              const pw = document.getElementById('pw');
              if (pw) { body.new_password = pw.value; }
              form.querySelector('button').disabled = true;
              try {
                const r = await fetch(form.dataset.action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
                if (r.status === 204) { out.textContent = form.dataset.done; form.hidden = true; return; }
                const p = await r.json().catch(() => ({}));
                out.textContent = p.detail || ('Failed: HTTP ' + r.status);
              } catch (err) { out.textContent = 'Network error: ' + err; }
              form.querySelector('button').disabled = false;
            });
            """;
    private static final String CSP = "default-src 'none'; script-src 'sha256-" + sha256(SCRIPT) + "'; connect-src 'self'; "
                                      + "style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private AccountPages() {
    }

    static void resetPassword(ServerRequest req, ServerResponse res) {
        send(res, "Choose a new password", """
                <form id="f" data-action="/auth/reset-password" data-done="Your password has been changed. You can sign in with it now.">
                  <label>New password <input id="pw" type="password" autocomplete="new-password" minlength="8" required></label>
                  <button type="submit">Set new password</button>
                </form>""");
    }

    static void verifyEmail(ServerRequest req, ServerResponse res) {
        send(res, "Confirm your email address", """
                <form id="f" data-action="/auth/verify-email" data-done="Thank you: your email address is confirmed.">
                  <button type="submit">Confirm</button>
                </form>""");
    }

    private static void send(ServerResponse res, String title, String form) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
                label,button{display:block;margin:1rem 0}input{width:100%%;padding:.4rem}button{padding:.5rem 1rem}</style></head>
                <body><h1>%s</h1>
                %s
                <p id="out" role="status"></p>
                <script>%s</script>
                </body></html>
                """.formatted(title, title, form, SCRIPT);
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

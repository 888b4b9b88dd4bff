package plaza.auth;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.http.Json;
import plaza.testing.EmbeddedDatabases;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Test wiring: auth on a fresh embedded MariaDB, with a signing key the test knows (to forge tokens), a real
 * in-process SMTP server (GreenMail) shared by the JVM, and HTTP helpers. Addresses are unique per call of
 * {@link #email}, so tests find their own mails.
 */
public final class AuthFixture {

    public static final String PASSWORD = "violet-Harbour-42";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern TOKEN = Pattern.compile("^\\s*([A-Za-z0-9_-]{43})\\s*$", Pattern.MULTILINE);
    private static final Pattern LINK = Pattern.compile("https?://\\S+");
    private static GreenMail greenMail;
    private static KeyPair key;

    private AuthFixture() {
    }

    public static synchronized GreenMail mailServer() {
        if (greenMail == null) {
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            greenMail.start();
        }
        return greenMail;
    }

    /** The EC key the test servers sign with (PKCS#8 PEM in {@code auth.signing-key}). */
    public static synchronized KeyPair key() {
        if (key == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                key = generator.generateKeyPair();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return key;
    }

    public static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
               + "\n-----END PRIVATE KEY-----\n";
    }

    /** Root config: fresh database, the test key, GreenMail as SMTP, generous limits; {@code extra} wins. */
    public static Config config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(EmbeddedDatabases.fresh(Database.Vendor.MARIADB, "auth"));
        values.put("auth.signing-key", pem(key()));
        values.put("auth.smtp.host", "127.0.0.1");
        values.put("auth.smtp.port", String.valueOf(mailServer().getSmtp().getPort()));
        values.put("auth.public-url", "http://plaza.test");
        values.put("auth.rate-limit.login.capacity", "1000");
        values.put("auth.rate-limit.register.capacity", "1000");
        values.put("auth.rate-limit.forgot-password.capacity", "1000");
        values.put("auth.rate-limit.verification.capacity", "1000");
        values.put("auth.rate-limit.mail-per-account.capacity", "1000");
        values.put("plaza.access-log.enabled", "false");
        values.putAll(extra);
        return PlazaConfig.override(Config.empty(), values);
    }

    /** Opens the database, creates the service and configures the test server; returns the service. */
    public static AuthService setUp(WebServerConfig.Builder server, Config config) {
        Database db = Database.open(config.get("db"), "auth");
        AuthService auth = AuthService.create(config, db);
        PlazaServer.configure(server, config, List.of(auth));
        return auth;
    }

    public static String email(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet() + "-" + System.nanoTime() % 100000 + "@example.com";
    }

    // ---- HTTP ----

    public record Reply(Status status, String body, io.helidon.http.ClientResponseHeaders headers) {
        public JsonNode json() {
            return Json.parse(body);
        }

        public String detail() {
            return json().path("detail").asText();
        }
    }

    public static Reply post(Http1Client client, String path, String json) {
        return post(client, path, json, null);
    }

    public static Reply post(Http1Client client, String path, String json, String bearer) {
        var request = client.post(path).header(HeaderNames.CONTENT_TYPE, "application/json");
        if (bearer != null) {
            request.header(HeaderNames.AUTHORIZATION, "Bearer " + bearer);
        }
        try (Http1ClientResponse res = json == null ? request.request() : request.submit(json)) {
            return new Reply(res.status(), res.entity().hasEntity() ? res.as(String.class) : "", res.headers());
        }
    }

    public static Reply send(Http1Client client, io.helidon.http.Method method, String path, String json, String bearer) {
        int q = path.indexOf('?');
        var request = client.method(method).path(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                request.queryParam(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                                   eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        if (json != null) {
            request.header(HeaderNames.CONTENT_TYPE, "application/json");
        }
        if (bearer != null) {
            request.header(HeaderNames.AUTHORIZATION, "Bearer " + bearer);
        }
        try (Http1ClientResponse res = json == null ? request.request() : request.submit(json)) {
            return new Reply(res.status(), res.entity().hasEntity() ? res.as(String.class) : "", res.headers());
        }
    }

    public static Reply get(Http1Client client, String path, String bearer) {
        return send(client, io.helidon.http.Method.GET, path, null, bearer);
    }

    public static String body(Object value) {
        return Json.write(value);
    }

    public static JsonNode register(Http1Client client, String email, String password) {
        Reply r = post(client, "/auth/register", body(Map.of("email", email, "password", password, "name", "Test User")));
        assertThat(r.body(), r.status(), is(Status.CREATED_201));
        return r.json();
    }

    public static JsonNode login(Http1Client client, String email, String password) {
        Reply r = post(client, "/auth/login", body(Map.of("email", email, "password", password)));
        assertThat(r.body(), r.status(), is(Status.OK_200));
        return r.json();
    }

    /** Registers and signs in a new account; returns the login response. */
    public static JsonNode newSession(Http1Client client, String prefix) {
        String email = email(prefix);
        register(client, email, PASSWORD);
        return login(client, email, PASSWORD);
    }

    // ---- mail ----

    /** The newest mail to {@code to} whose subject contains {@code subject}, waiting up to 10 s for it. */
    public static String awaitMail(String to, String subject) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            MimeMessage[] messages = mailServer().getReceivedMessages();
            for (int i = messages.length - 1; i >= 0; i--) {
                try {
                    for (Address a : messages[i].getAllRecipients()) {
                        if (a.toString().equalsIgnoreCase(to) && messages[i].getSubject().contains(subject)) {
                            return GreenMailUtil.getBody(messages[i]).replace("\r\n", "\n");
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("No mail to " + to + " with subject containing '" + subject + "'");
    }

    public static long mailCount(String to) {
        return java.util.Arrays.stream(mailServer().getReceivedMessages()).filter(m -> {
            try {
                return java.util.Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(to));
            } catch (Exception e) {
                return false;
            }
        }).count();
    }

    public static String tokenIn(String mail) {
        Matcher m = TOKEN.matcher(mail);
        if (!m.find()) {
            throw new AssertionError("No token in mail:\n" + mail);
        }
        return m.group(1);
    }

    public static String linkIn(String mail) {
        Matcher m = LINK.matcher(mail);
        if (!m.find()) {
            throw new AssertionError("No link in mail:\n" + mail);
        }
        return m.group();
    }
}

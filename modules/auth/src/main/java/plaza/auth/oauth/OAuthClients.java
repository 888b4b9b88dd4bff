package plaza.auth.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import plaza.auth.store.Jdbc;
import plaza.platform.http.Problem;
import plaza.platform.http.ProblemException;

/**
 * OAuth clients: from config ({@code auth.oauth.clients.N.*}, kept in memory, secrets hashed on load) and
 * registered through the admin API (table {@code oauth_clients}, secrets generated here and shown once). Secrets
 * are 256-bit random values when generated and at least 32 characters from config, so SHA-256 suffices to keep
 * them (no password hash: nobody can guess such a secret, and a client authenticates on every token request).
 */
public final class OAuthClients {

    /** RFC 6749 §3.3 scope-token: NQCHAR = %x21 / %x23-5B / %x5D-7E. */
    static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbc jdbc;
    private final Map<String, OAuthClient> configured;
    private final Duration defaultAccessTtl;
    private final Duration defaultRefreshTtl;

    public OAuthClients(Jdbc jdbc, Config auth) {
        this.jdbc = jdbc;
        this.defaultAccessTtl = auth.get("access-token-ttl").as(Duration.class).orElse(Duration.ofMinutes(15));
        this.defaultRefreshTtl = auth.get("refresh-token-ttl").as(Duration.class).orElse(Duration.ofDays(30));
        Map<String, OAuthClient> clients = new LinkedHashMap<>();
        for (Config c : auth.get("oauth.clients").asNodeList().orElse(List.of())) {
            String where = "auth.oauth.clients." + c.name();
            String id = c.get("id").asString().orElseThrow(() -> new IllegalStateException(where + ".id is missing"));
            String secret = c.get("secret").asString().asOptional().filter(s -> !s.isBlank()).orElse(null);
            if (secret != null && secret.length() < 32) {
                throw new IllegalStateException(where + ".secret must be at least 32 characters (e.g. openssl rand -hex 32)");
            }
            OAuthClient client;
            try {
                client = validated(id, secret == null ? null : sha256(secret), c.get("name").asString().orElse(id),
                                   c.get("first-party").asBoolean().orElse(false), list(c.get("redirect-uris")),
                                   list(c.get("scopes")), list(c.get("grant-types")),
                                   c.get("access-token-ttl").as(Duration.class).orElse(defaultAccessTtl),
                                   c.get("refresh-token-ttl").as(Duration.class).orElse(defaultRefreshTtl), true);
            } catch (ProblemException e) {
                throw new IllegalStateException(where + ": " + e.getMessage(), e);
            }
            clients.put(id, client);
        }
        this.configured = Map.copyOf(clients);
    }

    /** A list from config: a YAML list or one space/comma-separated string. */
    private static List<String> list(Config node) {
        Optional<List<String>> asList = node.asList(String.class).asOptional();
        if (asList.isPresent() && !(asList.get().size() == 1 && asList.get().getFirst().contains(","))) {
            return asList.get().stream().flatMap(s -> Arrays.stream(s.trim().split("[\\s,]+"))).filter(s -> !s.isEmpty()).toList();
        }
        return node.asString().asOptional().map(s -> Arrays.stream(s.trim().split("[\\s,]+")).filter(t -> !t.isEmpty()).toList())
                .orElse(asList.orElse(List.of()));
    }

    /** Checks a client's settings; a 400 naming what is wrong. */
    static OAuthClient validated(String id, String secretHash, String name, boolean firstParty, List<String> redirectUris,
                                 List<String> scopes, List<String> grantTypes, Duration accessTtl, Duration refreshTtl,
                                 boolean fromConfig) {
        if (id == null || !CLIENT_ID.matcher(id).matches()) {
            throw invalid("client_id", "A client id is 1–100 characters of A–Z, a–z, 0–9, '.', '_', '~' and '-'.");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw invalid("name", "A client's name is 1–200 characters.");
        }
        Set<String> grants = new LinkedHashSet<>(grantTypes == null || grantTypes.isEmpty() ? List.of("client_credentials") : grantTypes);
        for (String grant : grants) {
            if (!OAuthClient.GRANT_TYPES.contains(grant)) {
                throw invalid("grant_types", "Unknown grant type '" + grant + "': use authorization_code, refresh_token or client_credentials.");
            }
        }
        if (grants.contains("client_credentials") && secretHash == null) {
            throw invalid("confidential", "client_credentials needs a confidential client (one with a secret).");
        }
        List<String> uris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        for (String uri : uris) {
            checkRedirectUri(uri);
        }
        if (grants.contains("authorization_code") && uris.isEmpty()) {
            throw invalid("redirect_uris", "authorization_code needs at least one redirect URI.");
        }
        Set<String> scopeSet = new LinkedHashSet<>(scopes == null ? List.of() : scopes);
        for (String scope : scopeSet) {
            if (!SCOPE_TOKEN.matcher(scope).matches()) {
                throw invalid("scopes", "A scope is 1–100 printable ASCII characters without space, '\"' or '\\\\' (RFC 6749 §3.3).");
            }
        }
        if (accessTtl.isNegative() || accessTtl.isZero() || accessTtl.compareTo(Duration.ofDays(1)) > 0
            || refreshTtl.isNegative() || refreshTtl.isZero() || refreshTtl.compareTo(Duration.ofDays(365)) > 0) {
            throw invalid(accessTtl.isNegative() || accessTtl.isZero() || accessTtl.compareTo(Duration.ofDays(1)) > 0
                          ? "access_token_ttl" : "refresh_token_ttl", "Token lifetimes: access 1 s – 1 day, refresh 1 s – 365 days.");
        }
        return new OAuthClient(id, secretHash, name.strip(), firstParty, uris, Set.copyOf(scopeSet), Set.copyOf(grants),
                               accessTtl, refreshTtl, fromConfig);
    }

    /** A 400 naming the field of the admin API's body (POST /auth/oauth/clients) that is wrong. */
    private static ProblemException invalid(String field, String message) {
        return ProblemException.validation(List.of(new Problem.FieldError(field, message)));
    }

    /** RFC 6749 §3.1.2: absolute, no fragment; https, or http only to this machine (native apps, RFC 8252 §7.3). */
    static void checkRedirectUri(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (Exception e) {
            throw invalid("redirect_uris", "Redirect URI '" + uri + "' is not a URI.");
        }
        if (!parsed.isAbsolute() || parsed.getFragment() != null || parsed.getHost() == null) {
            throw invalid("redirect_uris", "Redirect URI '" + uri + "' must be absolute, with a host and without a fragment.");
        }
        boolean local = Set.of("localhost", "127.0.0.1", "[::1]").contains(parsed.getHost());
        if (!"https".equals(parsed.getScheme()) && !("http".equals(parsed.getScheme()) && local)) {
            throw invalid("redirect_uris", "Redirect URI '" + uri + "' must use https (http only for localhost).");
        }
    }

    public Optional<OAuthClient> find(String id) {
        if (!couldBeAnId(id)) {
            return Optional.empty();
        }
        OAuthClient fromConfig = configured.get(id);
        if (fromConfig != null) {
            return Optional.of(fromConfig);
        }
        return jdbc.read(c -> {
            try (var ps = Jdbc.prepare(c, "SELECT * FROM oauth_clients WHERE client_id = ?", id); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.<OAuthClient>empty();
            }
        });
    }

    /**
     * The client that presented {@code id} and {@code secret}: a confidential client must present its secret, a
     * public one none. Every failure is the same {@code invalid_client}, so nobody learns which ids exist.
     */
    public OAuthClient authenticate(String id, String secret) {
        Optional<OAuthClient> client = find(id);
        byte[] presented = secret == null ? null : sha256(secret).getBytes(StandardCharsets.US_ASCII);
        if (client.isEmpty()) {
            throw OAuthError.invalidClient("Client authentication failed.");
        }
        OAuthClient c = client.get();
        if (c.confidential()) {
            if (presented == null || !MessageDigest.isEqual(presented, c.secretHash().getBytes(StandardCharsets.US_ASCII))) {
                throw OAuthError.invalidClient("Client authentication failed.");
            }
        } else if (secret != null) {
            throw OAuthError.invalidClient("Client authentication failed.");
        }
        return c;
    }

    /** A registered client and, for a confidential one, its secret in clear (shown this once). */
    public record Registered(OAuthClient client, String secret) {
    }

    public Registered register(String name, boolean confidential, boolean firstParty, List<String> redirectUris, List<String> scopes,
                               List<String> grantTypes, Duration accessTtl, Duration refreshTtl) {
        String id = random(16);
        String secret = confidential ? random(32) : null;
        OAuthClient client = validated(id, secret == null ? null : sha256(secret), name, firstParty, redirectUris, scopes, grantTypes,
                                       accessTtl == null ? defaultAccessTtl : accessTtl,
                                       refreshTtl == null ? defaultRefreshTtl : refreshTtl, false);
        jdbc.transaction(c -> Jdbc.update(c, "INSERT INTO oauth_clients (client_id, secret_hash, name, first_party, redirect_uris, scopes, "
                                             + "grant_types, access_token_ttl_seconds, refresh_token_ttl_seconds, created_at) "
                                             + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                          client.id(), client.secretHash(), client.name(), client.firstParty(),
                                          String.join(" ", client.redirectUris()), String.join(" ", client.scopes()),
                                          String.join(" ", client.grantTypes()), (int) client.accessTokenTtl().toSeconds(),
                                          (int) client.refreshTokenTtl().toSeconds(), Jdbc.now()));
        return new Registered(client, secret);
    }

    public List<OAuthClient> list() {
        List<OAuthClient> all = new ArrayList<>(configured.values());
        all.addAll(jdbc.read(c -> {
            List<OAuthClient> rows = new ArrayList<>();
            try (var ps = Jdbc.prepare(c, "SELECT * FROM oauth_clients ORDER BY created_at, client_id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        }));
        return all;
    }

    /** Deletes a registered client; false if there is none (clients from config cannot be deleted here). */
    public boolean delete(String id) {
        if (configured.containsKey(id)) {
            throw ProblemException.conflict("Client '" + id + "' comes from config (auth.oauth.clients); remove it there.");
        }
        if (!couldBeAnId(id)) {
            return false;
        }
        return jdbc.transaction(c -> Jdbc.update(c, "DELETE FROM oauth_clients WHERE client_id = ?", id)) > 0;
    }

    /**
     * Client ids are printable ASCII of at most 100 characters (the column is ASCII VARCHAR(100)): anything else names
     * no client, and must not reach MariaDB, which refuses it with an error (a Korean id in a path was a 500).
     */
    static boolean couldBeAnId(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (ch < 0x21 || ch > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static OAuthClient read(ResultSet rs) throws SQLException {
        return new OAuthClient(rs.getString("client_id"), rs.getString("secret_hash"), rs.getString("name"), rs.getBoolean("first_party"),
                               words(rs.getString("redirect_uris")), Set.copyOf(words(rs.getString("scopes"))),
                               Set.copyOf(words(rs.getString("grant_types"))), Duration.ofSeconds(rs.getInt("access_token_ttl_seconds")),
                               Duration.ofSeconds(rs.getInt("refresh_token_ttl_seconds")), false);
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.trim().split(" +"));
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

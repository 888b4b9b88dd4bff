package plaza.auth.tokens;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.helidon.config.Config;

/**
 * auth's ES256 key set. Keys come from, in this order: {@code auth.signing-key-file}
 * ({@code AUTH_SIGNING_KEY_FILE}), {@code auth.signing-key} ({@code AUTH_SIGNING_KEY}, PEM text) and the
 * {@code *.pem} files of {@code auth.key-directory} ({@code AUTH_KEY_DIRECTORY}, sorted by file name). Each source may hold several PKCS#8 EC P-256
 * keys ({@code -----BEGIN PRIVATE KEY-----}); the LAST key found signs, every key is published in the JWKS
 * (so tokens of an older key verify until they expire). The {@code kid} is the key's RFC 7638 thumbprint,
 * the same on every replica. When no key is configured and a key directory is set, a key is generated there
 * on first start (standalone); {@link #rotate()} adds a newer one. The directory is re-read every
 * {@code auth.key-reload-interval} (PT30S), so a rotated Kubernetes Secret is picked up without a restart.
 *
 * <p>Rollover without rejections: a key of the directory is published at once but signs only
 * {@code auth.key-publish-ahead} (PT2M) after its file's modification time, so every verifier that caches the
 * JWKS (for at most {@link #JWKS_MAX_AGE}, what the JWKS route's Cache-Control allows, plus the reload interval of
 * the other replicas) has the new key before the first token it signed arrives. Until then the newest key that
 * may sign keeps signing; with no such key (a fresh key directory) the oldest key signs. Keys from
 * {@code auth.signing-key(-file)} sign by position (the last); rotate them in two steps (docs/auth.md).
 * Nothing is unpublished here: a key leaves the JWKS when its file is removed.
 */
public final class SigningKeys {

    private static final System.Logger LOG = System.getLogger(SigningKeys.class.getName());
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'");

    /** How long a client may cache the JWKS (the route's {@code Cache-Control: max-age}). */
    public static final java.time.Duration JWKS_MAX_AGE = java.time.Duration.ofSeconds(60);

    /** A key and the moment from which it may sign. */
    private record Loaded(ECKey key, java.time.Instant signsFrom) {
    }

    private final Path directory;
    private final java.time.Clock clock;
    private final java.time.Duration publishAhead;
    private final String fileKeys;
    private final String inlineKeys;
    private final long reloadNanos;
    private volatile List<ECKey> keys;
    private volatile List<Loaded> loaded;
    private volatile JWKSet publicSet;
    private volatile long loadedAt;

    private SigningKeys(Path directory, String fileKeys, String inlineKeys, long reloadNanos, java.time.Clock clock,
                        java.time.Duration publishAhead) {
        this.directory = directory;
        this.clock = clock;
        this.publishAhead = publishAhead;
        this.fileKeys = fileKeys;
        this.inlineKeys = inlineKeys;
        this.reloadNanos = reloadNanos;
    }

    public static SigningKeys create(Config auth) {
        return create(auth, java.time.Clock.systemUTC());
    }

    /** With a clock of the caller's (tests move it instead of waiting for publication). */
    public static SigningKeys create(Config auth, java.time.Clock clock) {
        Path directory = auth.get("key-directory").asString().asOptional().filter(s -> !s.isBlank()).map(Path::of).orElse(null);
        String fileKeys = null;
        var file = auth.get("signing-key-file").asString().asOptional().filter(s -> !s.isBlank());
        if (file.isPresent()) {
            try {
                fileKeys = Files.readString(Path.of(file.get()), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read auth.signing-key-file " + file.get() + ": " + e.getMessage(), e);
            }
        }
        String inline = auth.get("signing-key").asString().asOptional().filter(s -> !s.isBlank()).orElse(null);
        long reload = auth.get("key-reload-interval").as(java.time.Duration.class).orElse(java.time.Duration.ofSeconds(30)).toNanos();
        java.time.Duration ahead = auth.get("key-publish-ahead").as(java.time.Duration.class).orElse(java.time.Duration.ofMinutes(2));
        if (ahead.compareTo(JWKS_MAX_AGE) < 0) {
            LOG.log(Level.WARNING, "auth.key-publish-ahead " + ahead + " is shorter than the JWKS cache time " + JWKS_MAX_AGE
                                   + ": verifiers that cache the key set may refuse tokens of a new key for a while");
        }
        SigningKeys keys = new SigningKeys(directory, fileKeys, inline, reload, clock, ahead);
        keys.reload();
        if (keys.keys.isEmpty()) {
            if (directory == null) {
                throw new IllegalStateException("auth has no signing key: set auth.signing-key-file (env AUTH_SIGNING_KEY_FILE) to a "
                                                + "PKCS#8 PEM EC P-256 key (openssl genpkey -algorithm EC -pkeyopt "
                                                + "ec_paramgen_curve:P-256), auth.signing-key (env AUTH_SIGNING_KEY) to its text, "
                                                + "or auth.key-directory (env AUTH_KEY_DIRECTORY) to a writable directory to keep a generated key in");
            }
            keys.rotate();
        }
        return keys;
    }

    /** The key new tokens are signed with: the last one whose publication time has passed (see the class comment). */
    public ECKey signingKey() {
        maybeReload();
        List<Loaded> current = loaded;
        java.time.Instant now = clock.instant();
        for (int i = current.size() - 1; i >= 0; i--) {
            if (!current.get(i).signsFrom().isAfter(now)) {
                return current.get(i).key();
            }
        }
        return current.stream().min(java.util.Comparator.comparing(Loaded::signsFrom)).orElseThrow().key();
    }

    /** When {@code kid} signs (or signed) first; empty for a key not loaded. */
    public java.util.Optional<java.time.Instant> signsFrom(String kid) {
        return loaded.stream().filter(l -> l.key().getKeyID().equals(kid)).map(Loaded::signsFrom).findFirst();
    }

    /** Every public key, as served at {@code /auth/.well-known/jwks.json}. */
    public JWKSet publicKeys() {
        maybeReload();
        return publicSet;
    }

    /** The public keys as a Nimbus key source (for {@code TokenVerifier.create}); always current. */
    public JWKSource<SecurityContext> source() {
        return (selector, context) -> selector.select(publicKeys());
    }

    /** Whether keys can be generated here ({@code auth.key-directory} is set). */
    public boolean canRotate() {
        return directory != null;
    }

    /** Generates a new key in the key directory: published now, signing after {@code auth.key-publish-ahead}; the older ones stay published. */
    public synchronized ECKey rotate() {
        if (directory == null) {
            throw new IllegalStateException("No auth.key-directory to keep a new key in; rotate by adding a key to the configured PEM");
        }
        try {
            Files.createDirectories(directory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                         + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                         + "\n-----END PRIVATE KEY-----\n";
            String name = "es256-" + FILE_TIME.format(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)) + ".pem";
            Path tmp = Files.createTempFile(directory, ".new-", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.from(clock.instant()));
            Files.move(tmp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            reload();
            ECKey key = keys.getLast();
            LOG.log(Level.INFO, "Generated signing key " + key.getKeyID() + " in " + directory);
            return key;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate a signing key in " + directory + ": " + e.getMessage(), e);
        }
    }

    private void maybeReload() {
        if (directory != null && System.nanoTime() - loadedAt > reloadNanos) {
            try {
                reload();
            } catch (RuntimeException e) {
                // A half-written or broken file must not take signing down: keep what was loaded.
                LOG.log(Level.WARNING, "Cannot reload signing keys, keeping the current ones: " + e.getMessage());
                loadedAt = System.nanoTime();
            }
        }
    }

    private synchronized void reload() {
        List<ECKey> found = new ArrayList<>();
        Map<String, java.time.Instant> signsFrom = new java.util.HashMap<>();
        if (fileKeys != null) {
            found.addAll(parse(fileKeys, "auth.signing-key-file"));
        }
        if (inlineKeys != null) {
            found.addAll(parse(inlineKeys, "auth.signing-key"));
        }
        found.forEach(k -> signsFrom.put(k.getKeyID(), java.time.Instant.EPOCH)); // configured keys sign by position
        if (directory != null && Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                    // The file's time is the same on every replica that shares the directory, so all switch together.
                    java.time.Instant published = Files.getLastModifiedTime(file).toInstant();
                    for (ECKey key : parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString())) {
                        found.add(key);
                        signsFrom.put(key.getKeyID(), published.plus(publishAhead));
                    }
                }
            } catch (IOException e) {
                if (keys != null) {
                    LOG.log(Level.WARNING, "Cannot re-read key directory " + directory + "; keeping the keys loaded before");
                    loadedAt = System.nanoTime();
                    return;
                }
                throw new IllegalStateException("Cannot read auth.key-directory " + directory + ": " + e.getMessage(), e);
            }
        }
        // One key listed twice (same thumbprint) counts once, at its last position.
        List<ECKey> unique = new ArrayList<>();
        for (ECKey key : found) {
            unique.removeIf(k -> k.getKeyID().equals(key.getKeyID()));
            unique.add(key);
        }
        if (keys != null && unique.isEmpty()) {
            LOG.log(Level.WARNING, "No signing keys found any more; keeping the keys loaded before");
            loadedAt = System.nanoTime();
            return;
        }
        keys = List.copyOf(unique);
        loaded = unique.stream().map(k -> new Loaded(k, signsFrom.get(k.getKeyID()))).toList();
        publicSet = new JWKSet(unique.stream().map(k -> (JWK) k.toPublicJWK()).toList());
        loadedAt = System.nanoTime();
    }

    /** Every PKCS#8 EC P-256 private key in a PEM text. */
    public static List<ECKey> parse(String pem, String source) {
        List<ECKey> result = new ArrayList<>();
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if ("PUBLIC KEY".equals(type) || "CERTIFICATE".equals(type)) {
                continue;
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            if ("EC PRIVATE KEY".equals(type)) {
                der = sec1ToPkcs8(der); // what openssl ecparam and Helm's genPrivateKey "ecdsa" write
            } else if (!"PRIVATE KEY".equals(type)) {
                throw new IllegalStateException(source + ": '" + type + "' is not supported; convert it to PKCS#8 with "
                                                + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
            }
            result.add(toJwk(der, source));
        }
        if (result.isEmpty() && !pem.isBlank()) {
            throw new IllegalStateException(source + " holds no '-----BEGIN PRIVATE KEY-----' block");
        }
        return result;
    }

    /** SEQUENCE { AlgorithmIdentifier id-ecPublicKey + prime256v1 } as DER, the fixed part of a P-256 PKCS#8 key. */
    private static final byte[] P256_ALGORITHM = {
            0x30, 0x13, 0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01,
            0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    /** Wraps an RFC 5915 (SEC1) EC key in a PKCS#8 PrivateKeyInfo: version 0, the P-256 algorithm, the key as OCTET STRING. */
    static byte[] sec1ToPkcs8(byte[] sec1) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(P256_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(sec1.length));
        body.writeBytes(sec1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 128) {
            return new byte[] {(byte) length};
        }
        return length < 256 ? new byte[] {(byte) 0x81, (byte) length}
                : new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    }

    private static ECKey toJwk(byte[] der, String source) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!P256.is(privateKey.getParams())) {
                throw new IllegalStateException(source + ": only EC P-256 keys are supported (ES256)");
            }
            ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(
                    new ECPublicKeySpec(P256.publicPoint(privateKey.getS()), privateKey.getParams()));
            ECKey key = new ECKey.Builder(Curve.P_256, publicKey)
                    .privateKey(privateKey)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .build();
            return new ECKey.Builder(key).keyID(key.computeThumbprint().toString()).build();
        } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalStateException(source + ": not a PKCS#8 EC P-256 private key (" + e.getMessage() + ")", e);
        } catch (JOSEException e) {
            throw new IllegalStateException(source + ": " + e.getMessage(), e);
        }
    }
}

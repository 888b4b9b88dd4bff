package plaza.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.ECKey;
import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plaza.auth.accounts.User;
import plaza.auth.tokens.AccessTokens;
import plaza.auth.tokens.SigningKeys;
import plaza.platform.config.PlazaConfig;
import plaza.platform.http.ProblemException;
import plaza.platform.security.TokenVerifier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Key loading from PEM, generation in a directory, rotation, and verification across a rotation. */
class SigningKeysTest {

    private static Config auth(Map<String, String> values) {
        Map<String, String> prefixed = new java.util.HashMap<>();
        values.forEach((k, v) -> prefixed.put("auth." + k, v));
        return PlazaConfig.override(Config.empty(), prefixed).get("auth");
    }

    private static final User USER = new User("u-1", "u@example.com", "U", null, true, false, Set.of("user"), null, null, null);

    @Test
    void derivesThePublicKeyFromAPkcs8PrivateKey() {
        KeyPair pair = AuthFixture.key();
        SigningKeys keys = SigningKeys.create(auth(Map.of("signing-key", AuthFixture.pem(pair))));
        ECKey key = keys.signingKey();
        ECPublicKey expected = (ECPublicKey) pair.getPublic();
        assertThat(key.getX().decodeToBigInteger(), is(expected.getW().getAffineX()));
        assertThat(key.getY().decodeToBigInteger(), is(expected.getW().getAffineY()));
        assertThat(key.getKeyID().length(), is(43)); // RFC 7638 thumbprint, the same on every replica
    }

    @Test
    void severalKeysInOnePemAreAllPublishedAndTheLastSigns(@TempDir Path dir) throws Exception {
        KeyPair older = AuthFixture.key();
        var generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair newer = generator.generateKeyPair();
        Path file = dir.resolve("keys.pem");
        Files.writeString(file, AuthFixture.pem(older) + "\n" + AuthFixture.pem(newer));
        SigningKeys keys = SigningKeys.create(auth(Map.of("signing-key-file", file.toString())));
        assertThat(keys.publicKeys().getKeys().size(), is(2));
        assertThat(keys.signingKey().getX().decodeToBigInteger(), is(((ECPublicKey) newer.getPublic()).getW().getAffineX()));
        assertThat(keys.publicKeys().toString(), not(containsString("\"d\"")));
    }

    @Test
    void generatesAKeyOnFirstStartAndKeepsIt(@TempDir Path dir) {
        SigningKeys first = SigningKeys.create(auth(Map.of("key-directory", dir.toString())));
        SigningKeys again = SigningKeys.create(auth(Map.of("key-directory", dir.toString())));
        assertThat(again.signingKey().getKeyID(), is(first.signingKey().getKeyID()));
    }

    @Test
    void rotationSignsWithTheNewKeyAndOldTokensStillVerify(@TempDir Path dir) {
        SigningKeys keys = SigningKeys.create(auth(Map.of("key-directory", dir.toString(), "key-publish-ahead", "PT0S")));
        TokenVerifier verifier = TokenVerifier.create(keys.source(), "plaza", "plaza");
        AccessTokens tokens = new AccessTokens(keys, "plaza", "plaza", java.time.Duration.ofMinutes(15));
        String before = tokens.issue(USER, "s").token();
        String oldKid = keys.signingKey().getKeyID();
        ECKey rotated = keys.rotate();
        assertThat(rotated.getKeyID(), not(is(oldKid)));
        assertThat(keys.signingKey().getKeyID(), is(rotated.getKeyID()));
        assertThat(keys.publicKeys().getKeys().size(), is(2));
        String after = tokens.issue(USER, "s").token();
        assertThat(verifier.verify(before).id(), is("u-1"));
        assertThat(verifier.verify(after).id(), is("u-1"));
        // A key removed from the directory is no longer trusted.
        try (var files = Files.list(dir)) {
            files.sorted().findFirst().ifPresent(p -> p.toFile().delete());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        SigningKeys reloaded = SigningKeys.create(auth(Map.of("key-directory", dir.toString())));
        TokenVerifier fresh = TokenVerifier.create(reloaded.source(), "plaza", "plaza");
        assertThrows(ProblemException.class, () -> fresh.verify(before));
        assertThat(fresh.verify(after).id(), is("u-1"));
    }

    @Test
    void withoutAnyKeyStartupExplainsWhatToSet() {
        var e = assertThrows(IllegalStateException.class, () -> SigningKeys.create(auth(Map.of())));
        assertThat(e.getMessage(), containsString("AUTH_SIGNING_KEY_FILE"));
        var broken = assertThrows(IllegalStateException.class, () -> SigningKeys.create(auth(Map.of("signing-key", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----"))));
        assertThat(broken.getMessage(), containsString("EC P-256 private key"));
        var rsa = assertThrows(IllegalStateException.class, () -> SigningKeys.create(auth(Map.of("signing-key", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))));
        assertThat(rsa.getMessage(), containsString("pkcs8"));
        assertThrows(IllegalStateException.class, () -> SigningKeys.create(auth(Map.of("signing-key", "garbage"))));
    }

    @Test
    void sec1KeysAsHelmGeneratesThemLoadLikeTheirPkcs8Form() {
        // openssl ecparam -name prime256v1 -genkey -noout (SEC1, like Helm's genPrivateKey "ecdsa"),
        // and the same key through openssl pkcs8 -topk8 -nocrypt.
        String sec1 = "-----BEGIN EC PRIVATE KEY-----\n" + "MHcCAQEEIP1JeMgf8AN3UPxZQM8GNYxhKavWcF8f6GnKBA7a5vzCoAoGCCqGSM49\n" + "AwEHoUQDQgAEa3WQJcjDzbHAzTjyXFVgfTaiNFcDm+ZNMZx1g4nDJRGv9HYdNs4k\n" + "PLVfLuQOWr6MR5nmsa/34a9vW/di6x1a6w==\n" + "-----END EC PRIVATE KEY-----\n";
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n" + "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg/Ul4yB/wA3dQ/FlA\n" + "zwY1jGEpq9ZwXx/oacoEDtrm/MKhRANCAARrdZAlyMPNscDNOPJcVWB9NqI0VwOb\n" + "5k0xnHWDicMlEa/0dh02ziQ8tV8u5A5avoxHmeaxr/fhr29b92LrHVrr\n" + "-----END PRIVATE KEY-----\n";
        ECKey fromSec1 = SigningKeys.parse(sec1, "sec1").getFirst();
        ECKey fromPkcs8 = SigningKeys.parse(pkcs8, "pkcs8").getFirst();
        assertThat(fromSec1.toPublicJWK().toJSONString(), is(fromPkcs8.toPublicJWK().toJSONString()));
        assertThat(fromSec1.isPrivate(), is(true));
    }
}

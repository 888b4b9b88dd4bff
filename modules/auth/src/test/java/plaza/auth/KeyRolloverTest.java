package plaza.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import plaza.auth.accounts.User;
import plaza.auth.tokens.AccessTokens;
import plaza.auth.tokens.SigningKeys;
import plaza.platform.config.PlazaConfig;
import plaza.platform.security.TokenVerifier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * Key rollover as a caching client sees it: a client that fetches the JWKS once every 30 s and never again in
 * between (stricter than jose or Nimbus, which refetch on an unknown kid) must know the kid of every token auth
 * signs, through two rotations, whatever second of its cache period the rotation falls in. Time is a clock the
 * test moves, so nothing waits. Before keys were published ahead, the token right after a rotation carried a kid
 * the client did not have.
 */
class KeyRolloverTest {

    private static final User USER = new User("u-1", "u@example.com", "U", null, true, false, Set.of("user"), null, null, null);

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aClientCachingTheJwksFor30sNeverMeetsAnUnknownKid(@TempDir Path dir) throws Exception {
        for (int offset : new int[] {0, 1, 15, 29}) { // the rotation falls at this second of the client's cache period
            MovableClock clock = new MovableClock();
            Map<String, String> values = new HashMap<>();
            values.put("auth.key-directory", dir.resolve("run-" + offset).toString());
            Config auth = PlazaConfig.override(Config.empty(), values).get("auth");
            SigningKeys keys = SigningKeys.create(auth, clock);
            AccessTokens tokens = new AccessTokens(keys, "http://plaza.test", "plaza", Duration.ofMinutes(15));

            JWKSet cached = keys.publicKeys();
            Instant fetchedAt = clock.instant();
            Set<String> signedWith = new LinkedHashSet<>();
            for (int second = 0; second < 600; second++) {
                if (second == 60 + offset || second == 300 + offset) {
                    keys.rotate();
                }
                if (Duration.between(fetchedAt, clock.instant()).toSeconds() >= 30) {
                    cached = keys.publicKeys();
                    fetchedAt = clock.instant();
                }
                String token = tokens.issue(USER, "s").token();
                String kid = SignedJWT.parse(token).getHeader().getKeyID();
                assertThat("second " + second + ", offset " + offset, cached.getKeys().stream().map(JWK::getKeyID).toList(), hasItem(kid));
                TokenVerifier client = TokenVerifier.create(new ImmutableJWKSet<>(cached), "http://plaza.test", "plaza");
                assertThat(client.verify(token).id(), is("u-1"));
                signedWith.add(kid);
                clock.advance(Duration.ofSeconds(1));
            }
            // Both new keys did take over, and every key stays published (tokens of the old ones are still valid).
            assertThat(signedWith.size(), is(3));
            assertThat(keys.publicKeys().getKeys().size(), is(3));
        }
    }
}

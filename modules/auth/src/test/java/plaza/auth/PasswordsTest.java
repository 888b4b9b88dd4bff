package plaza.auth;

import java.util.Set;

import org.junit.jupiter.api.Test;
import plaza.auth.passwords.PasswordHasher;
import plaza.auth.passwords.PasswordPolicy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Argon2id hashing (PHC strings, rehash detection) and the password policy. */
class PasswordsTest {

    @Test
    void hashesAreArgon2idPhcStringsWithOwaspParameters() {
        PasswordHasher hasher = new PasswordHasher(19_456, 2, 1, 2);
        String hash = hasher.hash("correct horse battery staple");
        assertThat(hash, startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertThat(hasher.verify(hash, "correct horse battery staple"), is(true));
        assertThat(hasher.verify(hash, "correct horse battery stapler"), is(false));
        assertThat(hasher.hash("same"), not(is(hasher.hash("same")))); // salted
        assertThat(hasher.verify("not a hash", "x"), is(false));
        assertThat(hasher.needsRehash(hash), is(false));
    }

    @Test
    void hashesWithOtherParametersNeedARehash() {
        String weak = new PasswordHasher(8_192, 1, 1, 1).hash("pw");
        PasswordHasher current = new PasswordHasher(19_456, 2, 1, 1);
        assertThat(current.verify(weak, "pw"), is(true));
        assertThat(current.needsRehash(weak), is(true));
        assertThat(current.needsRehash("$2a$10$bcrypt-from-elsewhere"), is(true));
    }

    @Test
    void policyChecksLengthCommonPasswordsAndTheEmail() {
        PasswordPolicy policy = PasswordPolicy.create(io.helidon.config.Config.empty());
        assertThat(policy.check("password", "violet-Harbour-42", "a@b.co"), is(empty()));
        assertThat(policy.check("password", "short", null).getFirst().message(), containsString("at least 8"));
        assertThat(policy.check("password", "x".repeat(257), null).getFirst().message(), containsString("at most 256"));
        for (String common : new String[] {"password", "12345678", "Qwertyuiop", "iloveyou", "PASSWORD1"}) {
            assertThat(common, policy.check("password", common, null).getFirst().message(), containsString("commonly used"));
        }
        assertThat(policy.check("password", "Me@Example.com", "me@example.com"), is(not(empty())));
        assertThat(policy.check("password", null, null).getFirst().message(), is("is required"));
        // Length counts characters, not UTF-16 units: 8 emoji are 8 characters.
        assertThat(policy.check("password", "😀😁😂🤣😃😄😅😆", null), is(empty()));
        assertThat(new PasswordPolicy(12, 64, Set.of()).check("p", "abcdefghijk", null), is(not(empty())));
    }
}

package plaza.auth;

import java.util.Map;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Plain env names for dashed keys: AUTH_SIGNING_KEY_FILE → auth.signing-key-file, and they win over config. */
class EnvironmentAliasesTest {

    @Test
    void plainEnvironmentNamesReachDashedKeys() {
        Config base = PlazaConfig.override(Config.empty(), Map.of("auth.public-url", "http://from-yaml", "auth.smtp.host", "mail"));
        Config root = EnvironmentAliases.apply(base, Map.of(
                "AUTH_SIGNING_KEY_FILE", "/secrets/key.pem",
                "AUTH_PUBLIC_URL", "https://plaza.example",
                "AUTH_RATE_LIMIT_FORGOT_PASSWORD_PER_MINUTE", "2",
                "AUTH_KEY_DIRECTORY", " "));
        assertThat(root.get("auth.signing-key-file").asString().get(), is("/secrets/key.pem"));
        assertThat(root.get("auth.public-url").asString().get(), is("https://plaza.example"));
        assertThat(root.get("auth.rate-limit.forgot-password.per-minute").asInt().get(), is(2));
        assertThat(root.get("auth.smtp.host").asString().get(), is("mail"));
        assertThat(root.get("auth.key-directory").exists(), is(false));
        assertThat(EnvironmentAliases.envName("auth.rate-limit.mail-per-account.capacity"), is("AUTH_RATE_LIMIT_MAIL_PER_ACCOUNT_CAPACITY"));
    }
}

package plaza.assistant;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import plaza.platform.config.PlazaConfig;
import plaza.assistant.model.ModelCatalog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The documented environment variables reach the dashed keys (Helidon maps ASSISTANT_PROVIDER_BASE_URL to base.url). */
class AssistantSettingsTest {

    @Test
    void environmentVariablesConfigureTheProviderAndLimits() {
        Config root = PlazaConfig.withSeedVariables(Config.empty(), Map.of(
                "ASSISTANT_PROVIDER_BASE_URL", "http://127.0.0.1:9/v1",
                "ASSISTANT_PROVIDER_API_KEY", "sk-test",
                "ASSISTANT_PROVIDER_MODEL", "llama3.1:8b",
                "ASSISTANT_MODELS_0_NAME", "llama3.1:8b",
                "ASSISTANT_MODELS_0_CONTEXT_TOKENS", "32768",
                "ASSISTANT_MEMORY_RESERVE_TOKENS", "2048",
                "ASSISTANT_MEMORY_CACHE_TOKENS", "1000",
                "ASSISTANT_QUOTA_DAILY_TOKENS", "5000",
                "ASSISTANT_LOCAL_TOKEN_DELAY", "PT0S"));
        Config assistant = root.get("assistant");
        AssistantSettings settings = AssistantSettings.from(assistant);
        assertThat(settings.memory().reserveTokens(), is(2048));
        assertThat(settings.memory().cacheTokens(), is(1000L));
        assertThat(settings.quota().dailyTokens(), is(5000L));
        assertThat(settings.localTokenDelay(), is(Duration.ZERO));
        try (ModelCatalog catalog = AssistantSettings.catalog(assistant, settings.localTokenDelay())) {
            assertThat(catalog.hasProvider(), is(true));
            assertThat(catalog.defaultModel(), is("llama3.1:8b"));
            assertThat(catalog.contextTokens("llama3.1:8b"), is(32768));
            assertThat(catalog.find("plaza-local").isPresent(), is(true));
        }
    }

    @Test
    void withoutABaseUrlPlazaLocalIsTheDefault() {
        Config assistant = Config.just(ConfigSources.create(Map.of("assistant.quota.monthly-tokens", "0"))).get("assistant");
        try (ModelCatalog catalog = AssistantSettings.catalog(assistant, Duration.ZERO)) {
            assertThat(catalog.hasProvider(), is(false));
            assertThat(catalog.defaultModel(), is("plaza-local"));
            assertThat(catalog.contextTokens("plaza-local"), is(4096));
        }
        assertThat(AssistantSettings.from(assistant).quota().monthlyTokens(), is(0L));
        assertThat(AssistantSettings.from(assistant).memory().cacheTokens(), is(4_000_000L));
    }
}

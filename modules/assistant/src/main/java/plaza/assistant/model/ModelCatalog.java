package plaza.assistant.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models conversations may use and who answers them: {@code plaza-local} always, and, when a
 * provider is configured, the provider's model (the default then) plus any listed in
 * {@code assistant.models}. Each has a context budget in tokens.
 */
public final class ModelCatalog implements AutoCloseable {

    /** A model a conversation may name. */
    public record ModelInfo(String name, String provider, int contextTokens, boolean isDefault) {
    }

    private final Map<String, ModelInfo> models;
    private final String defaultModel;
    private final LocalModel local;
    private final OpenAiCompatibleModel remote;

    public ModelCatalog(String defaultModel, Map<String, ModelInfo> models, LocalModel local, OpenAiCompatibleModel remote) {
        this.defaultModel = defaultModel;
        this.models = new LinkedHashMap<>(models);
        this.local = local;
        this.remote = remote;
    }

    public String defaultModel() {
        return defaultModel;
    }

    public Optional<ModelInfo> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public List<ModelInfo> all() {
        return List.copyOf(models.values());
    }

    /** Context budget of {@code model}; a model that was removed from config since keeps the default's. */
    public int contextTokens(String model) {
        ModelInfo info = models.get(model);
        return info != null ? info.contextTokens() : models.get(defaultModel).contextTokens();
    }

    /** Who answers {@code model}: plaza-local for itself, the provider for everything else (if configured). */
    public ChatModel forModel(String model) {
        if (LocalModel.NAME.equals(model) || remote == null) {
            return local;
        }
        return remote;
    }

    public boolean hasProvider() {
        return remote != null;
    }

    @Override
    public void close() {
        if (remote != null) {
            remote.close();
        }
    }
}

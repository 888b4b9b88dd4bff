package plaza.assistant.prompts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A prompt template: a user's own ({@code shared} false) or one every user sees (managed by admins). */
public record Prompt(UUID id, @JsonIgnore String ownerId, String name, String description, String template,
                     List<String> variables, boolean shared, Instant createdAt, Instant updatedAt) {
}

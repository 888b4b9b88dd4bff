package plaza.assistant.prompts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import plaza.platform.http.Problem;
import plaza.platform.http.ProblemException;

/**
 * A prompt text with {@code {{variables}}} (letters, digits and underscores, starting with a letter
 * or underscore; spaces inside the braces allowed). Rendering replaces each with its value;
 * values are inserted as they are, never re-scanned for placeholders.
 */
public final class PromptTemplate {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]{0,63})\\s*}}");
    private final String text;

    public PromptTemplate(String text) {
        this.text = text;
    }

    /** Variable names in order of first appearance. */
    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Renders with {@code values}; 400 listing every variable without a value. */
    public String render(Map<String, String> values, String field) {
        List<Problem.FieldError> missing = new ArrayList<>();
        for (String name : variables()) {
            if (values.get(name) == null) {
                missing.add(new Problem.FieldError(field + "." + name, "is required by the prompt"));
            }
        }
        if (!missing.isEmpty()) {
            throw ProblemException.validation(missing);
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}

package plaza.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Bodies every JSON route must refuse with a clean 400 (platform's Json policy), and the check that a
 * refusal leaks nothing: no Java package or class name, no Jackson token or feature, no parser source.
 */
public final class HostileInput {

    /** What a 400 must never show. */
    public static final Pattern LEAK = Pattern.compile(
            "[a-z]+\\.[a-z]+\\.[A-Za-z]|\\$[A-Z]|JsonToken|START_(ARRAY|OBJECT)|END_(ARRAY|OBJECT)|VALUE_[A-Z]|FIELD_NAME"
            + "|Exception|Source:|`|\\(was ");

    /** Bodies of the wrong shape or syntax: whatever the route reads, each is a 400. */
    public static final List<String> WRONG_SHAPES = List.of(
            "[1,2]", "[]", "\"text\"", "42", "null", "true", "{", "{\"a\":", "{\"a\":1}}", "{\"a\":1} {\"b\":2}",
            "{'a':1}", "{\"a\":NaN}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "[" .repeat(200) + "]".repeat(200));

    private HostileInput() {
    }

    /** Asserts a 400 problem whose body leaks nothing; returns its detail. */
    public static String assertCleanRefusal(String what, JsonApi.Response r) {
        assertThat(what + " -> " + r.text(), r.status(), is(400));
        assertThat(what + " -> " + r.text(), r.contentType(), startsWith("application/problem+json"));
        assertThat(what + " leaks: " + r.text(), LEAK.matcher(r.text()).find(), is(false));
        return r.body().get("detail").asText();
    }

    /** The parts in order: a String as its UTF-8, an Integer as one raw byte. */
    public static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    /** A JSON body whose string {@code field} holds a CESU-8 surrogate, an overlong '/', or a truncated sequence. */
    public static List<byte[]> invalidUtf8(String prefix, String suffix) {
        return List.of(bytes(prefix, 0xED, 0xA0, 0x80, suffix),
                       bytes(prefix, 0xC0, 0xAF, suffix),
                       bytes(prefix, 0xE2, 0x82, suffix));
    }
}

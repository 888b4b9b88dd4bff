package plaza.platform.db;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Search keys for substring search in SQL ({@code LIKE '%…%'} on a binary-collated column), made the
 * same way for stored text and for what users type: Unicode NFKC (full-width letters and digits
 * become ASCII, Hangul is composed), lower case, and no whitespace at all — so {@code 포기 김치} and
 * {@code 포기김치} find the same rows. Fields of one record are joined with {@link #SEPARATOR}, which
 * user input can never contain, so a term never matches across two fields.
 */
public final class SearchKeys {

    /** Separates the fields of a stored search key. */
    public static final String SEPARATOR = "|";

    private SearchKeys() {
    }

    /** The key of one piece of text: NFKC, lower case, whitespace and separators removed. */
    public static String key(String text) {
        if (text == null) {
            return "";
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(normalized.length());
        normalized.codePoints()
                .filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp) && cp != '|')
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    /** The stored key of a record: each field's key, joined by the separator. */
    public static String record(List<String> fields) {
        List<String> keys = new ArrayList<>();
        for (String field : fields) {
            String k = key(field);
            if (!k.isEmpty()) {
                keys.add(k);
            }
        }
        return SEPARATOR + String.join(SEPARATOR, keys) + SEPARATOR;
    }

    private static final Pattern TERM_SEPARATORS = Pattern.compile("[\\s,]+");

    /**
     * The terms of a query: split on whitespace and commas, each made a key, duplicates and terms
     * contained in another term dropped (they would match anyway), at most {@code max}.
     */
    public static List<String> terms(String query, int max) {
        Set<String> terms = new LinkedHashSet<>();
        if (query != null) {
            for (String part : TERM_SEPARATORS.split(Normalizer.normalize(query, Normalizer.Form.NFKC))) {
                String k = key(part);
                if (!k.isEmpty()) {
                    terms.add(k);
                }
            }
        }
        List<String> kept = new ArrayList<>();
        for (String t : terms) {
            boolean inOther = terms.stream().anyMatch(o -> !o.equals(t) && o.contains(t));
            if (!inOther) {
                kept.add(t);
            }
        }
        return kept.size() > max ? kept.subList(0, max) : kept;
    }

    /** A LIKE pattern matching {@code term} anywhere. */
    public static String contains(String term) {
        return "%" + escapeLike(term) + "%";
    }

    /** A LIKE pattern matching values starting with {@code term}. */
    public static String prefix(String term) {
        return escapeLike(term) + "%";
    }

    /** Escapes LIKE's wildcards and its escape character (backslash, MariaDB's and PostgreSQL's default). */
    public static String escapeLike(String s) {
        StringBuilder out = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}

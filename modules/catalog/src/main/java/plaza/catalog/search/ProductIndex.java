package plaza.catalog.search;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

import plaza.catalog.products.Product;
import plaza.catalog.products.ProductQuery;
import plaza.catalog.products.ProductRepository;
import plaza.platform.db.SearchKeys;
import plaza.platform.http.Json;

/**
 * An immutable in-memory snapshot of every product's list item, searchable without the database and
 * with exactly the results of {@link ProductRepository#searchSql} ({@code search_key LIKE '%term%'}):
 * the same matches, the same relevance score, the same orders and tie-breaks, the same totals.
 *
 * <p>How: each product's {@code search_key} is cut into bigrams (pairs of UTF-16 chars; unigrams too,
 * for 1-char terms), each gram has a sorted posting list of product ordinals. A term's candidates are
 * the shortest posting list among its grams (every product containing the term contains all its grams),
 * and each candidate is verified with a real substring test (unless the list is exact: terms of 1–2
 * chars), so postings only narrow, never decide. Filter-only searches walk a presorted order of all
 * products; other pages are read off bitmaps over precomputed orders (per relevance score level for
 * relevance), so no search sorts its matches. Relevance uses name-only grams and an exact field map the
 * same way, so few matches need a string comparison (see {@link Relevance}).
 *
 * <p>Searching is read-only on final arrays: any number of threads, no locks, no database.
 */
public final class ProductIndex {

    private static final int[] NONE = new int[0];
    /** Highest relevance score (100 + 60 + 50 + 30 + 10 per term); scores are sorted as {@code MAX_SCORE - score}. */
    private static final int MAX_SCORE = 1000;
    private static final char SEPARATOR = SearchKeys.SEPARATOR.charAt(0);
    /** Orders with a precomputed rank: every sort but relevance, plus relevance's tie-break. */
    private static final int POPULAR = 0, PRICE_ASC = 1, PRICE_DESC = 2, DISCOUNT = 3, NEWEST = 4, BY_REVIEWS = 5, ORDERS = 6;

    private final long revision;
    private final Product[] products;
    /** Each product's list-item JSON, made on first use (what Jackson writes for it inside a result). */
    private final AtomicReferenceArray<byte[]> json;
    private final String[] nameKeys;
    private final String[] searchKeys;
    private final int[] salePrice;
    private final boolean[] inStock;
    private final int[] categoryOf;
    /** Category id sets by {@link #categoryKey} of a category (what {@code category = ?} under utf8mb4_unicode_ci equates). */
    private final Map<String, int[]> categoriesByKey;
    private final Map<String, int[]> categoriesByName;
    private final int categoryCount;
    private final int[] categorySizes;
    /** orders[o] = ordinals in that order; ranks[o][ordinal] = position in it. */
    private final int[][] orders;
    private final int[][] ranks;
    /** Grams of the search keys (every field). */
    private final Grams keyGrams;
    /** Grams of the name keys only (relevance: "the name contains it"). */
    private final Grams nameGrams;
    /** Products by each whole field of their search key (relevance: "a field equals the phrase"). */
    private final Map<String, int[]> fields;

    private ProductIndex(long revision, List<ProductRepository.SearchRow> rows) {
        this.revision = revision;
        int n = rows.size();
        products = new Product[n];
        json = new AtomicReferenceArray<>(n);
        nameKeys = new String[n];
        searchKeys = new String[n];
        salePrice = new int[n];
        inStock = new boolean[n];
        categoryOf = new int[n];
        Map<String, Integer> categoryIds = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            ProductRepository.SearchRow row = rows.get(i);
            Product p = row.summary();
            products[i] = p;
            nameKeys[i] = row.nameKey();
            searchKeys[i] = row.searchKey();
            salePrice[i] = p.salePrice();
            inStock[i] = p.stock() > 0;
            categoryOf[i] = categoryIds.computeIfAbsent(p.category(), c -> categoryIds.size());
        }
        categoryCount = categoryIds.size();
        categorySizes = new int[categoryCount];
        for (int c : categoryOf) {
            categorySizes[c]++;
        }
        Map<String, List<Integer>> byKey = new HashMap<>();
        categoryIds.forEach((name, id) -> byKey.computeIfAbsent(categoryKey(name), k -> new ArrayList<>()).add(id));
        categoriesByKey = new HashMap<>();
        byKey.forEach((k, ids) -> categoriesByKey.put(k, ids.stream().mapToInt(Integer::intValue).toArray()));
        categoriesByName = new HashMap<>();
        categoryIds.keySet().forEach(name -> categoriesByName.put(name, categoriesByKey.get(categoryKey(name))));

        orders = new int[ORDERS][];
        ranks = new int[ORDERS][];
        Comparator<Product> byId = Comparator.comparingLong(Product::id);
        order(POPULAR, Comparator.comparingInt((Product p) -> -p.reviewCount())
                .thenComparing(Product::rating, Comparator.reverseOrder()).thenComparing(byId));
        order(PRICE_ASC, Comparator.comparingInt(Product::salePrice).thenComparing(byId));
        order(PRICE_DESC, Comparator.comparingInt((Product p) -> -p.salePrice()).thenComparing(byId));
        order(DISCOUNT, Comparator.comparingInt((Product p) -> -p.discountRate())
                .thenComparingInt(p -> -p.reviewCount()).thenComparing(byId));
        order(NEWEST, Comparator.comparing(Product::createdAt).thenComparing(byId).reversed());
        order(BY_REVIEWS, Comparator.comparingInt((Product p) -> -p.reviewCount()).thenComparing(byId));

        keyGrams = new Grams(searchKeys);
        nameGrams = new Grams(nameKeys);
        Map<String, Postings> byField = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String key = searchKeys[i];
            int start = key.indexOf(SEPARATOR) + 1;
            for (int end = key.indexOf(SEPARATOR, start); end > start; start = end + 1, end = key.indexOf(SEPARATOR, start)) {
                String field = key.substring(start, end);
                byField.computeIfAbsent(field.equals(nameKeys[i]) ? nameKeys[i] : field, x -> new Postings()).add(i);
            }
        }
        fields = new HashMap<>(byField.size() * 4 / 3 + 1);
        byField.forEach((f, p) -> fields.put(f, p.toArray()));
    }

    /** A snapshot of {@code rows}, the products at {@code revision}. */
    public static ProductIndex of(long revision, List<ProductRepository.SearchRow> rows) {
        return new ProductIndex(revision, rows);
    }

    /** Loads every product through {@link ProductRepository#scanForIndex} and indexes it. */
    public static ProductIndex load(ProductRepository repository) {
        List<ProductRepository.SearchRow> rows = new ArrayList<>();
        long revision = repository.scanForIndex(rows::add);
        return new ProductIndex(revision, rows);
    }

    /** The {@code product_revision} this snapshot reflects. */
    public long revision() {
        return revision;
    }

    /** Products in the snapshot. */
    public int size() {
        return products.length;
    }

    /** One page of {@code query} and its total, as {@link ProductRepository#search} would answer. */
    public ProductRepository.Page search(ProductQuery query) {
        Hits hits = hits(query);
        return new ProductRepository.Page(hits.items(), hits.total());
    }

    /** One page of {@code query} as positions in this snapshot, with its total. */
    public Hits hits(ProductQuery query) {
        boolean[] categories = categoryMask(query.category());
        if (categories != null && categories.length == 0) {
            return new Hits(NONE, 0);
        }
        int min = query.minPrice() == null ? Integer.MIN_VALUE : query.minPrice();
        int max = query.maxPrice() == null ? Integer.MAX_VALUE : query.maxPrice();
        long from = (long) (query.page() - 1) * query.size();
        int size = query.size();
        List<String> terms = query.terms();

        if (terms.isEmpty() && query.sort() != ProductQuery.Sort.RELEVANCE) {
            // Browsing: walk the presorted order once, counting every match and keeping the page.
            // Without a price filter the total is known up front and the walk stops at the page's end.
            int[] order = orders[rankOf(query.sort())];
            int[] page = new int[size];
            boolean priced = query.minPrice() != null || query.maxPrice() != null;
            long known = priced ? -1 : categoryTotal(categories);
            int kept = 0;
            long total = 0;
            for (int o : order) {
                if (accepts(o, categories, min, max)) {
                    if (total >= from && kept < size) {
                        page[kept++] = o;
                    }
                    total++;
                    if (known >= 0 && (kept == size || total >= known)) {
                        break;
                    }
                }
            }
            return new Hits(Arrays.copyOf(page, kept), known >= 0 ? known : total);
        }

        int[] matches = matching(terms, categories, min, max);
        int total = matches.length;
        if (from >= total) {
            return new Hits(NONE, total);
        }
        int to = (int) Math.min(total, from + size);
        int[] page = new int[to - (int) from];
        if (query.sort() == ProductQuery.Sort.RELEVANCE) {
            relevancePage(new Relevance(query.phrase(), terms), matches, (int) from, page);
        } else {
            // Mark each match's position in the presorted order, then read the page off the marks: no sort.
            int r = rankOf(query.sort());
            int[] rank = ranks[r];
            int[] order = orders[r];
            long[] marks = new long[(products.length + 63) >>> 6];
            for (int o : matches) {
                int pos = rank[o];
                marks[pos >>> 6] |= 1L << pos;
            }
            readMarks(marks, order, from, page, 0);
        }
        return new Hits(page, total);
    }

    /**
     * Fills {@code page} with matches {@code from, from + page.length} in relevance order (score, then review count,
     * then id). Scores take few distinct values, so each score level marks its matches in the review-count order
     * and the page is read off the marks, best level first: no sort of all matches.
     */
    private void relevancePage(Relevance relevance, int[] matches, int from, int[] page) {
        int[] byReviewsRank = ranks[BY_REVIEWS];
        int[] byReviews = orders[BY_REVIEWS];
        int[] scores = relevance.scores(matches);
        if (matches.length <= 64) {
            long[] keys = new long[matches.length];
            for (int i = 0; i < matches.length; i++) {
                keys[i] = ((long) (MAX_SCORE - scores[i]) << 32) | byReviewsRank[matches[i]];
            }
            Arrays.sort(keys);
            for (int i = 0; i < page.length; i++) {
                page[i] = byReviews[(int) keys[from + i]];
            }
            return;
        }
        int words = (products.length + 63) >>> 6;
        int[] levels = new int[8];
        int[] counts = new int[8];
        long[][] marks = new long[8][];
        int distinct = 0;
        for (int i = 0; i < matches.length; i++) {
            int o = matches[i];
            int score = scores[i];
            int level = 0;
            while (level < distinct && levels[level] != score) {
                level++;
            }
            if (level == distinct) {
                if (distinct == levels.length) {
                    levels = Arrays.copyOf(levels, distinct * 2);
                    counts = Arrays.copyOf(counts, distinct * 2);
                    marks = Arrays.copyOf(marks, distinct * 2);
                }
                levels[distinct] = score;
                marks[distinct] = new long[words];
                distinct++;
            }
            int pos = byReviewsRank[o];
            marks[level][pos >>> 6] |= 1L << pos;
            counts[level]++;
        }
        Integer[] best = new Integer[distinct];
        for (int i = 0; i < distinct; i++) {
            best[i] = i;
        }
        int[] levelScores = levels;
        Arrays.sort(best, (a, b) -> Integer.compare(levelScores[b], levelScores[a]));
        long skip = from;
        int kept = 0;
        for (int l : best) {
            if (kept == page.length) {
                break;
            }
            if (skip >= counts[l]) {
                skip -= counts[l];
                continue;
            }
            kept = readMarks(marks[l], byReviews, skip, page, kept);
            skip = 0;
        }
    }

    /** Appends to {@code page} (from {@code kept}) the marked positions of {@code order}, after skipping {@code skip}. */
    private static int readMarks(long[] marks, int[] order, long skip, int[] page, int kept) {
        for (int w = 0; w < marks.length && kept < page.length; w++) {
            long word = marks[w];
            int bits = Long.bitCount(word);
            if (skip >= bits) {
                skip -= bits;
                continue;
            }
            while (word != 0 && kept < page.length) {
                int bit = Long.numberOfTrailingZeros(word);
                word &= word - 1;
                if (skip > 0) {
                    skip--;
                } else {
                    page[kept++] = order[(w << 6) + bit];
                }
            }
        }
        return kept;
    }

    /** A page of results: positions in this snapshot and the number of matches in all pages. */
    public final class Hits {
        private final int[] ordinals;
        private final long total;

        private Hits(int[] ordinals, long total) {
            this.ordinals = ordinals;
            this.total = total;
        }

        public long total() {
            return total;
        }

        public List<Product> items() {
            List<Product> items = new ArrayList<>(ordinals.length);
            for (int o : ordinals) {
                items.add(products[o]);
            }
            return items;
        }

        /**
         * The items as a JSON array between {@code prefix} and {@code suffix}, in one exactly sized array: byte for
         * byte what {@link Json#MAPPER} writes for {@link #items()} (each product's JSON is made once per snapshot).
         */
        public byte[] itemsJson(byte[] prefix, byte[] suffix) {
            byte[][] items = new byte[ordinals.length][];
            int length = prefix.length + 2 + Math.max(0, ordinals.length - 1) + suffix.length;
            for (int i = 0; i < ordinals.length; i++) {
                items[i] = json(ordinals[i]);
                length += items[i].length;
            }
            byte[] out = new byte[length];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            int at = prefix.length;
            out[at++] = '[';
            for (int i = 0; i < items.length; i++) {
                if (i > 0) {
                    out[at++] = ',';
                }
                System.arraycopy(items[i], 0, out, at, items[i].length);
                at += items[i].length;
            }
            out[at++] = ']';
            System.arraycopy(suffix, 0, out, at, suffix.length);
            return out;
        }
    }

    private byte[] json(int o) {
        byte[] bytes = json.get(o);
        if (bytes == null) {
            bytes = Json.write(products[o]).getBytes(StandardCharsets.UTF_8);
            json.set(o, bytes);
        }
        return bytes;
    }

    /**
     * Up to {@code limit} products per keyword, in stock first, then most relevant, then most reviewed —
     * {@link ProductRepository#byKeywords}, including its fallback to the last word ("다진 마늘" → "마늘").
     */
    public Map<String, List<Product>> byKeywords(List<String> keywords, int limit) {
        Map<String, List<Product>> result = new LinkedHashMap<>();
        for (String keyword : keywords) {
            List<String> terms = SearchKeys.terms(keyword, 4);
            List<Product> found = terms.isEmpty() ? List.of() : top(SearchKeys.key(keyword), terms, limit);
            if (found.isEmpty() && terms.size() > 1) {
                String head = terms.getLast();
                found = top(head, List.of(head), limit);
            }
            result.put(keyword, found);
        }
        return result;
    }

    private List<Product> top(String phrase, List<String> terms, int limit) {
        int[] matches = matching(terms, null, Integer.MIN_VALUE, Integer.MAX_VALUE);
        int[] scores = new Relevance(phrase, terms).scores(matches);
        long[] keys = new long[matches.length];
        for (int i = 0; i < matches.length; i++) {
            int o = matches[i];
            keys[i] = ((inStock[o] ? 0L : 1L) << 48) | ((long) (MAX_SCORE - scores[i]) << 32) | ranks[BY_REVIEWS][o];
        }
        Arrays.sort(keys);
        List<Product> out = new ArrayList<>(Math.min(limit, keys.length));
        for (int i = 0; i < keys.length && i < limit; i++) {
            out.add(products[orders[BY_REVIEWS][(int) (keys[i] & 0xFFFF_FFFFL)]]);
        }
        return out;
    }

    /** Ordinals (ascending) of products containing every term and passing the filters. */
    private int[] matching(List<String> terms, boolean[] categories, int min, int max) {
        int[] candidates = null;
        String source = null;
        for (String term : terms) {
            int[] p = postings(term);
            if (candidates == null || p.length < candidates.length) {
                candidates = p;
                source = term;
            }
        }
        if (candidates == null) {
            candidates = new int[products.length];
            Arrays.setAll(candidates, i -> i);
        }
        // A posting list of a 1- or 2-char term is exactly the products containing it: no need to check that term.
        List<String> check = new ArrayList<>(terms.size());
        for (String term : terms) {
            if (term != source || term.length() > 2) {
                check.add(term);
            }
        }
        String[] toCheck = check.toArray(String[]::new);
        int[] out = new int[candidates.length];
        int n = 0;
        outer:
        for (int o : candidates) {
            if (!accepts(o, categories, min, max)) {
                continue;
            }
            String key = searchKeys[o];
            for (String term : toCheck) {
                if (!key.contains(term)) {
                    continue outer;
                }
            }
            out[n++] = o;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private int[] postings(String term) {
        return keyGrams.postings(term);
    }

    private boolean accepts(int o, boolean[] categories, int min, int max) {
        return (categories == null || categories[categoryOf[o]]) && salePrice[o] >= min && salePrice[o] <= max;
    }

    /** Products in the categories of {@code mask} (all when null). */
    private long categoryTotal(boolean[] mask) {
        if (mask == null) {
            return products.length;
        }
        long total = 0;
        for (int id = 0; id < categoryCount; id++) {
            if (mask[id]) {
                total += categorySizes[id];
            }
        }
        return total;
    }

    /** null: no category filter; empty: no category matches; else a mask over category ids. */
    private boolean[] categoryMask(String category) {
        if (category == null) {
            return null;
        }
        int[] ids = categoriesByName.get(category);
        if (ids == null) {
            ids = categoriesByKey.get(categoryKey(category));
        }
        if (ids == null) {
            return new boolean[0];
        }
        boolean[] mask = new boolean[Math.max(1, categoryCount)];
        for (int id : ids) {
            mask[id] = true;
        }
        return mask;
    }

    /**
     * What {@code category = ?} compares under the column's {@code utf8mb4_unicode_ci} collation, for the text
     * categories are made of: case-, accent- and width-insensitive (NFKD, combining marks, control and format
     * characters dropped, case folded), trailing spaces ignored (PAD SPACE).
     */
    static String categoryKey(String category) {
        String d = Normalizer.normalize(category, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(d.length());
        d.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type != Character.NON_SPACING_MARK && type != Character.ENCLOSING_MARK && type != Character.CONTROL
                && type != Character.FORMAT) {
                out.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp)));
            }
        });
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        return out.toString();
    }

    private static int rankOf(ProductQuery.Sort sort) {
        return switch (sort) {
            case POPULAR -> POPULAR;
            case PRICE_ASC -> PRICE_ASC;
            case PRICE_DESC -> PRICE_DESC;
            case DISCOUNT -> DISCOUNT;
            case NEWEST -> NEWEST;
            case RELEVANCE -> BY_REVIEWS;
        };
    }

    private void order(int slot, Comparator<Product> comparator) {
        Integer[] boxed = new Integer[products.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> comparator.compare(products[a], products[b]));
        int[] order = new int[boxed.length];
        int[] rank = new int[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            order[i] = boxed[i];
            rank[boxed[i]] = i;
        }
        orders[slot] = order;
        ranks[slot] = rank;
    }

    private static int gram(char a, char b) {
        return (a << 16) | b;
    }

    /**
     * {@link ProductRepository}'s relevance score: name equals the phrase (100), a whole field equals it (60),
     * name starts with it (50), name contains it (30), plus 10 per term in the name. Computed for a whole
     * ascending list of matches at once: "the name contains t" walks t's name postings alongside the matches
     * (exact for 1–2 chars, else only the postings' members are checked); "a field equals the phrase"
     * ({@code search_key LIKE '%|phrase|%'}) walks the phrase's entry in the exact field map.
     */
    private final class Relevance {
        private final String phrase;
        private final List<String> terms;

        Relevance(String phrase, List<String> terms) {
            this.phrase = phrase;
            this.terms = terms;
        }

        /** Scores of {@code matches} (ascending ordinals), in the same order. */
        int[] scores(int[] matches) {
            int[] scores = new int[matches.length];
            boolean[] inName = nameContains(matches, phrase);
            for (int i = 0; i < matches.length; i++) {
                if (inName[i]) { // equal to it and starting with it both imply containing it
                    String name = nameKeys[matches[i]];
                    scores[i] = 30;
                    if (name.startsWith(phrase)) {
                        scores[i] += name.length() == phrase.length() ? 150 : 50;
                    }
                }
            }
            walk(matches, fields.getOrDefault(phrase, NONE), (i, o) -> scores[i] += 60);
            for (String t : terms) {
                boolean[] hit = t.equals(phrase) ? inName : nameContains(matches, t);
                for (int i = 0; i < matches.length; i++) {
                    if (hit[i]) {
                        scores[i] += 10;
                    }
                }
            }
            return scores;
        }

        private boolean[] nameContains(int[] matches, String t) {
            boolean[] out = new boolean[matches.length];
            boolean exact = t.length() <= 2;
            walk(matches, nameGrams.postings(t), (i, o) -> out[i] = exact || nameKeys[o].contains(t));
            return out;
        }
    }

    @FunctionalInterface
    private interface Member {
        void at(int index, int ordinal);
    }

    /**
     * Calls {@code member} for each of {@code matches} (ascending) that is also in {@code postings} (ascending),
     * galloping through {@code postings}: O(m log(p/m)), whichever list is longer.
     */
    private static void walk(int[] matches, int[] postings, Member member) {
        int j = 0;
        int p = postings.length;
        for (int i = 0; i < matches.length && j < p; i++) {
            int o = matches[i];
            if (postings[j] < o) {
                // gallop: find a bound past o, then binary search inside it
                int step = 1;
                int lo = j;
                while (j + step < p && postings[j + step] < o) {
                    lo = j + step;
                    step <<= 1;
                }
                int hi = Math.min(j + step, p - 1);
                // postings[lo] < o; answer in (lo, hi]
                while (lo + 1 < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (postings[mid] < o) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                j = postings[hi] < o ? p : hi;
                if (j == p) {
                    return;
                }
            }
            if (postings[j] == o) {
                member.at(i, o);
            }
        }
    }

    /**
     * Posting lists of the grams of some keys: a product once per gram, ordinals ascending. Bigrams are pairs of
     * UTF-16 chars; unigrams serve 1-char terms. Grams with the field separator are left out: no term holds it.
     */
    private static final class Grams {
        private final Map<Integer, int[]> bigrams;
        private final Map<Character, int[]> unigrams;

        Grams(String[] keys) {
            Map<Integer, Postings> bi = new HashMap<>();
            Map<Character, Postings> uni = new HashMap<>();
            for (int i = 0; i < keys.length; i++) {
                String key = keys[i];
                for (int j = 0; j < key.length(); j++) {
                    char c = key.charAt(j);
                    if (c == SEPARATOR) {
                        continue;
                    }
                    uni.computeIfAbsent(c, x -> new Postings()).add(i);
                    if (j + 1 < key.length() && key.charAt(j + 1) != SEPARATOR) {
                        bi.computeIfAbsent(gram(c, key.charAt(j + 1)), x -> new Postings()).add(i);
                    }
                }
            }
            bigrams = new HashMap<>(bi.size() * 4 / 3 + 1);
            bi.forEach((g, p) -> bigrams.put(g, p.toArray()));
            unigrams = new HashMap<>(uni.size() * 4 / 3 + 1);
            uni.forEach((c, p) -> unigrams.put(c, p.toArray()));
        }

        /** The shortest posting list among a term's grams: exactly the keys containing it for 1–2 chars, a superset beyond. */
        int[] postings(String term) {
            if (term.length() == 1) {
                return unigrams.getOrDefault(term.charAt(0), NONE);
            }
            int[] best = null;
            for (int j = 0; j + 1 < term.length(); j++) {
                int[] p = bigrams.get(gram(term.charAt(j), term.charAt(j + 1)));
                if (p == null) {
                    return NONE;
                }
                if (best == null || p.length < best.length) {
                    best = p;
                }
            }
            return best;
        }
    }

    /** A growing posting list; ordinals arrive in ascending order, a product once per gram. */
    private static final class Postings {
        private int[] ids = new int[4];
        private int size;

        void add(int id) {
            if (size > 0 && ids[size - 1] == id) {
                return;
            }
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        int[] toArray() {
            return Arrays.copyOf(ids, size);
        }
    }
}

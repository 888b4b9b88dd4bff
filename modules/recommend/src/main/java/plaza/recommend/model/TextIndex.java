package plaza.recommend.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TF-IDF over Nori words, cosine between items, by exact scan through an inverted index (only items sharing a
 * word are scored): the content half of the recommender, and what places a recipe near the products it uses.
 */
public final class TextIndex {

    private final List<String> items = new ArrayList<>();
    private final List<Map<String, Double>> vectors = new ArrayList<>();
    private final Map<String, List<int[]>> postings = new HashMap<>(); // word → (item index) — weights looked up in vectors

    /** Builds the index from item key → its text. */
    public static TextIndex build(KoreanText korean, Map<String, String> texts) {
        TextIndex index = new TextIndex();
        List<Map<String, Integer>> counts = new ArrayList<>();
        Map<String, Integer> documentFrequency = new HashMap<>();
        texts.forEach((item, text) -> {
            Map<String, Integer> tf = new HashMap<>();
            for (String word : korean.words(text)) {
                tf.merge(word, 1, Integer::sum);
            }
            tf.keySet().forEach(w -> documentFrequency.merge(w, 1, Integer::sum));
            index.items.add(item);
            counts.add(tf);
        });
        int n = index.items.size();
        for (int i = 0; i < n; i++) {
            Map<String, Double> vector = new HashMap<>();
            double norm = 0;
            for (Map.Entry<String, Integer> e : counts.get(i).entrySet()) {
                double idf = Math.log(1 + (double) n / documentFrequency.get(e.getKey()));
                double w = (1 + Math.log(e.getValue())) * idf;
                vector.put(e.getKey(), w);
                norm += w * w;
            }
            double length = Math.sqrt(norm);
            vector.replaceAll((w, v) -> v / length);
            index.vectors.add(vector);
            final int item = i;
            vector.keySet().forEach(w -> index.postings.computeIfAbsent(w, k -> new ArrayList<>()).add(new int[]{item}));
        }
        return index;
    }

    /** The {@code k} items nearest {@code item} by cosine, best first (never the item itself). */
    public List<Scored> neighbours(int item, int k) {
        return scoreAgainst(vectors.get(item), item, k);
    }

    /** The {@code k} items nearest a text (a search, an ingredient name), best first. */
    public List<Scored> search(KoreanText korean, String text, int k) {
        Map<String, Double> query = new HashMap<>();
        for (String word : korean.words(text)) {
            query.merge(word, 1d, Double::sum);
        }
        return scoreAgainst(query, -1, k);
    }

    private List<Scored> scoreAgainst(Map<String, Double> query, int self, int k) {
        Map<Integer, Double> scores = new HashMap<>();
        // Very common words (in more than a third of the items) add little but cost a full scan: skipped.
        int common = Math.max(50, items.size() / 3);
        query.forEach((word, weight) -> {
            List<int[]> list = postings.get(word);
            if (list == null || list.size() > common) {
                return;
            }
            for (int[] p : list) {
                if (p[0] != self) {
                    scores.merge(p[0], weight * vectors.get(p[0]).get(word), Double::sum);
                }
            }
        });
        return Scored.top(scores.entrySet().stream().map(e -> new Scored(items.get(e.getKey()), e.getValue())).toList(), k);
    }

    public List<String> items() {
        return items;
    }
}

package plaza.recommend.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Unit vectors and the exact nearest-neighbour scan over them. Exact, not an ANN index: at Plaza's sizes
 * (≤ 10⁴–10⁵ items, 32 dimensions) a scan of every vector is a few milliseconds and is done at rebuild time
 * for every item (bench/recommend/README.md has the figures), so no approximate index is worth its recall loss.
 */
public final class Vectors {

    private Vectors() {
    }

    static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            return v;
        }
        float inverse = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inverse;
        }
        return v;
    }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The {@code k} keys whose vectors are nearest {@code query} by cosine, leaving out {@code self}. */
    public static List<Scored> nearest(float[] query, String self, List<String> keys, float[][] vectors, int k) {
        // A bounded heap: the worst of the best k on top, so a scan keeps O(n log k).
        java.util.PriorityQueue<Scored> best = new java.util.PriorityQueue<>(k + 1, Scored.BEST_FIRST.reversed());
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).equals(self)) {
                best.add(new Scored(keys.get(i), dot(query, vectors[i])));
                if (best.size() > k) {
                    best.poll();
                }
            }
        }
        return Scored.top(new ArrayList<>(best), k);
    }

    /** Every item's {@code k} nearest, by exact scan. */
    public static Map<String, List<Scored>> allNearest(Map<String, float[]> vectors, int k) {
        List<String> keys = vectors.keySet().stream().sorted().toList();
        float[][] matrix = keys.stream().map(vectors::get).toArray(float[][]::new);
        // Items are independent: scanned in parallel (the same answer as a sequential run).
        Map<String, List<Scored>> result = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.stream.IntStream.range(0, keys.size()).parallel()
                .forEach(i -> result.put(keys.get(i), nearest(matrix[i], keys.get(i), keys, matrix, k)));
        return new java.util.HashMap<>(result);
    }
}

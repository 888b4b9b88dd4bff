package plaza.recommend.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * item2vec: word2vec's skip-gram with negative sampling (Mikolov et al. 2013; Barkan and Koenigstein 2016) over
 * shoppers' sessions, each session a sentence of item keys. Single-threaded with a fixed seed, so the same
 * sessions always give the same vectors (replicas and reruns agree). Vectors are L2-normalised for cosine.
 */
public final class Item2Vec {

    private final int dimensions;
    private final int window;
    private final int negatives;
    private final int epochs;
    private final long seed;

    public Item2Vec(int dimensions, int window, int negatives, int epochs, long seed) {
        this.dimensions = dimensions;
        this.window = window;
        this.negatives = negatives;
        this.epochs = epochs;
        this.seed = seed;
    }

    /** Item key → unit vector, for every item occurring in a session of at least two items. */
    public Map<String, float[]> train(List<List<String>> sessions) {
        Map<String, Integer> ids = new HashMap<>();
        List<String> names = new ArrayList<>();
        List<int[]> sentences = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (List<String> session : sessions) {
            if (session.size() < 2) {
                continue;
            }
            int[] sentence = new int[session.size()];
            for (int i = 0; i < sentence.length; i++) {
                String item = session.get(i);
                Integer id = ids.get(item);
                if (id == null) {
                    id = names.size();
                    ids.put(item, id);
                    names.add(item);
                    counts.add(0);
                }
                counts.set(id, counts.get(id) + 1);
                sentence[i] = id;
            }
            sentences.add(sentence);
        }
        int n = names.size();
        Map<String, float[]> result = new HashMap<>();
        if (n == 0) {
            return result;
        }
        // Negatives drawn by count^0.75, as word2vec does, from a table.
        int[] table = new int[Math.max(1000, n * 20)];
        double total = 0;
        for (int c : counts) {
            total += Math.pow(c, 0.75);
        }
        int t = 0;
        double cumulative = 0;
        for (int i = 0; i < n && t < table.length; i++) {
            cumulative += Math.pow(counts.get(i), 0.75) / total;
            while (t < table.length && (double) t / table.length < cumulative) {
                table[t++] = i;
            }
        }
        while (t < table.length) {
            table[t++] = n - 1;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] input = new float[n * dimensions];
        float[] output = new float[n * dimensions];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) ((random.nextDouble() - 0.5) / dimensions);
        }
        float[] gradient = new float[dimensions];
        long steps = (long) epochs * sentences.stream().mapToLong(s -> s.length).sum();
        long step = 0;
        double startRate = 0.025;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int[] sentence : sentences) {
                for (int pos = 0; pos < sentence.length; pos++) {
                    float rate = (float) Math.max(startRate * 0.0001, startRate * (1 - (double) step++ / steps));
                    int center = sentence[pos];
                    int reach = 1 + random.nextInt(window);
                    for (int other = Math.max(0, pos - reach); other <= Math.min(sentence.length - 1, pos + reach); other++) {
                        if (other == pos || sentence[other] == center) {
                            continue;
                        }
                        int context = sentence[other];
                        java.util.Arrays.fill(gradient, 0);
                        for (int d = 0; d <= negatives; d++) {
                            int target;
                            float label;
                            if (d == 0) {
                                target = center;
                                label = 1;
                            } else {
                                target = table[random.nextInt(table.length)];
                                if (target == center) {
                                    continue;
                                }
                                label = 0;
                            }
                            float dot = 0;
                            int a = context * dimensions;
                            int b = target * dimensions;
                            for (int k = 0; k < dimensions; k++) {
                                dot += input[a + k] * output[b + k];
                            }
                            float g = (label - sigmoid(dot)) * rate;
                            for (int k = 0; k < dimensions; k++) {
                                gradient[k] += g * output[b + k];
                                output[b + k] += g * input[a + k];
                            }
                        }
                        int a = context * dimensions;
                        for (int k = 0; k < dimensions; k++) {
                            input[a + k] += gradient[k];
                        }
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            float[] v = new float[dimensions];
            System.arraycopy(input, i * dimensions, v, 0, dimensions);
            result.put(names.get(i), Vectors.normalised(v));
        }
        return result;
    }

    private static float sigmoid(float x) {
        if (x > 6) {
            return 1;
        }
        if (x < -6) {
            return 0;
        }
        return (float) (1 / (1 + Math.exp(-x)));
    }
}

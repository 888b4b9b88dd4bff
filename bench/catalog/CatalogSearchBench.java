import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import plaza.catalog.CatalogService;
import plaza.catalog.products.ProductQuery;
import plaza.catalog.products.ProductRepository;
import plaza.catalog.products.ProductResource;
import plaza.catalog.search.ProductIndex;
import plaza.catalog.search.ProductSearch;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.db.SearchKeys;
import plaza.platform.embedded.EmbeddedMariaDbServer;
import plaza.platform.imports.ImportReport;
import plaza.platform.security.TokenVerifier;

/**
 * Product search on N products, three ways in each round of one run:
 * (a) the issue's reference: the service's SQL ({@link ProductRepository#searchSql}) issued straight over
 *     JDBC by C virtual threads on the same pool (the database ceiling of the SQL formulation);
 * (b) the service's in-memory index ({@code plaza.catalog.search}) searched in-process by C virtual threads,
 *     no HTTP (the ceiling of the service's own search);
 * (c) the catalog service over HTTP with wrk, C connections.
 * Also: how long a full index rebuild of N products takes and about how much heap one snapshot holds.
 * Usage (see run.sh):
 *   java -cp 'modules/standalone/target/libs/*' bench/catalog/CatalogSearchBench.java products.jsonl [connections] [seconds] [rounds]
 */
public final class CatalogSearchBench {

    /** The search mix: [q, category, minPrice, maxPrice, sort, page]. */
    static final String[][] QUERIES = {
            {"김치", null, null, null, null, null}, {"대파", null, null, null, null, null},
            {"국산 감자", null, null, null, null, null}, {"계란", null, null, null, "price_asc", null},
            {"두부", "두부/콩/면", null, null, null, null}, {"돼지고기", null, null, null, "discount", null},
            {"유기농", null, null, null, null, null}, {"우유", null, null, null, "popular", null},
            {null, "채소", null, null, "price_desc", null}, {"사과", null, "10000", "40000", null, null},
            {"버섯", null, null, null, null, "2"}, {"고추장", null, null, null, null, null},
            {null, null, null, null, "newest", null}, {"소고기 한우", null, null, null, null, null},
            {"새우", null, null, null, "price_asc", null}, {"라면", null, null, null, null, null}};

    public static void main(String[] args) throws Exception {
        Path products = Path.of(args[0]);
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;

        Path dir = Files.createTempDirectory("plaza-bench-mariadb");
        EmbeddedMariaDbServer mariadb = EmbeddedMariaDbServer.start(dir.resolve("data"), dir.resolve("base"), 0, false);
        Config config = PlazaConfig.override(Config.empty(), Map.of(
                "server.port", "0", "server.host", "127.0.0.1", "plaza.access-log.enabled", "false", "db.pool.connection-timeout", "PT30S",
                "db.url", mariadb.database("bench_catalog"), "db.username", mariadb.username(), "db.password", mariadb.password()));
        Database db = Database.open(config.get("db"), "catalog");
        long t0 = System.nanoTime();
        ImportReport report;
        try (InputStream in = Files.newInputStream(products)) {
            report = ProductResource.importer(db.dataSource(), new ProductRepository(db.dataSource(), Clock.systemUTC())).run(in);
        }
        System.out.printf("imported %d products (%d refused) in %.1f s%n", report.imported(), report.failed(), (System.nanoTime() - t0) / 1e9);

        List<String> lines = new ArrayList<>();
        lines.add(indexCost(new ProductRepository(db.dataSource(), Clock.systemUTC())));
        System.out.println(lines.getFirst());

        TokenVerifier tokens = TokenVerifier.create(new com.nimbusds.jose.jwk.source.ImmutableJWKSet<>(new com.nimbusds.jose.jwk.JWKSet()), "plaza", "plaza");
        CatalogService catalog = CatalogService.create(config, db, tokens);
        if (!catalog.productSearch().awaitLoaded(java.time.Duration.ofMinutes(2))) {
            throw new IllegalStateException("search index did not load");
        }
        ProductSearch search = catalog.productSearch();
        WebServer server = PlazaServer.start(config, List.of(catalog));
        String base = "http://127.0.0.1:" + server.port();
        Path lua = writeLua();
        Path health = pathLua("/health");
        List<ProductQuery> queries = Arrays.stream(QUERIES).map(CatalogSearchBench::query).toList();

        System.out.println("warm-up ...");
        jdbc(db, queries, connections, 5);
        index(search, queries, connections, 5);
        wrk(base, lua, connections, 5);
        for (int round = 1; round <= rounds; round++) {
            double[] j = jdbc(db, queries, connections, seconds);
            double[] m = index(search, queries, connections, seconds);
            double[] h = wrk(base, lua, connections, seconds);
            double[] f = wrk(base, health, connections, seconds);
            String line = String.format("round %d: (a) SQL over JDBC %.0f req/s p50 %.2f ms p99 %.2f ms | (b) index in-process %.0f req/s p50 %.3f ms p99 %.3f ms"
                                        + " | (c) HTTP service %.0f req/s p50 %.2f ms p99 %.2f ms | HTTP/(a) %.2f HTTP/(b) %.3f"
                                        + " | floor: GET /health %.0f req/s p99 %.2f ms",
                                        round, j[0], j[1], j[2], m[0], m[1], m[2], h[0], h[1], h[2], h[0] / j[0], h[0] / m[0], f[0], f[2]);
            System.out.println(line);
            lines.add(line);
        }
        System.out.println("\n== summary (" + report.imported() + " products, " + connections + " connections, " + seconds + " s per phase) ==");
        lines.forEach(System.out::println);
        server.stop();
        catalog.close(); // stops the index refresher, closes the pool
        mariadb.close();
        System.exit(0);
    }

    static ProductQuery query(String[] q) {
        String text = q[0];
        List<String> terms = text == null ? List.of() : SearchKeys.terms(text, ProductQuery.MAX_TERMS);
        ProductQuery.Sort sort = q[4] != null ? ProductQuery.Sort.valueOf(q[4].toUpperCase())
                : terms.isEmpty() ? ProductQuery.Sort.POPULAR : ProductQuery.Sort.RELEVANCE;
        return new ProductQuery(text, terms, q[1], q[2] == null ? null : Integer.valueOf(q[2]), q[3] == null ? null : Integer.valueOf(q[3]),
                                sort, q[5] == null ? 1 : Integer.parseInt(q[5]), 20);
    }

    /**
     * Rebuild time (load from MariaDB + index, best and median of 5) and heap held by one snapshot: used heap
     * after System.gc() (three times, settled) with one snapshot reachable minus without it.
     */
    static String indexCost(ProductRepository repository) throws Exception {
        long[] took = new long[5];
        ProductIndex index = null;
        for (int i = 0; i < took.length; i++) {
            index = null;
            long t0 = System.nanoTime();
            index = ProductIndex.load(repository);
            took[i] = System.nanoTime() - t0;
        }
        Arrays.sort(took);
        int size = index.size();
        long with = usedHeapAfterGc();
        index = null;
        long without = usedHeapAfterGc();
        long bytes = with - without;
        return String.format("index of %d products: rebuild (load + index) best %.0f ms, median %.0f ms; heap held ~%.1f MiB (~%d bytes/product; used heap after GC with minus without one snapshot)",
                             size, took[0] / 1e6, took[2] / 1e6, bytes / 1048576.0, size == 0 ? 0 : bytes / size);
    }

    static long usedHeapAfterGc() throws InterruptedException {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** (b) the service's index searched in-process by {@code threads} virtual threads, no HTTP. */
    static double[] index(ProductSearch search, List<ProductQuery> queries, int threads, int seconds) throws Exception {
        AtomicLong sink = new AtomicLong();
        double[] result = closedLoop(threads, seconds, (offset, i) -> {
            ProductRepository.Page page = search.search(queries.get((offset + i) % queries.size()));
            sink.addAndGet(page.total() + page.items().size());
        });
        if (sink.get() == 0) {
            System.out.println("index found nothing?");
        }
        return result;
    }

    interface Call {
        void run(int offset, int i) throws Exception;
    }

    /** {@code threads} virtual threads calling {@code call} back to back for {@code seconds}: [calls/s, p50 ms, p99 ms]. */
    static double[] closedLoop(int threads, int seconds, Call call) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[200_001]; // first 200k latencies per thread (enough for p99)
            latencies.add(mine);
            int offset = t;
            workers.add(Thread.ofVirtual().start(() -> {
                int i = 0;
                int n = 0;
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                        call.run(offset, i++);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n < mine.length - 1) {
                        mine[n++] = System.nanoTime() - start;
                    }
                    done.incrementAndGet();
                }
                mine[mine.length - 1] = n;
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        int count = 0;
        for (long[] l : latencies) {
            count += (int) l[l.length - 1];
        }
        long[] all = new long[count];
        int k = 0;
        for (long[] l : latencies) {
            int n = (int) l[l.length - 1];
            System.arraycopy(l, 0, all, k, n);
            k += n;
        }
        Arrays.sort(all);
        if (errors.get() > 0) {
            System.out.println("errors: " + errors.get());
        }
        return new double[] {done.get() / (double) seconds, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6};
    }

    /** (a) the reference: the service's SQL (page query, then the count unless the page shows it all) over plain JDBC. */
    static double[] jdbc(Database db, List<ProductQuery> queries, int threads, int seconds) throws Exception {
        List<ProductRepository.SearchSql> sqls = queries.stream().map(ProductRepository::searchSql).toList();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[200_001];
            latencies.add(mine);
            int offset = t;
            workers.add(Thread.ofVirtual().start(() -> {
                int i = 0;
                int n = 0;
                while (System.nanoTime() < end) {
                    ProductRepository.SearchSql sql = sqls.get((offset + i++) % sqls.size());
                    ProductQuery q = queries.get((offset + i - 1) % queries.size());
                    long start = System.nanoTime();
                    try (Connection c = db.dataSource().getConnection()) {
                        int rows = 0;
                        try (PreparedStatement ps = ProductRepository.prepare(c, sql.pageSql(), sql.pageParams()); ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ProductRepository.read(rs, false);
                                rows++;
                            }
                        }
                        if (!(rows > 0 && q.page() == 1 && rows < q.size())) {
                            try (PreparedStatement ps = ProductRepository.prepare(c, sql.countSql(), sql.countParams()); ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                rs.getLong(1);
                            }
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n < mine.length - 1) {
                        mine[n++] = System.nanoTime() - start;
                    }
                    done.incrementAndGet();
                }
                mine[mine.length - 1] = n;
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        List<Long> all = new ArrayList<>();
        for (long[] l : latencies) {
            int n = (int) l[l.length - 1];
            for (int i = 0; i < n; i++) {
                all.add(l[i]);
            }
        }
        all.sort(null);
        if (errors.get() > 0) {
            System.out.println("JDBC errors: " + errors.get());
        }
        return new double[] {done.get() / (double) seconds, all.get(all.size() / 2) / 1e6, all.get((int) (all.size() * 0.99)) / 1e6};
    }

    /** One path over and over (the floor: what this machine's HTTP stack does right now with a trivial route). */
    static Path pathLua(String path) throws Exception {
        Path lua = Files.createTempFile("catalog-floor", ".lua");
        Files.writeString(lua, "request = function() return wrk.format(\"GET\", \"" + path + "\") end\n" + DONE);
        return lua;
    }

    static final String DONE = "done = function(summary, latency, requests)\n"
            + "  io.write(string.format(\"RESULT %d %d %.3f %.3f %d\\n\", summary.requests, summary.duration, latency:percentile(50)/1000, latency:percentile(99)/1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\n"
            + "end\n";

    static Path writeLua() throws Exception {
        StringBuilder paths = new StringBuilder();
        for (String[] q : QUERIES) {
            StringBuilder p = new StringBuilder("/kok/products?size=20");
            String[] names = {"q", "category", "minPrice", "maxPrice", "sort", "page"};
            for (int i = 0; i < names.length; i++) {
                if (q[i] != null) {
                    p.append('&').append(names[i]).append('=').append(URLEncoder.encode(q[i], StandardCharsets.UTF_8).replace("+", "%20"));
                }
            }
            paths.append("  \"").append(p).append("\",\n");
        }
        String script = "local paths = {\n" + paths + "}\n"
                + "local counter = 0\n"
                + "setup = function(thread) thread:set(\"offset\", counter) counter = counter + 7 end\n"
                + "init = function(args) i = offset or 0 end\n"
                + "request = function() i = i + 1 return wrk.format(\"GET\", paths[(i % #paths) + 1]) end\n"
                + DONE;
        Path lua = Files.createTempFile("catalog-search", ".lua");
        Files.writeString(lua, script);
        return lua;
    }

    /** wrk with {@code connections} connections on 2 threads; [req/s, p50 ms, p99 ms]. */
    static double[] wrk(String base, Path lua, int connections, int seconds) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--timeout", "5s", "-s", lua.toString(), base)
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        p.waitFor();
        String text = out.toString(StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.startsWith("RESULT ")) {
                String[] f = line.trim().split(" ");
                long requests = Long.parseLong(f[1]);
                double secs = Long.parseLong(f[2]) / 1e6;
                if (Long.parseLong(f[5]) > 0) {
                    System.out.println("wrk reported " + f[5] + " errors (non-2xx, timeouts):\n" + text);
                }
                return new double[] {requests / secs, Double.parseDouble(f[3]), Double.parseDouble(f[4])};
            }
        }
        throw new IllegalStateException("wrk output not understood:\n" + text);
    }
}

package plaza.catalog.products;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import plaza.platform.db.SearchKeys;
import plaza.platform.db.Transactions;
import plaza.platform.http.Json;
import plaza.platform.http.ProblemException;

/** Owns the {@code products} table: search, lookups and admin writes. */
public final class ProductRepository {

    /** Columns of a list item (everything but the description). */
    public static final String SUMMARY_COLUMNS = "id, name, brand, category, price, sale_price, discount_rate, image_url, "
            + "stock, rating, review_count, keywords, created_at, updated_at";
    private static final String FULL_COLUMNS = SUMMARY_COLUMNS + ", description";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final DataSource dataSource;
    private final Clock clock;

    public ProductRepository(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** One page of a search and the number of matches in all pages. */
    public record Page(List<Product> items, long total) {
    }

    /** The SQL of a search: a count and a page query with their parameters (also what bench/ replays over JDBC). */
    public record SearchSql(String countSql, List<Object> countParams, String pageSql, List<Object> pageParams) {
    }

    /** Builds the search SQL; every value is a bind parameter, LIKE wildcards in user input are escaped. */
    public static SearchSql searchSql(ProductQuery query) {
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> params = new ArrayList<>();
        for (String term : query.terms()) {
            where.append(" AND search_key LIKE ?");
            params.add(SearchKeys.contains(term));
        }
        if (query.category() != null) {
            where.append(" AND category = ?");
            params.add(query.category());
        }
        if (query.minPrice() != null) {
            where.append(" AND sale_price >= ?");
            params.add(query.minPrice());
        }
        if (query.maxPrice() != null) {
            where.append(" AND sale_price <= ?");
            params.add(query.maxPrice());
        }
        String count = "SELECT COUNT(*) FROM products" + where;

        List<Object> pageParams = new ArrayList<>();
        String select = "SELECT " + SUMMARY_COLUMNS;
        String order;
        switch (query.sort()) {
            case RELEVANCE -> {
                select += ", " + scoreSql(query.terms().size()) + " AS score";
                pageParams.addAll(scoreParams(query.phrase(), query.terms()));
                order = "score DESC, review_count DESC, id ASC";
            }
            case POPULAR -> order = "review_count DESC, rating DESC, id ASC";
            case PRICE_ASC -> order = "sale_price ASC, id ASC";
            case PRICE_DESC -> order = "sale_price DESC, id ASC";
            case DISCOUNT -> order = "discount_rate DESC, review_count DESC, id ASC";
            case NEWEST -> order = "created_at DESC, id DESC";
            default -> throw new IllegalStateException();
        }
        pageParams.addAll(params);
        pageParams.add(query.size());
        pageParams.add((long) (query.page() - 1) * query.size());
        String page = select + " FROM products" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?";
        return new SearchSql(count, List.copyOf(params), page, List.copyOf(pageParams));
    }

    /**
     * Relevance: the name equals / starts with / contains what was typed, a whole field (a keyword, the
     * brand) equals it, plus each term found in the name. So {@code 김치} puts 김치 itself first, then
     * products whose keyword is 김치 (배추김치, 열무김치), then names merely starting with it (김치 만두).
     */
    private static String scoreSql(int terms) {
        StringBuilder score = new StringBuilder("((name_key = ?) * 100 + (search_key LIKE ?) * 60 + (name_key LIKE ?) * 50 + (name_key LIKE ?) * 30");
        for (int i = 0; i < terms; i++) {
            score.append(" + (name_key LIKE ?) * 10");
        }
        return score.append(")").toString();
    }

    private static List<Object> scoreParams(String phrase, List<String> terms) {
        List<Object> params = new ArrayList<>();
        params.add(phrase);
        params.add("%" + SearchKeys.SEPARATOR + SearchKeys.escapeLike(phrase) + SearchKeys.SEPARATOR + "%");
        params.add(SearchKeys.prefix(phrase));
        params.add(SearchKeys.contains(phrase));
        terms.forEach(t -> params.add(SearchKeys.contains(t)));
        return params;
    }

    public Page search(ProductQuery query) {
        SearchSql sql = searchSql(query);
        try (Connection c = dataSource.getConnection()) {
            List<Product> items = list(c, sql.pageSql(), sql.pageParams(), false);
            long total;
            if (!items.isEmpty() && query.page() == 1 && items.size() < query.size()) {
                total = items.size(); // the whole result fits in the first page: no count needed
            } else {
                try (PreparedStatement ps = prepare(c, sql.countSql(), sql.countParams()); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            return new Page(items, total);
        } catch (SQLException e) {
            throw new IllegalStateException("Product search failed", e);
        }
    }

    /** Up to {@code limit} products per keyword, in stock first, most relevant first (an ingredient → what to buy). */
    public Map<String, List<Product>> byKeywords(List<String> keywords, int limit) {
        Map<String, List<Product>> result = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String keyword : keywords) {
                List<String> terms = SearchKeys.terms(keyword, 4);
                List<Product> found = terms.isEmpty() ? List.of() : matching(c, SearchKeys.key(keyword), terms, limit);
                if (found.isEmpty() && terms.size() > 1) {
                    // "다진 마늘" → "마늘": in Korean the last word names the thing.
                    String head = terms.getLast();
                    found = matching(c, head, List.of(head), limit);
                }
                result.put(keyword, found);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Product lookup failed", e);
        }
        return result;
    }

    private List<Product> matching(Connection c, String phrase, List<String> terms, int limit) throws SQLException {
        List<Object> params = new ArrayList<>(scoreParams(phrase, terms));
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + ", " + scoreSql(terms.size()) + " AS score FROM products WHERE 1=1");
        for (String term : terms) {
            sql.append(" AND search_key LIKE ?");
            params.add(SearchKeys.contains(term));
        }
        sql.append(" ORDER BY (stock > 0) DESC, score DESC, review_count DESC, id ASC LIMIT ?");
        params.add(limit);
        return list(c, sql.toString(), params, false);
    }

    public Optional<Product> find(long id) {
        try (Connection c = dataSource.getConnection()) {
            List<Product> found = list(c, "SELECT " + FULL_COLUMNS + " FROM products WHERE id = ?", List.of(id), true);
            return found.stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("Product lookup failed", e);
        }
    }

    /** Products by id, in the order of {@code ids}; unknown ids are skipped. */
    public List<Product> findAll(Connection c, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        String marks = ids.stream().map(i -> "?").collect(Collectors.joining(","));
        Map<Long, Product> byId = new LinkedHashMap<>();
        for (Product p : list(c, "SELECT " + SUMMARY_COLUMNS + " FROM products WHERE id IN (" + marks + ")", List.copyOf(ids), false)) {
            byId.put(p.id(), p);
        }
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    public record CategoryCount(String name, long productCount) {
    }

    public List<CategoryCount> categories() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT category, COUNT(*) FROM products GROUP BY category ORDER BY COUNT(*) DESC, category");
             ResultSet rs = ps.executeQuery()) {
            List<CategoryCount> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new CategoryCount(rs.getString(1), rs.getLong(2)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Category listing failed", e);
        }
    }

    public boolean isEmpty() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM products LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return !rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException("Product count failed", e);
        }
    }

    /** Creates a product, or with an id replaces it (creating it if absent); answers its id. */
    public long upsert(Connection c, ProductInput p) throws SQLException {
        LocalDateTime now = now();
        String sql = "INSERT INTO products (id, name, brand, category, price, sale_price, discount_rate, image_url, stock, "
                + "description, rating, review_count, keywords, name_key, search_key, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE name = VALUES(name), brand = VALUES(brand), category = VALUES(category), "
                + "price = VALUES(price), sale_price = VALUES(sale_price), discount_rate = VALUES(discount_rate), "
                + "image_url = VALUES(image_url), stock = VALUES(stock), description = VALUES(description), "
                + "rating = VALUES(rating), review_count = VALUES(review_count), keywords = VALUES(keywords), "
                + "name_key = VALUES(name_key), search_key = VALUES(search_key), updated_at = VALUES(updated_at)";
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setObject(1, p.id());
            bindFields(ps, 2, p);
            ps.setObject(16, now);
            ps.setObject(17, now);
            ps.executeUpdate();
            long id;
            if (p.id() != null) {
                id = p.id();
            } else {
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            bumpRevision(c);
            return id;
        }
    }

    public long create(ProductInput p) {
        try {
            return inTransaction(c -> upsert(c, p));
        } catch (SQLException e) {
            throw new IllegalStateException("Product insert failed", e);
        }
    }

    /** Replaces product {@code id}; false if there is none. */
    public boolean update(long id, ProductInput p) {
        String sql = "UPDATE products SET name = ?, brand = ?, category = ?, price = ?, sale_price = ?, discount_rate = ?, "
                + "image_url = ?, stock = ?, description = ?, rating = ?, review_count = ?, keywords = ?, name_key = ?, "
                + "search_key = ?, updated_at = ? WHERE id = ?";
        try {
            return inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    bindFields(ps, 1, p);
                    ps.setObject(15, now());
                    ps.setLong(16, id);
                    return ps.executeUpdate() > 0 && bumpRevision(c);
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("Product update failed", e);
        }
    }

    /** Deletes product {@code id} (and it leaves wishlists and broadcasts); false if there is none. */
    public boolean delete(long id) {
        try {
            return inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM products WHERE id = ?")) {
                    ps.setLong(1, id);
                    return ps.executeUpdate() > 0 && bumpRevision(c);
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("Product delete failed", e);
        }
    }

    /**
     * Moves the change marker the search index polls ({@code product_revision}); every product write calls
     * it in its own transaction, so a replica that sees the new revision also sees the write. The row lock
     * it takes serializes product writers until commit (they are admin-only and rare).
     */
    static boolean bumpRevision(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE product_revision SET revision = revision + 1 WHERE id = 1")) {
            ps.executeUpdate();
            return true;
        }
    }

    /** The change marker: it moves with every committed product write. */
    public long revision() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT revision FROM product_revision WHERE id = 1")) {
            ps.setQueryTimeout(10);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the product revision failed", e);
        }
    }

    /** What the search index keeps of a product: its list item and the keys search compares. */
    public record SearchRow(Product summary, String nameKey, String searchKey) {
    }

    /**
     * Streams every product's summary and search keys to {@code rows}, and answers the revision they
     * reflect: both are read in one consistent snapshot (InnoDB REPEATABLE READ), so the rows are exactly
     * the state at that revision.
     */
    public long scanForIndex(java.util.function.Consumer<SearchRow> rows) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try {
                long revision;
                try (Statement st = c.createStatement()) {
                    st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
                    try (ResultSet rs = st.executeQuery("SELECT revision FROM product_revision WHERE id = 1")) {
                        revision = rs.next() ? rs.getLong(1) : 0;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + ", name_key, search_key FROM products",
                                                               ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                    ps.setFetchSize(1000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.accept(new SearchRow(read(rs, false), rs.getString("name_key"), rs.getString("search_key")));
                        }
                    }
                }
                c.commit();
                return revision;
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Loading products for the search index failed", e);
        }
    }

    /** Runs {@code work} in one transaction (the write and its revision bump commit together). */
    private <T> T inTransaction(Transactions.Work<T> work) throws SQLException {
        return Transactions.run(dataSource, work);
    }

    private static void bindFields(PreparedStatement ps, int first, ProductInput p) throws SQLException {
        int i = first;
        ps.setString(i++, p.name());
        ps.setString(i++, p.brand());
        ps.setString(i++, p.category());
        ps.setInt(i++, p.price());
        ps.setInt(i++, p.salePrice());
        ps.setInt(i++, p.discountRate());
        ps.setString(i++, p.imageUrl());
        ps.setInt(i++, p.stock());
        ps.setString(i++, p.description());
        ps.setBigDecimal(i++, p.rating());
        ps.setInt(i++, p.reviewCount());
        ps.setString(i++, Json.write(p.keywords()));
        ps.setString(i++, SearchKeys.key(p.name()));
        List<String> fields = new ArrayList<>(List.of(p.name(), p.brand(), p.category()));
        fields.addAll(p.keywords());
        ps.setString(i, SearchKeys.record(fields));
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static List<Product> list(Connection c, String sql, List<Object> params, boolean full) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            List<Product> out = new ArrayList<>();
            while (rs.next()) {
                out.add(read(rs, full));
            }
            return out;
        }
    }

    /** Reads a product from a row selected with {@link #SUMMARY_COLUMNS} (and {@code description} when full). */
    public static Product read(ResultSet rs, boolean full) throws SQLException {
        return new Product(rs.getLong("id"), rs.getString("name"), rs.getString("brand"), rs.getString("category"),
                           rs.getInt("price"), rs.getInt("sale_price"), rs.getInt("discount_rate"), rs.getString("image_url"),
                           rs.getInt("stock"), full ? rs.getString("description") : null, rs.getBigDecimal("rating"),
                           rs.getInt("review_count"), keywords(rs.getString("keywords")),
                           instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    private static List<String> keywords(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return Json.MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    public static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }

    /** 404 for an unknown product id. */
    public static ProblemException notFound(long id) {
        return ProblemException.notFound("No product " + id + ".");
    }
}

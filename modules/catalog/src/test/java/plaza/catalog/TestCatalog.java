package plaza.catalog;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import plaza.catalog.products.ProductRepository;
import plaza.catalog.products.ProductResource;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;
import plaza.platform.db.Database;
import plaza.platform.imports.ImportReport;
import plaza.testing.EmbeddedDatabases;
import plaza.testing.TestTokens;

/** Builds a catalog server on a fresh embedded MariaDB, optionally seeded with JSON Lines products. */
final class TestCatalog {

    private TestCatalog() {
    }

    static Database configure(WebServerConfig.Builder server, TestTokens tokens, Clock clock, String productsJsonl) {
        return configure(server, tokens, clock, productsJsonl, Map.of()).db();
    }

    record Started(Database db, CatalogService service) {
    }

    /** As above, with more settings ({@code extra}) and the service returned too. */
    static Started configure(WebServerConfig.Builder server, TestTokens tokens, Clock clock, String productsJsonl,
                             Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("server.port", "0", "plaza.access-log.enabled", "false"));
        settings.putAll(extra);
        Config config = PlazaConfig.override(EmbeddedDatabases.config(Database.Vendor.MARIADB, "catalog", Config.empty()), settings);
        Database db = Database.open(config.get("db"), "catalog");
        if (productsJsonl != null) {
            ImportReport report = ProductResource.importer(db.dataSource(), new ProductRepository(db.dataSource(), clock))
                    .run(new ByteArrayInputStream(productsJsonl.getBytes(StandardCharsets.UTF_8)));
            if (report.failed() > 0) {
                throw new IllegalStateException("Fixture rows refused: " + report.errors());
            }
        }
        CatalogService service = CatalogService.create(config, db, tokens.verifier(), clock);
        try {
            if (!service.productSearch().awaitLoaded(java.time.Duration.ofSeconds(30))) {
                throw new IllegalStateException("The search index did not load");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        PlazaServer.configure(server, config, List.of(service));
        return new Started(db, service);
    }
}

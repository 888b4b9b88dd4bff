package plaza.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import plaza.platform.db.Database;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** One real server of each kind per JVM; every class (and every fresh() call) gets its own database. */
@ExtendWith(EmbeddedDatabases.class)
class EmbeddedDatabasesTest {

    @Test
    void injectsMigratedDatabasesOnRealServers(@FreshDatabase(service = "probe", vendor = Database.Vendor.POSTGRESQL) Database pg,
                                               @FreshDatabase(service = "probe", vendor = Database.Vendor.MARIADB) Database maria)
            throws Exception {
        for (Database db : new Database[] {pg, maria}) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO probe_items(name, qty) VALUES ('두부', 2)");
                try (ResultSet rs = s.executeQuery("SELECT name FROM probe_items")) {
                    rs.next();
                    assertThat(rs.getString(1), is("두부"));
                }
            }
        }
        try (Connection p = pg.dataSource().getConnection(); Connection m = maria.dataSource().getConnection()) {
            assertThat(p.getMetaData().getDatabaseProductName(), is("PostgreSQL"));
            assertThat(m.getMetaData().getDatabaseProductName(), is("MariaDB"));
        }
    }

    @Test
    void sameDatabaseWithinAClass(@FreshDatabase(service = "probe", vendor = Database.Vendor.POSTGRESQL) Database first,
                                  @FreshDatabase(service = "probe", vendor = Database.Vendor.POSTGRESQL) Database second) {
        assertThat(first == second, is(true));
    }

    @Test
    void freshCallsShareOneServerButNotTheDatabase() {
        var a = EmbeddedDatabases.fresh(Database.Vendor.MARIADB, "probe");
        var b = EmbeddedDatabases.fresh(Database.Vendor.MARIADB, "probe");
        assertThat(a.get("db.url"), not(is(b.get("db.url"))));
        String server = "jdbc:mariadb://127.0.0.1:" + EmbeddedDatabases.mariaDbServer().port() + "/";
        assertThat(a.get("db.url"), startsWith(server));
        assertThat(b.get("db.url"), startsWith(server));
    }
}

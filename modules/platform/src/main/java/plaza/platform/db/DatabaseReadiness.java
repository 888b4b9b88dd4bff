package plaza.platform.db;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/** Readiness check of one service's database. */
final class DatabaseReadiness implements HealthCheck {

    private final Database database;

    DatabaseReadiness(Database database) {
        this.database = database;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "db-" + database.service();
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = database.reachable();
        return HealthCheckResponse.builder()
                .status(up)
                .detail("vendor", database.vendor().folder())
                .build();
    }
}

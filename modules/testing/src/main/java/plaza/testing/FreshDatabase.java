package plaza.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import plaza.platform.db.Database;

/** Marks a {@link Database} parameter that {@link EmbeddedDatabases} fills with a fresh, migrated database. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface FreshDatabase {

    /** Whose migrations to run ({@code db/migration/<service>/<vendor>}). */
    String service();

    Database.Vendor vendor();
}

package plaza.auth.accounts;

/** The roles auth hands out: every account is a {@code user}; {@code admin} manages accounts. */
public final class Roles {

    public static final String USER = "user";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}

package plaza.auth.api;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import plaza.auth.accounts.Accounts;
import plaza.auth.accounts.Roles;
import plaza.auth.accounts.UserView;
import plaza.auth.tokens.AccessTokens;
import plaza.platform.http.Json;
import plaza.platform.http.PathParams;
import plaza.platform.http.Problems;
import plaza.platform.http.QueryParams;
import plaza.platform.security.Caller;
import plaza.platform.security.TokenVerifier;

/**
 * {@code /users/*}: the caller's own account ({@code /users/me}) and, for admins, every account
 * ({@code GET /users?query=&page=&size=}, {@code GET /users/{id}}, {@code POST /users/{id}/disable|enable}).
 */
public final class UsersResource implements HttpService {

    private final Accounts accounts;
    private final TokenVerifier tokens;

    public UsersResource(Accounts accounts, TokenVerifier tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/me", this::me)
                .patch("/me", this::rename)
                .delete("/me", this::delete)
                .any("/me", Problems.methodNotAllowed("GET", "PATCH", "DELETE"))
                .post("/me/password", this::changePassword)
                .any("/me/password", Problems.methodNotAllowed("POST"))
                .get("/", this::list)
                .any("/", Problems.methodNotAllowed("GET"))
                .post("/{id}/disable", (req, res) -> setDisabled(req, res, true))
                .any("/{id}/disable", Problems.methodNotAllowed("POST"))
                .post("/{id}/enable", (req, res) -> setDisabled(req, res, false))
                .any("/{id}/enable", Problems.methodNotAllowed("POST"))
                .get("/{id}", this::get)
                .any("/{id}", Problems.methodNotAllowed("GET"));
    }

    private void me(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Json.send(res, UserView.of(accounts.current(caller.id())));
    }

    private void rename(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Requests.Rename body = Json.read(req, Requests.Rename.class);
        Json.send(res, UserView.of(accounts.rename(caller.id(), body.name())));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        accounts.delete(caller.id());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void changePassword(ServerRequest req, ServerResponse res) {
        Caller caller = tokens.caller(req);
        Requests.ChangePassword body = Json.read(req, Requests.ChangePassword.class);
        accounts.changePassword(caller.id(), AccessTokens.sessionOf(caller).orElse(null), body.currentPassword(), body.newPassword());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void list(ServerRequest req, ServerResponse res) {
        tokens.caller(req).requireRole(Roles.ADMIN);
        String query = QueryParams.string(req, "query", 200).orElse(null);
        int page = QueryParams.integer(req, "page", 1, 1, 1_000_000);
        int size = QueryParams.integer(req, "size", 20, 1, 100);
        Json.send(res, accounts.list(query, page, size));
    }

    private void get(ServerRequest req, ServerResponse res) {
        tokens.caller(req).requireRole(Roles.ADMIN);
        Json.send(res, UserView.of(accounts.get(PathParams.text(req, "id", 64))));
    }

    private void setDisabled(ServerRequest req, ServerResponse res, boolean disabled) {
        Caller admin = tokens.caller(req).requireRole(Roles.ADMIN);
        Json.send(res, UserView.of(accounts.setDisabled(admin.id(), PathParams.text(req, "id", 64), disabled)));
    }
}

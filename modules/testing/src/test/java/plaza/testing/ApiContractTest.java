package plaza.testing;

import java.util.List;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.Test;
import plaza.platform.PlazaService;
import plaza.platform.http.Problems;
import plaza.platform.openapi.ApiDescriptions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The checker itself: it must catch what it is for. Bad descriptions tried: a dangling $ref, keys split off a
 * description by a comma in YAML flow style, an example breaking
 * its schema, an undeclared path parameter, a missing operationId, a component redefined differently by another
 * service, a path described twice; and routes registered nested, with any(..) 405 fallbacks.
 */
class ApiContractTest {

    @Test
    void platformsBaseLintsClean() {
        assertThat(ApiContract.lint(ApiDescriptions.merged(List.of())), empty());
    }

    @Test
    void lintCatchesBrokenDescriptions() {
        List<String> problems = ApiContract.lint(ApiDescriptions.merged(List.of("broken")));
        String all = String.join("\n", problems);
        assertThat(all, problems.stream().anyMatch(p -> p.startsWith("swagger-parser:") && p.contains("Missing")), is(true));
        assertThat(all, containsString("GET /broken/{id}: operationId missing"));
        assertThat(all, containsString("path parameter {id} is not declared"));
        assertThat(all, containsString("parameter size: example 11 does not match its schema"));
        // A comma in an unquoted flow-style description makes a key of its rest:
        assertThat(all, containsString("'or phrases.' is not a parameter field"));
        assertThat(all, containsString("'for a human.' is not a schema keyword"));
    }

    @Test
    void mergeRefusesClashes() {
        IllegalStateException component = assertThrows(IllegalStateException.class,
                                                       () -> ApiDescriptions.merged(List.of("clash-a", "clash-b")));
        assertThat(component.getMessage(), containsString("components.schemas.Thing"));
        IllegalStateException path = assertThrows(IllegalStateException.class,
                                                  () -> ApiDescriptions.merged(List.of("clash-a", "clash-c")));
        assertThat(path.getMessage(), containsString("/clash"));
    }

    @Test
    void recordsRoutesWithTheirMountPaths() {
        HttpService items = rules -> rules.get("/", (req, res) -> { })
                .post("/", (req, res) -> { })
                .any("/", Problems.methodNotAllowed("GET", "POST"))
                .delete("/{id}", (req, res) -> { });
        PlazaService service = new PlazaService() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public void routing(HttpRouting.Builder routing) {
                routing.register("/things", items).get("/things-count", (req, res) -> { });
            }
        };
        assertThat(ApiContract.routes(service).toString(),
                   is("[DELETE /things/{id}, GET /things, GET /things-count, POST /things]"));
        assertThat(ApiContract.check(service), hasItem(containsString("META-INF/openapi/probe.yaml")));
    }

}

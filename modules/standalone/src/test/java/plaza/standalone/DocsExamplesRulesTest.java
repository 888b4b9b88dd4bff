package plaza.standalone;

import java.util.List;

import org.junit.jupiter.api.Test;
import plaza.standalone.DocsExamplesTest.Block;
import plaza.standalone.DocsExamplesTest.Command;
import plaza.standalone.DocsExamplesTest.Result;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * The docs runner's own rules, without a server: which blocks run, how commands and expectations are read, and
 * that a wrong example fails. Bad inputs tried: a wrong status, an unexpected 4xx, JSON missing a field or with a
 * different value, text that is not there, a non-zero exit code, an expectation that is not JSON, a console
 * block whose output differs.
 */
class DocsExamplesRulesTest {

    private static final String PAGE = """
            # Page

            <!-- not-run: needs a cluster -->
            ```bash
            kubectl get pods
            ```

            ```json
            {"not": "a shell block"}
            ```

            ```bash
            B=http://localhost:8080
            curl -s $B/health   # → {"status":"ok"}
            curl -s -X POST $B/x \\
                 -d '{"a":1}'   # a note → 201 {"a":1}
            f() {
              echo "in f"
            }
            # only a comment
            ```

            ```console
            $ curl -s localhost:8080/api/v1/echo?q=hi
            {"echo":"hi"}
            ```
            """;

    @Test
    void blocksCommandsAndExpectationsAreReadAsDocumented() {
        List<Block> blocks = DocsExamplesTest.blocks("page.md", PAGE.lines().toList());
        assertThat(blocks, hasSize(3)); // the json block is not a shell block
        assertThat(blocks.get(0).notRun(), is("needs a cluster"));
        assertThat(blocks.get(1).notRun(), nullValue());
        List<Command> commands = blocks.get(1).commands();
        assertThat(commands, hasSize(5));
        assertThat(commands.get(1).expectation(), is("{\"status\":\"ok\"}"));
        assertThat("continuation lines are one command, checked by their last line's comment",
                   commands.get(2).expectation(), is("201 {\"a\":1}"));
        assertThat(commands.get(2).line(), is(15));
        assertThat("a function body runs as one command", commands.get(3).text(), containsString("echo \"in f\""));
        assertThat(commands.get(4).onlyComments(), is(true));
        Command console = blocks.get(2).commands().get(0);
        assertThat(console.text().strip(), is("curl -s localhost:8080/api/v1/echo?q=hi"));
        assertThat(console.expectation(), is("{\"echo\":\"hi\"}"));
    }

    @Test
    void aCommandMeetsItsExpectationOrSaysWhyNot() {
        Command json = command("{\"status\":\"ok\",\"items\":[{\"id\":\"…\"}]}");
        assertThat(DocsExamplesTest.problem(json, ok("{\"status\":\"ok\",\"items\":[{\"id\":7,\"x\":1}],\"more\":true}")), nullValue());
        assertThat(DocsExamplesTest.problem(json, ok("{\"status\":\"down\",\"items\":[{\"id\":7}]}")), containsString("expected JSON"));
        assertThat(DocsExamplesTest.problem(json, ok("{\"status\":\"ok\",\"items\":[]}")), containsString("expected JSON"));
        assertThat("a JSON line among other output", DocsExamplesTest.problem(command("{\"a\":1}"), ok("event: x\n{\"a\":1}\n204")), nullValue());

        Command status = command("204");
        assertThat(DocsExamplesTest.problem(status, new Result("", "", 0, List.of(204))), nullValue());
        assertThat(DocsExamplesTest.problem(status, new Result("", "", 0, List.of(400))), containsString("expected HTTP 204, got 400"));
        assertThat(DocsExamplesTest.problem(status, new Result("", "", 0, List.of())), containsString("no answer"));

        Command plain = command(null);
        assertThat(DocsExamplesTest.problem(plain, new Result("", "", 0, List.of(200, 201))), nullValue());
        assertThat(DocsExamplesTest.problem(plain, new Result("", "", 0, List.of(404))), containsString("HTTP 404"));
        assertThat(DocsExamplesTest.problem(plain, new Result("", "", 5, List.of(200))), containsString("exit code 5"));

        assertThat(DocsExamplesTest.problem(command("# TYPE"), ok("# TYPE a counter")), nullValue());
        assertThat(DocsExamplesTest.problem(command("# TYPE"), ok("nothing")), containsString("contain"));
        assertThat(DocsExamplesTest.problem(command("{broken"), ok("{}")), containsString("not valid JSON"));

        Command console = new Command(0, 1, "curl x\n", "{\"echo\":\"hi\"}", true);
        assertThat(DocsExamplesTest.problem(console, ok("{\"echo\":\"hi\"}")), nullValue());
        assertThat(DocsExamplesTest.problem(console, ok("{\"echo\":\"ho\"}")), containsString("expected JSON"));
    }

    private static Command command(String expectation) {
        return new Command(0, 1, "curl x\n", expectation, false);
    }

    private static Result ok(String output) {
        return new Result(output, "", 0, List.of(200));
    }
}

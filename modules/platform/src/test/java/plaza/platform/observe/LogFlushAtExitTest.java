package plaza.platform.observe;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import plaza.platform.http.Json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * A process stopped with SIGTERM right after a burst of log lines: every line the async logger accepted is
 * on stderr, those its shutdown hook logged last included, and the ones it dropped (queue full) are exactly
 * the ones counted. Every line is one JSON object.
 */
class LogFlushAtExitTest {

    private static final int BURST = 200_000;

    @Test
    void aStoppedProcessHasWrittenEveryLineItKept() throws Exception {
        Path stderr = Files.createTempFile("log-burst", ".log");
        try {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                 "-cp", System.getProperty("java.class.path"), LogBurst.class.getName(),
                                                 Integer.toString(BURST))
                    .redirectError(stderr.toFile()).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine(), is("burst logged"));
            }
            process.destroy(); // SIGTERM: the JVM's shutdown hooks run
            assertThat("stopped within 60 s", process.waitFor(60, TimeUnit.SECONDS), is(true));
            List<JsonNode> lines = Files.readAllLines(stderr).stream().map(Json::parse).toList();
            List<JsonNode> burst = lines.stream().filter(l -> l.path("logger").asText().equals("plaza.burst")).toList();
            JsonNode last = burst.getLast();
            assertThat(last.get("level").asText(), is("WARNING"));
            assertThat(last.get("message").asText().startsWith("dropped "), is(true));
            long dropped = Long.parseLong(last.get("message").asText().substring("dropped ".length()));
            long kept = burst.stream().filter(l -> l.get("message").asText().startsWith("line ")).count();
            assertThat(kept, greaterThan(0L));
            assertThat("lines written + lines counted as dropped", kept + dropped, is((long) BURST));
            assertThat(burst.stream().filter(l -> l.get("message").asText().startsWith("stopping ")).count(), is(100L));
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}

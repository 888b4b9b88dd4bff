package plaza.standalone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import plaza.platform.http.Json;

/**
 * Runs the shell examples of README.md and docs/*.md against a fresh standalone, like doctests, so the docs
 * cannot drift from the code.
 *
 * <p>What runs: every fenced block whose info string is {@code bash}, {@code sh}, {@code shell} or
 * {@code console}, in document order, all blocks of one document in one bash (so {@code TOKEN=…} set by one
 * block is there in the next), with {@code localhost:8080} rewritten to the test server's port and the
 * repository's {@code modules/} reachable from the working directory (a temp dir, so files the examples write
 * stay out of the checkout). A block preceded by {@code <!-- not-run: reason -->} (blank lines between allowed)
 * is not run and shows as a skipped test with that reason: blocks that need a cluster, Docker, helm, a paid
 * provider, an interactive tool, or that start the server themselves.
 *
 * <p>What is checked, per command (lines joined by a trailing {@code \}):
 * <ul>
 * <li>its exit code is 0, and every HTTP answer curl got in it is below 400 — unless its expectation names a
 * status;</li>
 * <li>its expectation, a trailing comment {@code # → …} or {@code # a note → …}: a status ({@code # → 204}: the last answer curl got
 * in that command), and/or JSON ({@code # → {"status":"ok"}}: the output, or one of its lines, is JSON that
 * contains it — objects by subset, arrays by elements found in any order, the string {@code "…"} matches any
 * value), or other text ({@code # → # TYPE}: the output contains it). {@code # → 201 {"name":"Ann"}} checks
 * both.</li>
 * <li>in {@code console} blocks, {@code $ } lines are commands and the lines after one are its expected
 * output (JSON as above, else each line must occur in the output).</li>
 * </ul>
 * A failure names the document, the command's line and its output. Commands get {@value #COMMAND_TIMEOUT_SECONDS}
 * s each; after a timeout the rest of that document is reported as not run.
 *
 * <p>The server runs as the README starts it (its own process), with the first admin from
 * {@code AUTH_ADMIN_EMAIL}/{@code AUTH_ADMIN_PASSWORD} set to what docs/auth.md says. The examples need bash,
 * curl and jq: without them the test is skipped, unless {@code PLAZA_DOCS_REQUIRE_TOOLS=true} (CI) makes that
 * a failure.
 */
class DocsExamplesTest {

    static final String ADMIN_EMAIL = "admin@example.com";
    static final String ADMIN_PASSWORD = "silver-Admin-Garden-9";
    private static final int COMMAND_TIMEOUT_SECONDS = 60;
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```+)\\s*([A-Za-z0-9_+-]*)(.*)$");
    private static final Pattern NOT_RUN = Pattern.compile("^\\s*<!--\\s*not-run:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern STATUS_FIRST = Pattern.compile("^(\\d{3})(?:\\s+(.*))?$");
    private static final Pattern END = Pattern.compile("^@@plaza-docs end (\\d+) rc=(\\d+) status=(.*)$");
    private static final Pattern BEGIN = Pattern.compile("^@@plaza-docs begin (\\d+)$");
    private static final String STDERR = "@@plaza-docs stderr";

    private static Path root;
    private static Path data;
    private static Path work;
    private static Process server;
    private static int port;
    private static String toolsMissing;

    @BeforeAll
    static void startStandalone() throws Exception {
        root = repositoryRoot();
        toolsMissing = missingTools();
        if (toolsMissing != null) {
            if (Boolean.parseBoolean(System.getenv("PLAZA_DOCS_REQUIRE_TOOLS"))) {
                throw new AssertionError("The docs examples need " + toolsMissing + " (apt-get install " + toolsMissing + ")");
            }
            return;
        }
        data = Files.createTempDirectory("plaza-docs-data");
        work = Files.createTempDirectory("plaza-docs-work");
        Files.createSymbolicLink(work.resolve("modules"), root.resolve("modules"));
        port = freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                               "-cp", System.getProperty("java.class.path"), Main.class.getName());
        pb.environment().put("STANDALONE_DATA_DIR", data.toString());
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("SERVER_HOST", "127.0.0.1");
        pb.environment().put("AUTH_ADMIN_EMAIL", ADMIN_EMAIL);
        pb.environment().put("AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.redirectErrorStream(true).redirectOutput(data.resolve("standalone.log").toFile());
        server = pb.start();
        awaitReady();
    }

    @AfterAll
    static void stopStandalone() throws Exception {
        if (server != null) {
            server.destroy(); // SIGTERM: databases stop with it
            if (!server.waitFor(90, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        for (Path dir : new Path[] {data, work}) {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicNode> docs() throws IOException {
        Path base = root != null ? root : repositoryRoot();
        List<Path> documents = new ArrayList<>();
        documents.add(base.resolve("README.md"));
        try (Stream<Path> pages = Files.list(base.resolve("docs"))) {
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path document : documents) {
            String name = base.relativize(document).toString();
            List<Block> blocks = blocks(name, Files.readAllLines(document, StandardCharsets.UTF_8));
            DocumentRun run = new DocumentRun(name, blocks);
            List<DynamicTest> tests = new ArrayList<>();
            for (Block block : blocks) {
                String title = name + ":" + block.line + " " + block.language + (block.notRun != null ? " (not run)" : "");
                tests.add(DynamicTest.dynamicTest(title, URI.create(document.toUri() + "?line=" + block.line), () -> {
                    if (block.notRun != null) {
                        System.out.println("skip  " + name + ":" + block.line + "  not run: " + block.notRun);
                    }
                    Assumptions.assumeTrue(block.notRun == null, () -> "not run: " + block.notRun);
                    Assumptions.assumeTrue(toolsMissing == null, () -> "not run: " + toolsMissing + " missing");
                    run.check(block);
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(name, tests.stream()));
        }
        return nodes.stream();
    }

    /** One fenced shell block and the commands in it. */
    record Block(String document, int line, String language, String notRun, List<Command> commands) {
    }

    /** One command of a block: its text (continuation lines joined), its first line, and what it must return. */
    record Command(int id, int line, String text, String expectation, boolean consoleOutput) {
        /** Only comments: nothing to run (an empty { } would be a syntax error). */
        boolean onlyComments() {
            return text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"));
        }
    }

    /** What a command did: its output (stdout), its stderr, exit code and the HTTP statuses curl received in it. */
    record Result(String output, String stderr, int exitCode, List<Integer> statuses) {
    }

    static List<Block> blocks(String document, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        String pendingNotRun = null;
        int commandIds = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher notRun = NOT_RUN.matcher(line);
            if (notRun.matches()) {
                pendingNotRun = notRun.group(1).isEmpty() ? "marked not-run" : notRun.group(1);
                continue;
            }
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches()) {
                if (!line.isBlank()) {
                    pendingNotRun = null;
                }
                continue;
            }
            String ticks = fence.group(1);
            String language = fence.group(2).toLowerCase(java.util.Locale.ROOT);
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).strip().equals(ticks)) {
                end++;
            }
            List<String> body = lines.subList(start, Math.min(end, lines.size()));
            if (Map.of("bash", 1, "sh", 1, "shell", 1, "console", 1).containsKey(language)) {
                List<Command> commands = new ArrayList<>();
                if (language.equals("console")) {
                    commandIds = consoleCommands(body, start + 1, commands, commandIds);
                } else {
                    commandIds = shellCommands(body, start + 1, commands, commandIds);
                }
                blocks.add(new Block(document, i + 1, language, pendingNotRun, commands));
            }
            pendingNotRun = null;
            i = end;
        }
        return blocks;
    }

    private static int shellCommands(List<String> body, int firstLine, List<Command> commands, int ids) {
        StringBuilder text = new StringBuilder();
        int startLine = -1;
        for (int k = 0; k < body.size(); k++) {
            String line = body.get(k);
            if (text.isEmpty() && line.isBlank()) {
                continue;
            }
            if (text.isEmpty()) {
                startLine = firstLine + k;
            }
            text.append(line).append('\n');
            String joined = text.toString();
            boolean continued = line.endsWith("\\") || !complete(joined);
            if (!continued || k == body.size() - 1) {
                commands.add(new Command(ids++, startLine, joined, expectation(line), false));
                text.setLength(0);
            }
        }
        return ids;
    }

    private static int consoleCommands(List<String> body, int firstLine, List<Command> commands, int ids) {
        for (int k = 0; k < body.size(); k++) {
            String line = body.get(k);
            if (!line.startsWith("$ ")) {
                continue;
            }
            StringBuilder text = new StringBuilder(line.substring(2)).append('\n');
            int startLine = firstLine + k;
            while (text.toString().strip().endsWith("\\") && k + 1 < body.size()) {
                text.append(body.get(++k)).append('\n');
            }
            StringBuilder expected = new StringBuilder();
            while (k + 1 < body.size() && !body.get(k + 1).startsWith("$ ")) {
                expected.append(body.get(++k)).append('\n');
            }
            String exp = expected.toString().strip();
            commands.add(new Command(ids++, startLine, text.toString(), exp.isEmpty() ? expectation(text.toString().strip()) : exp,
                                     !exp.isEmpty()));
        }
        return ids;
    }

    /**
     * True when {@code text} is a whole shell command (bash -n accepts it), false while a quote, a function body,
     * a loop or an {@code if} is still open — those lines run together, with no check between them.
     */
    static boolean complete(String text) {
        try {
            Process p = new ProcessBuilder("bash", "-n").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (var in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return !p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() == 0;
        } catch (IOException e) {
            return true; // no bash: the test is skipped anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** The text after {@code →} in the comment that ends {@code line} (what comes before it is a note), or null. */
    static String expectation(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    String comment = line.substring(i + 1);
                    int arrow = comment.indexOf('→');
                    return arrow < 0 ? null : comment.substring(arrow + 1).strip();
                }
            } else if (quote == '"' && c == '\\') {
                i++;
            } else if (c == quote) {
                quote = 0;
            }
        }
        return null;
    }

    /** One document's blocks, run in one bash the first time any of its blocks is checked. */
    static final class DocumentRun {
        private final String name;
        private final List<Block> blocks;
        private Map<Integer, Result> results;
        private String abort;
        private final StringBuilder stray = new StringBuilder();

        DocumentRun(String name, List<Block> blocks) {
            this.name = name;
            this.blocks = blocks;
        }

        void check(Block block) throws Exception {
            if (results == null) {
                run();
            }
            List<String> failures = new ArrayList<>();
            for (Command command : block.commands) {
                if (command.onlyComments()) {
                    continue;
                }
                Result result = results.get(command.id);
                String where = name + ":" + command.line + ": " + command.text.strip();
                if (result == null) {
                    failures.add(where + "\n  not run: " + (abort != null ? abort : "the shell ended before it")
                                 + (stray.isEmpty() ? "" : "\n  shell output outside the commands:\n" + indent(stray.toString().strip())));
                    continue;
                }
                String problem = problem(command, result);
                if (problem != null) {
                    failures.add(where + "\n  " + problem + "\n  output:\n" + indent(result.output)
                                 + (result.stderr.isEmpty() ? "" : "\n  stderr:\n" + indent(result.stderr)));
                }
                System.out.println((problem == null ? "ok    " : "FAIL  ") + name + ":" + command.line + "  "
                                   + command.text.strip().lines().findFirst().orElse(""));
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(String.join("\n\n", failures) + "\n\n(standalone log: " + data.resolve("standalone.log") + ")");
            }
        }

        private void run() throws Exception {
            results = new LinkedHashMap<>();
            Path headers = Files.createTempDirectory(work, "headers");
            StringBuilder script = new StringBuilder();
            script.append("cd '").append(work).append("'\n")
                    .append("__plaza_h='").append(headers).append("'\n")
                    // Every curl also writes its response headers to a file of its own, so the runner learns each status.
                    .append("curl() { command curl -D \"$__plaza_h/h.${EPOCHREALTIME/./}.$BASHPID.$RANDOM\" \"$@\"; }\n");
            for (Block block : blocks) {
                if (block.notRun != null) {
                    continue;
                }
                for (Command command : block.commands) {
                    if (command.onlyComments()) {
                        continue;
                    }
                    // stderr apart (curl's progress meter, jq's complaints): expectations are about stdout, failures show both
                    script.append("printf '\\n@@plaza-docs begin ").append(command.id).append("\\n'\n")
                            .append("{\n")
                            .append(command.text.replace("localhost:8080", "localhost:" + port)
                                            .replace("127.0.0.1:8080", "127.0.0.1:" + port))
                            .append("} 2>\"$__plaza_h/stderr\"\n")
                            .append("__plaza_rc=$?\n")
                            .append("printf '\\n@@plaza-docs stderr\\n'; cat \"$__plaza_h/stderr\"\n")
                            .append("__plaza_st=$(cat \"$__plaza_h\"/h.* 2>/dev/null | tr -d '\\r' | sed -nE 's#^HTTP/[0-9.]+ ([0-9]{3}).*#\\1#p' | tr '\\n' ' ')\n")
                            .append("rm -f \"$__plaza_h\"/h.*\n")
                            .append("printf '\\n@@plaza-docs end ").append(command.id).append(" rc=%s status=%s\\n' \"$__plaza_rc\" \"$__plaza_st\"\n");
                }
            }
            Path file = work.resolve(name.replace('/', '_') + ".sh");
            Files.writeString(file, script.toString());
            ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("LANG", "C.UTF-8");
            pb.environment().put("LC_ALL", "C.UTF-8");
            Process shell = pb.start();
            Map<Integer, StringBuilder> outputs = new LinkedHashMap<>();
            Map<Integer, StringBuilder> errors = new LinkedHashMap<>();
            long[] lastBegin = {System.nanoTime()};
            int[] current = {-1};
            boolean[] inStderr = {false};
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        Matcher begin = BEGIN.matcher(line);
                        Matcher end = END.matcher(line);
                        synchronized (outputs) {
                            if (begin.matches()) {
                                current[0] = Integer.parseInt(begin.group(1));
                                lastBegin[0] = System.nanoTime();
                                inStderr[0] = false;
                                outputs.put(current[0], new StringBuilder());
                                errors.put(current[0], new StringBuilder());
                            } else if (line.equals(STDERR) && current[0] >= 0) {
                                inStderr[0] = true;
                            } else if (end.matches()) {
                                int id = Integer.parseInt(end.group(1));
                                List<Integer> statuses = new ArrayList<>();
                                for (String s : end.group(3).trim().split("\\s+")) {
                                    if (!s.isEmpty()) {
                                        int status = Integer.parseInt(s);
                                        if (status >= 200 || status == 101) {
                                            statuses.add(status);
                                        }
                                    }
                                }
                                String out = outputs.getOrDefault(id, new StringBuilder()).toString();
                                String err = errors.getOrDefault(id, new StringBuilder()).toString();
                                results.put(id, new Result(out.strip(), err.strip(), Integer.parseInt(end.group(2)), statuses));
                                current[0] = -1;
                            } else if (current[0] >= 0) {
                                (inStderr[0] ? errors : outputs).get(current[0]).append(line).append('\n');
                            } else {
                                stray.append(line).append('\n'); // e.g. bash's own syntax errors
                            }
                        }
                    }
                } catch (IOException e) {
                    // the shell was killed
                }
            });
            while (shell.isAlive()) {
                shell.waitFor(200, TimeUnit.MILLISECONDS);
                synchronized (outputs) {
                    if (current[0] >= 0 && System.nanoTime() - lastBegin[0] > TimeUnit.SECONDS.toNanos(COMMAND_TIMEOUT_SECONDS)) {
                        int id = current[0];
                        abort = "an earlier command timed out";
                        results.put(id, new Result(outputs.get(id).toString().strip(), errors.get(id).toString().strip(), -1, List.of()));
                        shell.descendants().forEach(ProcessHandle::destroyForcibly);
                        shell.destroyForcibly();
                        break;
                    }
                }
            }
            reader.join(Duration.ofSeconds(10));
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Why {@code result} does not meet what {@code command} says it returns, or null when it does. */
    static String problem(Command command, Result result) {
        if (result.exitCode == -1) {
            return "timed out after " + COMMAND_TIMEOUT_SECONDS + " s";
        }
        if (result.exitCode != 0) {
            return "exit code " + result.exitCode;
        }
        Integer expectedStatus = null;
        String rest = command.expectation;
        if (rest != null && !command.consoleOutput) {
            Matcher m = STATUS_FIRST.matcher(rest);
            if (m.matches()) {
                expectedStatus = Integer.parseInt(m.group(1));
                rest = m.group(2);
            }
        }
        List<Integer> statuses = result.statuses;
        for (int k = 0; k < statuses.size(); k++) {
            boolean last = k == statuses.size() - 1;
            if (last && expectedStatus != null) {
                if (statuses.get(k) != expectedStatus.intValue()) {
                    return "expected HTTP " + expectedStatus + ", got " + statuses.get(k);
                }
            } else if (statuses.get(k) >= 400) {
                return "HTTP " + statuses.get(k) + " (an example that is meant to fail says so: # → " + statuses.get(k) + ")";
            }
        }
        if (expectedStatus != null && statuses.isEmpty()) {
            return "expected HTTP " + expectedStatus + ", but curl received no answer";
        }
        if (rest == null || rest.isBlank()) {
            return null;
        }
        rest = rest.strip();
        JsonNode expectedJson = null;
        if (rest.startsWith("{") || rest.startsWith("[") || rest.startsWith("\"")) {
            try {
                expectedJson = Json.parse(rest);
            } catch (RuntimeException e) {
                if (!command.consoleOutput) {
                    return "the expectation is not valid JSON: " + rest;
                }
            }
        }
        if (expectedJson != null) {
            List<String> candidates = new ArrayList<>();
            candidates.add(result.output);
            candidates.addAll(List.of(result.output.split("\n")));
            for (String candidate : candidates) {
                if (candidate.isBlank()) {
                    continue;
                }
                try {
                    if (contains(Json.parse(candidate.strip()), expectedJson)) {
                        return null;
                    }
                } catch (RuntimeException notJson) {
                    // try the next candidate
                }
            }
            return "expected JSON containing " + rest;
        }
        for (String line : command.consoleOutput ? rest.split("\n") : new String[] {rest}) {
            if (!line.isBlank() && !result.output.contains(line.strip())) {
                return "expected the output to contain: " + line.strip();
            }
        }
        return null;
    }

    /** Objects by subset, arrays by each expected element matching some element, "…" matches anything. */
    static boolean contains(JsonNode actual, JsonNode expected) {
        if (expected.isTextual() && expected.asText().equals("…")) {
            return actual != null && !actual.isMissingNode();
        }
        if (actual == null) {
            return false;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!actual.has(field.getKey()) || !contains(actual.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (!actual.isArray()) {
                return false;
            }
            for (JsonNode e : expected) {
                boolean found = false;
                for (JsonNode a : actual) {
                    found |= contains(a, e);
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

    private static String indent(String text) {
        String shown = text.length() > 4000 ? text.substring(0, 4000) + "\n…" : text;
        return shown.isEmpty() ? "    (none)" : "    " + shown.replace("\n", "\n    ");
    }

    private static String missingTools() {
        List<String> missing = new ArrayList<>();
        for (String tool : new String[] {"bash", "curl", "jq"}) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    missing.add(tool);
                }
            } catch (IOException | InterruptedException e) {
                missing.add(tool);
            }
        }
        return missing.isEmpty() ? null : String.join(" ", missing);
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
                && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("README.md and docs/ not found above " + System.getProperty("user.dir"));
    }

    private static void awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("standalone exited: " + Files.readString(data.resolve("standalone.log")));
            }
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                        .timeout(Duration.ofSeconds(10)).build();
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("standalone was not ready within 300 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

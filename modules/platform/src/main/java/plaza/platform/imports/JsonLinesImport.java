package plaza.platform.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import plaza.platform.http.Json;
import plaza.platform.http.Problem;
import plaza.platform.db.Transactions;
import plaza.platform.http.ProblemException;

/**
 * Bulk import from JSON Lines (one JSON object per line), validated row by row: a bad row is
 * reported with its line number and nothing of it is written; the good rows go in. Rows are read
 * and validated by a {@link RowReader}, then written in batches of {@value #BATCH_SIZE} per
 * transaction with a savepoint around each row, so a row the database refuses (a missing reference,
 * a constraint) is rolled back alone and reported like a validation error.
 *
 * @param <T> a validated row
 */
public final class JsonLinesImport<T> {

    /** Rows per transaction. */
    public static final int BATCH_SIZE = 200;
    /** Refused rows listed in a report; the count stays exact beyond it. */
    public static final int MAX_REPORTED_ERRORS = 100;
    /** Media types accepted for an import body (besides none at all). */
    public static final Set<String> MEDIA_TYPES = Set.of("application/x-ndjson", "application/jsonl",
            "application/x-jsonlines", "application/json-lines", "application/json", "text/plain");

    private static final System.Logger LOG = System.getLogger(JsonLinesImport.class.getName());

    /** Turns one parsed line into a valid row, or throws a 400 {@link ProblemException} naming the fields. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(JsonNode node);
    }

    /** Writes one valid row on {@code connection} (inside the batch transaction); may throw a {@link ProblemException}. */
    @FunctionalInterface
    public interface RowWriter<T> {
        void write(Connection connection, T row) throws SQLException;
    }

    private final DataSource dataSource;
    private final RowReader<T> reader;
    private final RowWriter<T> writer;

    public JsonLinesImport(DataSource dataSource, RowReader<T> reader, RowWriter<T> writer) {
        this.dataSource = dataSource;
        this.reader = reader;
        this.writer = writer;
    }

    /** Imports the body of an HTTP request (415 for a media type other than {@link #MEDIA_TYPES}). */
    public ImportReport run(ServerRequest req) {
        req.headers().contentType().ifPresent(type -> {
            String media = type.mediaType().text().toLowerCase(java.util.Locale.ROOT);
            if (!MEDIA_TYPES.contains(media)) {
                throw new ProblemException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type", "Unsupported media type",
                                           "Send JSON Lines (one JSON object per line) as application/x-ndjson, not " + media + ".");
            }
        });
        if (!req.content().hasEntity()) {
            throw ProblemException.badRequest("A JSON Lines request body is required.");
        }
        try (InputStream in = req.content().inputStream()) {
            return run(in);
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body could not be read: " + e.getMessage());
        }
    }

    /**
     * Imports a JSON Lines resource shipped on the classpath (demo data) and logs the outcome;
     * a missing or unreadable resource is a startup error.
     */
    public ImportReport runResource(String resource) {
        try (InputStream in = JsonLinesImport.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Demo data " + resource + " is missing from the classpath");
            }
            ImportReport report = run(in);
            LOG.log(report.failed() == 0 ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "Demo data " + resource + ": " + report.imported() + " imported, " + report.failed() + " refused"
                            + (report.errors().isEmpty() ? "" : " (first: line " + report.errors().getFirst().line() + " "
                            + report.errors().getFirst().errors() + ")"));
            return report;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read demo data " + resource, e);
        }
    }

    /** Imports every line of {@code in} (UTF-8; blank lines are skipped but counted). */
    public ImportReport run(InputStream in) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Progress progress = new Progress();
        List<Row<T>> batch = new ArrayList<>(BATCH_SIZE);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, decoder))) {
            String text;
            int line = 0;
            while ((text = readLine(lines, line + 1, progress)) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = Json.parse(text);
                    if (!node.isObject()) {
                        throw ProblemException.badRequest("Each line must be a JSON object.");
                    }
                    batch.add(new Row<>(line, reader.read(node)));
                } catch (ProblemException e) {
                    progress.refuse(line, e);
                }
                if (batch.size() >= BATCH_SIZE) {
                    write(batch, progress);
                    batch.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(batch, progress);
        return new ImportReport(progress.imported, progress.failed, List.copyOf(progress.errors),
                                progress.failed > progress.errors.size());
    }

    private static String readLine(BufferedReader lines, int lineNumber, Progress progress) throws IOException {
        try {
            return lines.readLine();
        } catch (CharacterCodingException e) {
            // The rest of the stream cannot be decoded reliably; stop here and say where.
            progress.refuse(lineNumber, ProblemException.badRequest("The body is not valid UTF-8 from this line on."));
            return null;
        }
    }

    private void write(List<Row<T>> batch, Progress progress) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            // Refusals are counted once the batch commits: a deadlocked batch is run again whole.
            Batch outcome = Transactions.run(dataSource, c -> {
                Batch done = new Batch();
                for (Row<T> row : batch) {
                    Savepoint savepoint = c.setSavepoint();
                    try {
                        writer.write(c, row.value());
                        c.releaseSavepoint(savepoint);
                        done.written++;
                    } catch (ProblemException e) {
                        c.rollback(savepoint);
                        done.refused.add(new Refusal(row.line(), e));
                    } catch (SQLException e) {
                        if (Transactions.aborted(e)) {
                            throw e; // the database rolled back the whole batch, savepoints included
                        }
                        c.rollback(savepoint);
                        done.refused.add(new Refusal(row.line(), refused(e)));
                    }
                }
                return done;
            });
            progress.imported += outcome.written;
            outcome.refused.forEach(r -> progress.refuse(r.line(), r.problem()));
        } catch (SQLException e) {
            throw new IllegalStateException("Import batch failed: " + e.getMessage(), e);
        }
    }

    private static final class Batch {
        int written;
        final List<Refusal> refused = new ArrayList<>();
    }

    private record Refusal(int line, ProblemException problem) {
    }

    private static ProblemException refused(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        LOG.log(System.Logger.Level.DEBUG, "Import row refused by the database: " + e.getMessage());
        String message = state.startsWith("23")
                ? "conflicts with data already stored (a duplicate or a missing reference)"
                : state.startsWith("22") ? "has a value the database cannot store (too long or out of range)"
                : "could not be stored";
        return ProblemException.validation(List.of(new Problem.FieldError("row", message)));
    }

    private record Row<T>(int line, T value) {
    }

    private static final class Progress {
        int imported;
        int failed;
        final List<ImportReport.RowError> errors = new ArrayList<>();

        void refuse(int line, ProblemException e) {
            failed++;
            if (errors.size() < MAX_REPORTED_ERRORS) {
                Problem p = e.problem(null);
                List<Problem.FieldError> fieldErrors = p.errors() != null && !p.errors().isEmpty()
                        ? p.errors() : List.of(new Problem.FieldError("line", p.detail()));
                errors.add(new ImportReport.RowError(line, fieldErrors));
            }
        }
    }
}

package plaza.platform.imports;

import java.util.List;

import plaza.platform.http.Problem;

/**
 * What a JSON Lines import did: how many rows went in, how many were refused, and for each refused
 * row (at most {@link JsonLinesImport#MAX_REPORTED_ERRORS} of them) its 1-based line number and why.
 */
public record ImportReport(int imported, int failed, List<RowError> errors, boolean errorsTruncated) {

    /** One refused row: nothing of it was written. */
    public record RowError(int line, List<Problem.FieldError> errors) {
    }
}

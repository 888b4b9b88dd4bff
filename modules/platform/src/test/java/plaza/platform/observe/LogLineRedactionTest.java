package plaza.platform.observe;

import java.sql.SQLIntegrityConstraintViolationException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * What reached the log before: a 500's SEVERE record whose exception quotes the request body (password, e-mails),
 * a JDBC driver's WARNING quoting the duplicate e-mail, a Bearer header and a JWT in a message, a token in a query.
 * Each must come out of the real logging path (JUL → Log4j → JSON line) without the secret, and the rest of the line intact.
 */
class LogLineRedactionTest {

    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
    private static LogLines lines;

    @BeforeAll
    static void capture() {
        lines = LogLines.capture();
    }

    @AfterAll
    static void release() {
        lines.close();
    }

    @Test
    void unhandledErrorsDoNotCarryTheBodysSecrets() throws Exception {
        LogRecord record = new LogRecord(Level.SEVERE, "Unhandled error on POST /auth/register");
        record.setLoggerName("plaza.platform.http.Problems");
        record.setThrown(new IllegalStateException("Unexpected end-of-input: Source: (String)\"{\"email\":\"kim@example.com\","
                + "\"password\":\"Hunter-Two-2\",\"new_password\":\"Other-Secret-3\",\"name\":\"Kim\"", // cut off mid-body
                new SQLIntegrityConstraintViolationException("Duplicate entry 'lee.k+x@mail.example.co.kr' for key 'uq_users_email'")));
        Logger.getLogger(record.getLoggerName()).log(record);
        String line = lines.awaitRaw("Unhandled error on POST /auth/register");
        for (String secret : new String[] {"kim@example.com", "Hunter-Two-2", "Other-Secret-3", "lee.k+x@mail.example.co.kr"}) {
            assertThat(line, not(containsString(secret)));
        }
        assertThat(line, containsString("\"level\":\"SEVERE\""));
        assertThat(line, containsString("uq_users_email"));
        assertThat(line, containsString("\\\"name\\\":\\\"Kim\\\""));
    }

    @Test
    void driverWarningsAndTokensAreRedacted() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "Error: 1062-23000: Duplicate entry '김@예시.한국' for key 'uq_users_email'; "
                + "Authorization: Bearer abc.def-ghi; id " + JWT + "; GET /chat/ws?token=opaque123&x=1; \"refreshToken\": \"r-3\"");
        record.setLoggerName("org.mariadb.jdbc.message.server.ErrorPacket");
        // The logging configuration keeps the driver to errors; whatever a level lets through is redacted all the same.
        Logger driver = Logger.getLogger(record.getLoggerName());
        driver.setLevel(Level.ALL);
        org.apache.logging.log4j.core.config.Configurator.setLevel("org.mariadb.jdbc", org.apache.logging.log4j.Level.ALL);
        driver.log(record);
        String line = lines.awaitRaw("Error: 1062-23000");
        for (String secret : new String[] {"김@예시.한국", "abc.def-ghi", JWT, "opaque123", "r-3"}) {
            assertThat(line, not(containsString(secret)));
        }
        assertThat(line, containsString("x=1"));
    }

    @Test
    void accessLogLinesAreUntouched() throws Exception {
        String access = "GET /kok/products/101 200 1.2ms 127.0.0.1";
        assertThat(LogRedaction.redact(access), is(access));
        System.getLogger("plaza.access").log(System.Logger.Level.INFO, access);
        assertThat(lines.await(l -> l.path("logger").asText().equals("plaza.access")).get("message").asText(), is(access));
    }
}

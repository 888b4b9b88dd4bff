package plaza.platform.observe;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.logging.common.LogConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import plaza.platform.http.Json;

/**
 * For tests: the log lines as the process writes them to stderr, from an extra appender on Log4j's root
 * with the stderr appender's own layout, fed by the async logger's thread as stderr is. Sets logging up
 * as each Main does (logging.properties through LogConfig), so records take the same paths.
 */
public final class LogLines implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> unredacted = new CopyOnWriteArrayList<>();
    private final Appender appender;
    private final LoggerContext context;

    private LogLines() {
        LogConfig.configureRuntime();
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = new AbstractAppender("captured-" + System.identityHashCode(this), null,
                                        config.getAppender("stderr").getLayout(), false, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                unredacted.add(event.getLoggerName() + " " + event.getLevel() + " " + event.getMessage().getFormattedMessage()
                               + (event.getThrown() == null ? "" : " " + event.getThrown()));
                lines.add(new String(getLayout().toByteArray(event), StandardCharsets.UTF_8));
            }
        };
        appender.start();
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    /** Starts capturing every line written from now on. */
    public static LogLines capture() {
        return new LogLines();
    }

    /** The lines written so far, as written (each ends with a newline). */
    public List<String> raw() {
        return List.copyOf(lines);
    }

    /**
     * What was logged so far as {@code logger LEVEL message[ exception]}, before the layout's redaction: what
     * Plaza's code itself put in its log records.
     */
    public List<String> unredacted() {
        return List.copyOf(unredacted);
    }

    /** The first line matching {@code test}, waiting up to 10 s for the logging thread to write it. */
    public JsonNode await(Predicate<JsonNode> test) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            Optional<JsonNode> found = lines.stream().map(Json::parse).filter(test).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such log line within 10 s; written: " + lines);
    }

    /** Waits until everything logged before this call has been written (the queue is first in, first out). */
    public void sync() throws InterruptedException {
        String marker = "log lines captured up to here #" + System.nanoTime();
        System.getLogger(LogLines.class.getName()).log(System.Logger.Level.INFO, marker);
        await(l -> l.path("message").asText().equals(marker));
    }

    /** The raw line of the first line whose message starts with {@code prefix}. */
    public String awaitRaw(String messagePrefix) throws InterruptedException {
        await(l -> l.path("message").asText().startsWith(messagePrefix));
        return lines.stream().filter(l -> Json.parse(l).path("message").asText().startsWith(messagePrefix)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}

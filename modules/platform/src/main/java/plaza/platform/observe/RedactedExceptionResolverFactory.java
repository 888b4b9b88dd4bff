package plaza.platform.observe;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;

/**
 * {@code {"$resolver": "redactedException"}}: the thrown exception's whole stack trace as one string,
 * {@link LogRedaction redacted}; the field is left out when nothing was thrown.
 */
@Plugin(name = "RedactedExceptionResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class RedactedExceptionResolverFactory implements EventResolverFactory {

    private static final RedactedExceptionResolverFactory INSTANCE = new RedactedExceptionResolverFactory();
    private static final EventResolver RESOLVER = new EventResolver() {
        @Override
        public boolean isResolvable(LogEvent event) {
            return event.getThrown() != null;
        }

        @Override
        public void resolve(LogEvent event, JsonWriter json) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            json.writeString(LogRedaction.redact(trace.toString()));
        }
    };

    private RedactedExceptionResolverFactory() {
    }

    @PluginFactory
    public static RedactedExceptionResolverFactory getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return "redactedException";
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
        return RESOLVER;
    }
}

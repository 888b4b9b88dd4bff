package plaza.platform.observe;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;

/** {@code {"$resolver": "redactedMessage"}}: the formatted message, {@link LogRedaction redacted}. */
@Plugin(name = "RedactedMessageResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class RedactedMessageResolverFactory implements EventResolverFactory {

    private static final RedactedMessageResolverFactory INSTANCE = new RedactedMessageResolverFactory();
    private static final EventResolver RESOLVER = (event, json) -> json.writeString(LogRedaction.redact(message(event)));

    private RedactedMessageResolverFactory() {
    }

    @PluginFactory
    public static RedactedMessageResolverFactory getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return "redactedMessage";
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
        return RESOLVER;
    }

    private static String message(LogEvent event) {
        return event.getMessage() == null ? null : event.getMessage().getFormattedMessage();
    }
}

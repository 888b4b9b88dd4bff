package plaza.platform.observe;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;

/**
 * {@code {"$resolver": "julLevel"}}: the level under the java.util.logging name Plaza's log lines have
 * always carried ({@code SEVERE}, {@code WARNING}, {@code INFO}, {@code FINE}…), which alerts and
 * log queries match on; Log4j's bridge translates SEVERE to ERROR and WARNING to WARN on the way in.
 */
@Plugin(name = "JulLevelResolverFactory", category = TemplateResolverFactory.CATEGORY)
public final class JulLevelResolverFactory implements EventResolverFactory {

    private static final JulLevelResolverFactory INSTANCE = new JulLevelResolverFactory();
    private static final EventResolver RESOLVER = (event, json) -> json.writeString(julName(event.getLevel()));

    private JulLevelResolverFactory() {
    }

    @PluginFactory
    public static JulLevelResolverFactory getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return "julLevel";
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
        return RESOLVER;
    }

    static String julName(Level level) {
        return switch (level.name()) {
            case "FATAL", "ERROR" -> "SEVERE";
            case "WARN" -> "WARNING";
            case "DEBUG" -> "FINE";
            case "TRACE" -> "FINER";
            default -> level.name(); // INFO, and the bridge's own CONFIG and FINEST
        };
    }
}

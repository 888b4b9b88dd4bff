package plaza.web;

import java.util.List;

import io.helidon.logging.common.LogConfig;
import plaza.platform.PlazaServer;
import plaza.platform.config.PlazaConfig;

/**
 * Runs the web app alone: {@code java -jar plaza-web.jar} (env PORT). It serves only the static files: the
 * API prefixes must reach their services through the same origin (an ingress or HTTPRoute in front).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        PlazaServer.start(PlazaConfig.load(), List.of(WebApp.create()));
    }
}

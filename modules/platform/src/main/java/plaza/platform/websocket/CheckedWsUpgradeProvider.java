package plaza.platform.websocket;

import io.helidon.common.Weight;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1UpgradeProvider;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.websocket.WsConfig;

/**
 * Replaces Helidon's WebSocket upgrade provider (same {@code websocket} config, higher weight, so
 * Helidon keeps this one for the protocol) with {@link CheckedWsUpgrader}. Registered in
 * {@code META-INF/services}; every Plaza server gets it by having platform on the classpath.
 */
@Weight(200)
public final class CheckedWsUpgradeProvider implements Http1UpgradeProvider<WsConfig> {

    /** For the service loader. */
    public CheckedWsUpgradeProvider() {
    }

    @Override
    public String protocolType() {
        return "websocket";
    }

    @Override
    public Class<WsConfig> protocolConfigType() {
        return WsConfig.class;
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new CheckedWsUpgrader(config);
    }
}

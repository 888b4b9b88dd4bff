package plaza.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.StaticContentService;
import plaza.platform.PlazaService;

/**
 * The shopper web app at {@code /}: {@code index.html} (revalidated: {@code no-cache} + ETag), the app's ES
 * modules under {@code /app/<content hash>/} and the WebJars under {@code /webjars/<name>/<version>/} (both
 * immutable, cached a year: a new build has a new hash, a new library a new version), every answer with a
 * strict Content-Security-Policy. Mounted last, so every API route wins over it.
 */
public final class WebApp implements PlazaService {

    /** No inline script or style anywhere; connections only to this origin (REST and its WebSockets). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Header CSP = HeaderValues.create("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    private static final Header NOSNIFF = HeaderValues.create("X-Content-Type-Options", "nosniff");
    private static final Header REFERRER = HeaderValues.create("Referrer-Policy", "strict-origin-when-cross-origin");
    private static final Header CACHE_IMMUTABLE = HeaderValues.create(HeaderNames.CACHE_CONTROL, IMMUTABLE);
    private static final Header CACHE_REVALIDATE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-cache");

    private static final Predicate<Method> GET_OR_HEAD = Method.predicate(Method.GET, Method.HEAD);

    private final String appPath;
    private final byte[] index;
    private final String indexTag;

    /** WebJar files the app uses, kept in memory like the app's own (so sent whole, and so gzip-compressed). */
    private static final List<String> WEBJAR_FILES = List.of("dompurify/3.2.4/dist/purify.es.mjs", "marked/15.0.7/lib/marked.esm.js");

    private final List<String> appFiles = new ArrayList<>();

    private WebApp() {
        String hash = contentHash("web/app", appFiles);
        this.appPath = "/app/" + hash;
        this.index = resource("web/index.html").replace("{{app}}", appPath).getBytes(StandardCharsets.UTF_8);
        // Weak: the same page gzip-compressed is other bytes but, to a client, the same representation.
        this.indexTag = "W/\"" + hash + "\"";
    }

    public static WebApp create() {
        return new WebApp();
    }

    @Override
    public String name() {
        return "web";
    }

    /** Where this build's modules are: {@code /app/<hash>}. */
    public String appPath() {
        return appPath;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        Handler immutable = (req, res) -> {
            securityHeaders(res);
            res.header(CACHE_IMMUTABLE);
            res.next();
        };
        routing.route(GET_OR_HEAD, PathMatchers.create("/"), this::index)
                .route(GET_OR_HEAD, PathMatchers.create("/index.html"), this::index)
                .route(GET_OR_HEAD, PathMatchers.create(appPath + "/*"), immutable)
                .register(appPath, files("web/app", appFiles))
                .route(GET_OR_HEAD, PathMatchers.create("/webjars/*"), immutable)
                .register("/webjars", files("META-INF/resources/webjars", WEBJAR_FILES));
    }

    /**
     * Class-path files; text types say UTF-8 (the app's strings are Korean). The listed ones are held in memory:
     * Helidon sends those whole, which the platform's gzip compresses (files streamed from the jar it cannot).
     */
    private static StaticContentService files(String root, List<String> inMemory) {
        var builder = StaticContentService.builder(root);
        inMemory.forEach(builder::addCacheInMemory);
        return builder
                .contentType("js", MediaTypes.create("text/javascript; charset=UTF-8"))
                .contentType("mjs", MediaTypes.create("text/javascript; charset=UTF-8"))
                .contentType("css", MediaTypes.create("text/css; charset=UTF-8"))
                .build();
    }

    private void index(ServerRequest req, ServerResponse res) {
        securityHeaders(res);
        res.header(CACHE_REVALIDATE);
        res.header(HeaderNames.ETAG, indexTag);
        String ifNoneMatch = req.headers().first(HeaderNames.IF_NONE_MATCH).orElse("");
        if (ifNoneMatch.contains(indexTag.substring(2)) || ifNoneMatch.trim().equals("*")) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8");
        res.send(index);
    }

    private static void securityHeaders(ServerResponse res) {
        res.header(CSP);
        res.header(NOSNIFF);
        res.header(REFERRER);
    }

    private static String resource(String name) {
        try (InputStream in = WebApp.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The web app is missing " + name + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 over every file's name and bytes under a class-path directory (in a jar or not), 12 hex digits. */
    static String contentHash(String directory, List<String> files) {
        try {
            URI uri = WebApp.class.getClassLoader().getResource(directory).toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return hash(jar.getPath(directory), files);
                }
            }
            return hash(Path.of(uri), files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("The web app is missing " + directory + " on the class path", e);
        }
    }

    private static String hash(Path root, List<String> names) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = root.relativize(file).toString().replace('\\', '/');
            names.add(name);
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }
}

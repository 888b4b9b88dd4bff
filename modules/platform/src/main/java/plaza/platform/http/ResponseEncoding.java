package plaza.platform.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.GZIPOutputStream;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpMediaType;
import io.helidon.http.WritableHeaders;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.encoding.ContentEncodingContextConfig;

/**
 * Plaza's content coding, in Helidon's own hook for it (the listener's {@link ContentEncodingContext}):
 * <ul>
 * <li>responses of at least {@code minSize} bytes with a text or JSON type are gzip-compressed
 * when the client accepts gzip (a 35 KB product page, 120 KB of metrics); smaller ones — the
 * benchmark's {@code /health} and echo — are sent as they are, since compressing a few bytes costs
 * more than it saves. Helidon's gzip encoding compresses every body, however small, so it is not used;</li>
 * <li>HEAD answers carry the GET's headers and Content-Length but no body ({@link HttpFraming}
 * routes HEAD to GET);</li>
 * <li>request bodies are never decoded: {@link HttpFraming} answers 415 to any Content-Encoding
 * before a handler reads the body. Decoding is claimed here only so that Helidon does not answer
 * such a request with a bare 400 before routing.</li>
 * </ul>
 * Only bodies sent whole ({@code res.send(...)}) are compressed: a streamed body (server-sent
 * events) must reach the client as it is written.
 */
public final class ResponseEncoding implements ContentEncodingContext {

    /** Smallest body compressed by default: below about one packet, gzip saves nothing that matters. */
    public static final int DEFAULT_MIN_SIZE = 1024;

    private final int minSize;

    /** @param minSize smallest body to compress, in bytes; negative for never */
    public ResponseEncoding(int minSize) {
        this.minSize = minSize;
    }

    @Override
    public boolean contentEncodingEnabled() {
        return true;
    }

    @Override
    public boolean contentDecodingEnabled() {
        return true;
    }

    @Override
    public boolean contentEncodingSupported(String encodingId) {
        return "gzip".equals(encodingId) || "identity".equals(encodingId);
    }

    @Override
    public boolean contentDecodingSupported(String encodingId) {
        return true;
    }

    @Override
    public ContentEncoder encoder(String encodingId) throws NoSuchElementException {
        if ("gzip".equals(encodingId)) {
            return new Encoder(true, false);
        }
        if ("identity".equals(encodingId)) {
            return ContentEncoder.NO_OP;
        }
        throw new NoSuchElementException("No content encoding " + encodingId);
    }

    @Override
    public ContentDecoder decoder(String encodingId) {
        return ContentDecoder.NO_OP;
    }

    @Override
    public ContentEncoder encoder(Headers requestHeaders) {
        HttpFraming framing = HttpFraming.current();
        boolean head = framing != null && framing.head();
        boolean gzip = minSize >= 0 && acceptsGzip(requestHeaders);
        if (!head && !gzip) {
            return ContentEncoder.NO_OP; // the benchmark path: no copy, no header
        }
        return new Encoder(gzip, head);
    }

    @Override
    public ContentEncodingContextConfig prototype() {
        return ContentEncodingContextConfig.builder().contentEncodingsDiscoverServices(false).buildPrototype();
    }

    /** Whether Accept-Encoding names gzip (or *) with a non-zero weight; malformed entries are skipped, never an error. */
    static boolean acceptsGzip(Headers requestHeaders) {
        if (!requestHeaders.contains(HeaderNames.ACCEPT_ENCODING)) {
            return false;
        }
        for (String value : requestHeaders.get(HeaderNames.ACCEPT_ENCODING).allValues(true)) {
            String[] parts = value.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim().toLowerCase(Locale.ROOT);
                if (param.startsWith("q=")) {
                    refused = param.substring(2).trim().matches("0(\\.0{0,3})?");
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }

    private static boolean compressible(WritableHeaders<?> responseHeaders) {
        if (responseHeaders == null) {
            return true; // an error answer sent after the filter, or the observe port: all of Plaza's bodies are text
        }
        if (responseHeaders.contains(HeaderNames.CONTENT_ENCODING)) {
            return false;
        }
        try {
            HttpMediaType type = responseHeaders.contentType().orElse(null);
            if (type == null) {
                return false;
            }
            String main = type.mediaType().type();
            String subtype = type.mediaType().subtype();
            return main.equals("text") || subtype.equals("json") || subtype.endsWith("+json") || subtype.endsWith("xml");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * One response's coding. Helidon calls {@link #apply} then {@link #headers} for a body sent whole
     * (into a byte array), and the other way round for a streamed one.
     */
    private final class Encoder implements ContentEncoder {
        private final boolean gzip;
        private final boolean head;
        private boolean buffered;
        private boolean compressed;
        private long length;

        Encoder(boolean gzip, boolean head) {
            this.gzip = gzip;
            this.head = head;
        }

        @Override
        public OutputStream apply(OutputStream network) {
            if (!(network instanceof ByteArrayOutputStream)) {
                // Streamed: never compressed; a HEAD answer drops what the route writes.
                return head ? OutputStream.nullOutputStream() : network;
            }
            buffered = true;
            return new ByteArrayOutputStream() {
                @Override
                public void close() throws IOException {
                    byte[] body = toByteArray();
                    HttpFraming framing = HttpFraming.current();
                    if (gzip && body.length >= minSize && compressible(framing == null ? null : framing.responseHeaders())) {
                        ByteArrayOutputStream zipped = new ByteArrayOutputStream(body.length / 4 + 64);
                        try (GZIPOutputStream out = new GZIPOutputStream(zipped, 8192)) {
                            out.write(body);
                        }
                        body = zipped.toByteArray();
                        compressed = true;
                    }
                    length = body.length;
                    if (!head) {
                        network.write(body);
                    }
                }
            };
        }

        @Override
        public void headers(WritableHeaders<?> headers) {
            if (!buffered) {
                return;
            }
            if (gzip) {
                headers.add(HeaderValues.create(HeaderNames.VARY, "Accept-Encoding"));
            }
            if (compressed) {
                headers.set(HeaderValues.create(HeaderNames.CONTENT_ENCODING, "gzip"));
                headers.remove(HeaderNames.CONTENT_LENGTH);
            }
            if (head) {
                headers.set(HeaderValues.create(HeaderNames.CONTENT_LENGTH, String.valueOf(length)));
            }
        }
    }
}

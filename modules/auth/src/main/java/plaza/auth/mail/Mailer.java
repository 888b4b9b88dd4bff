package plaza.auth.mail;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.helidon.config.Config;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import plaza.auth.AuthMetrics;

/**
 * Sends account mails over real SMTP (Jakarta Mail / Angus), in the background so that answering a request
 * takes the same time whether a mail went out or not. Config {@code auth.smtp.*}: {@code host} (none: mails
 * are not sent, and that is logged once), {@code port} (587, or 465 with {@code ssl}), {@code username},
 * {@code password}, {@code starttls} (true: upgrade when the server offers it), {@code starttls-required}
 * (false), {@code ssl} (false: implicit TLS), {@code timeout} (PT10S); {@code auth.mail.from}
 * ("Plaza &lt;no-reply@localhost&gt;").
 */
public final class Mailer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Mailer.class.getName());

    private final Session session;
    private final String username;
    private final String password;
    private final InternetAddress from;
    private final AuthMetrics metrics;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean warned;

    private Mailer(Session session, String username, String password, InternetAddress from, AuthMetrics metrics) {
        this.session = session;
        this.username = username;
        this.password = password;
        this.from = from;
        this.metrics = metrics;
    }

    /** A mailer for {@code auth.smtp.*}; {@code host}/{@code port} override the config (standalone's dev mailbox). */
    public static Mailer create(Config auth, String hostOverride, Integer portOverride, AuthMetrics metrics) {
        Config smtp = auth.get("smtp");
        String host = hostOverride != null ? hostOverride : smtp.get("host").asString().asOptional().filter(s -> !s.isBlank()).orElse(null);
        boolean ssl = hostOverride == null && smtp.get("ssl").asBoolean().orElse(false);
        int port = portOverride != null ? portOverride : smtp.get("port").asInt().orElse(ssl ? 465 : 587);
        long timeout = smtp.get("timeout").as(Duration.class).orElse(Duration.ofSeconds(10)).toMillis();
        String username = hostOverride != null ? null : smtp.get("username").asString().asOptional().filter(s -> !s.isBlank()).orElse(null);
        String password = hostOverride != null ? null : smtp.get("password").asString().orElse(null);
        Properties props = new Properties();
        Session session = null;
        if (host != null) {
            props.put("mail.transport.protocol", "smtp");
            props.put("mail.smtp.host", host);
            props.put("mail.smtp.port", String.valueOf(port));
            props.put("mail.smtp.auth", String.valueOf(username != null));
            props.put("mail.smtp.starttls.enable", String.valueOf(hostOverride == null && smtp.get("starttls").asBoolean().orElse(true)));
            props.put("mail.smtp.starttls.required", String.valueOf(hostOverride == null && smtp.get("starttls-required").asBoolean().orElse(false)));
            props.put("mail.smtp.ssl.enable", String.valueOf(ssl));
            props.put("mail.smtp.ssl.checkserveridentity", "true");
            props.put("mail.smtp.connectiontimeout", String.valueOf(timeout));
            props.put("mail.smtp.timeout", String.valueOf(timeout));
            props.put("mail.smtp.writetimeout", String.valueOf(timeout));
            session = Session.getInstance(props);
        }
        String fromText = auth.get("mail.from").asString().orElse("Plaza <no-reply@localhost>");
        try {
            return new Mailer(session, username, password, new InternetAddress(fromText, true), metrics);
        } catch (AddressException e) {
            throw new IllegalStateException("auth.mail.from is not an address: " + e.getMessage(), e);
        }
    }

    public boolean configured() {
        return session != null;
    }

    /** Queues a plain-text mail; {@code kind} labels the metric ({@code password_reset}, {@code verification}). */
    public void send(String to, String subject, String text, String kind) {
        if (session == null) {
            metrics.mail(kind, "unconfigured");
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "auth.smtp.host (env AUTH_SMTP_HOST) is not set: account mails are not being sent");
            }
            return;
        }
        executor.submit(() -> deliver(to, subject, text, kind));
    }

    private void deliver(String to, String subject, String text, String kind) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            message.setSubject(subject, StandardCharsets.UTF_8.name());
            message.setSentDate(new Date());
            message.setText(text, StandardCharsets.UTF_8.name());
            if (username != null) {
                Transport.send(message, username, password);
            } else {
                Transport.send(message);
            }
            metrics.mail(kind, "sent");
        } catch (MessagingException | RuntimeException e) {
            metrics.mail(kind, "failed");
            // Never the address or the body (it holds a token): the kind and the SMTP error only.
            LOG.log(Level.WARNING, "Sending a " + kind + " mail failed: " + e.getClass().getSimpleName()
                                   + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())));
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** Waits a little for queued mails, then stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

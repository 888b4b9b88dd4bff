package plaza.auth.mail;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * Standalone's mail server: a real SMTP server (GreenMail) inside the process on 127.0.0.1, which auth's
 * {@link Mailer} sends to like to any other; {@code GET /auth/dev/outbox} shows what it received, so
 * forgot-password and verification work end to end on a laptop with no mail server. Mails are kept in
 * memory (the newest {@code auth.dev-mail.keep}, 200) until the process stops.
 */
public final class DevMailbox implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DevMailbox.class.getName());
    private static final Pattern LINK = Pattern.compile("https?://\\S+");
    private static final Pattern TOKEN = Pattern.compile("^\\s*([A-Za-z0-9_-]{43})\\s*$", Pattern.MULTILINE);

    /** GreenMail logs every new mailbox's address at INFO; kept quiet (and referenced, so the level sticks). */
    private static final java.util.logging.Logger GREENMAIL_LOG = java.util.logging.Logger.getLogger("com.icegreen");

    private final GreenMail greenMail;
    private final int port;
    private final int keep;

    private DevMailbox(GreenMail greenMail, int port, int keep) {
        this.greenMail = greenMail;
        this.port = port;
        this.keep = keep;
    }

    /** Starts the SMTP server on 127.0.0.1 ({@code port} 0: any free port). */
    public static DevMailbox start(int port, int keep) {
        GREENMAIL_LOG.setLevel(java.util.logging.Level.WARNING);
        int chosen = port > 0 ? port : freePort();
        GreenMail greenMail = new GreenMail(new ServerSetup(chosen, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        LOG.log(Level.INFO, "Dev mailbox: SMTP on 127.0.0.1:" + chosen + "; read the mails at GET /auth/dev/outbox");
        return new DevMailbox(greenMail, chosen, keep);
    }

    public int port() {
        return port;
    }

    /** One received mail, with the links and tokens found in its text. */
    public record Mail(List<String> to, String subject, @JsonProperty("received_at") Instant receivedAt, String text,
                       List<String> links, List<String> tokens) {
    }

    /** Received mails, newest first, optionally only those to {@code to}. */
    public List<Mail> mails(String to) {
        MimeMessage[] received = greenMail.getReceivedMessages();
        List<Mail> mails = new ArrayList<>();
        for (int i = received.length - 1; i >= 0 && mails.size() < keep; i--) {
            try {
                Mail mail = read(received[i]);
                if (to == null || mail.to().stream().anyMatch(a -> a.equalsIgnoreCase(to.strip()))) {
                    mails.add(mail);
                }
            } catch (MessagingException | IOException e) {
                LOG.log(Level.DEBUG, "Skipping an unreadable mail: " + e.getMessage());
            }
        }
        return mails;
    }

    private static Mail read(MimeMessage message) throws MessagingException, IOException {
        Address[] recipients = message.getAllRecipients();
        List<String> to = recipients == null ? List.of() : Arrays.stream(recipients).map(Address::toString).toList();
        Object content = message.getContent();
        String text = content instanceof String s ? s : String.valueOf(content);
        List<String> links = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            links.add(m.group());
        }
        List<String> tokens = new ArrayList<>();
        Matcher t = TOKEN.matcher(text);
        while (t.find()) {
            tokens.add(t.group(1));
        }
        Instant received = message.getSentDate() == null ? null : message.getSentDate().toInstant();
        return new Mail(to, message.getSubject(), received, text.replace("\r\n", "\n"), links, tokens);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for the dev mailbox", e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}

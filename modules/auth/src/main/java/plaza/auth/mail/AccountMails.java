package plaza.auth.mail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.helidon.config.Config;

/**
 * The texts of account mails and the links in them. {@code auth.public-url} (http://localhost:8080) is where
 * users reach Plaza; {@code auth.mail.reset-url} and {@code auth.mail.verify-url} are link templates with
 * {@code {public-url}} and {@code {token}} ({@code {public-url}/auth/reset-password?token={token}} and
 * {@code {public-url}/auth/verify-email?token={token}}: pages that consume the token only when the user
 * submits them, by POST, so mail scanners that open links cannot use it up). {@code auth.mail.product-name}
 * ("Plaza") names the product in subjects.
 */
public final class AccountMails {

    private final Mailer mailer;
    private final String publicUrl;
    private final String resetTemplate;
    private final String verifyTemplate;
    private final String product;

    public AccountMails(Mailer mailer, Config auth) {
        this.mailer = mailer;
        String url = auth.get("public-url").asString().orElse("http://localhost:8080");
        this.publicUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.resetTemplate = auth.get("mail.reset-url").asString().orElse("{public-url}/auth/reset-password?token={token}");
        this.verifyTemplate = auth.get("mail.verify-url").asString().orElse("{public-url}/auth/verify-email?token={token}");
        this.product = auth.get("mail.product-name").asString().orElse("Plaza");
    }

    public void passwordReset(String to, String name, String token, Duration ttl) {
        String link = link(resetTemplate, token);
        mailer.send(to, "Reset your " + product + " password", """
                Hello %s,

                Someone (hopefully you) asked to reset the password of your %s account.
                Open this link to choose a new password:

                %s

                If the link does not open when you click it, copy it into your browser's address bar.
                If the %s app asks you for a reset code, enter this one:

                %s

                It works once and expires in %s. If you did not ask for this, ignore this mail:
                your password stays as it is.
                """.formatted(name, product, link, product, token, human(ttl)), "password_reset");
    }

    public void verification(String to, String name, String token, Duration ttl) {
        String link = link(verifyTemplate, token);
        mailer.send(to, "Confirm your email address for " + product, """
                Hello %s,

                Please confirm that this is your email address by opening this link and pressing "Confirm":

                %s

                If the link does not open when you click it, copy it into your browser's address bar.
                If the %s app asks you for a confirmation code, enter this one:

                %s

                It works once and expires in %s. If you did not create a %s account, ignore this mail.
                """.formatted(name, link, product, token, human(ttl), product), "verification");
    }

    private String link(String template, String token) {
        return template.replace("{public-url}", publicUrl).replace("{token}", URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    private static String human(Duration d) {
        if (d.toDays() >= 1 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
            return d.toDays() == 1 ? "24 hours" : d.toDays() + " days";
        }
        if (d.toHours() >= 1 && d.toMinutesPart() == 0) {
            return d.toHours() == 1 ? "1 hour" : d.toHours() + " hours";
        }
        return Math.max(1, d.toMinutes()) + " minutes";
    }
}

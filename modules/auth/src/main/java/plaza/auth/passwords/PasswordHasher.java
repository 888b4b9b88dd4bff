package plaza.auth.passwords;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import io.helidon.config.Config;

/**
 * Argon2id password hashes in PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) through
 * the reference C implementation (argon2-jvm). OWASP's parameters by default: 19 MiB, 2 iterations,
 * parallelism 1. Because the parameters are written into every hash, a login can tell that a stored hash
 * uses older parameters and rehash it. At most {@code max-concurrent} hashes run at once (each needs its
 * memory), so a burst of logins queues instead of exhausting memory.
 *
 * <p>Config {@code auth.password.argon2.*}: {@code memory-kib} (19456), {@code iterations} (2),
 * {@code parallelism} (1), {@code max-concurrent} (2 × cores).
 */
public final class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, SALT_BYTES, HASH_BYTES);
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final Semaphore permits;
    private final String dummyHash;

    public PasswordHasher(int memoryKib, int iterations, int parallelism, int maxConcurrent) {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("Invalid Argon2id parameters: m=" + memoryKib + " KiB, t=" + iterations
                                               + ", p=" + parallelism + ", max-concurrent=" + maxConcurrent);
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.permits = new Semaphore(maxConcurrent, true);
        this.dummyHash = hash("timing-equaliser-" + System.nanoTime());
    }

    public static PasswordHasher create(Config argon2) {
        return new PasswordHasher(argon2.get("memory-kib").asInt().orElse(19_456),
                                  argon2.get("iterations").asInt().orElse(2),
                                  argon2.get("parallelism").asInt().orElse(1),
                                  argon2.get("max-concurrent").asInt().orElse(2 * Runtime.getRuntime().availableProcessors()));
    }

    /** A fresh salted hash with the current parameters. */
    public String hash(String password) {
        char[] chars = password.toCharArray();
        acquire();
        try {
            return argon2.hash(iterations, memoryKib, parallelism, chars, StandardCharsets.UTF_8);
        } finally {
            permits.release();
            argon2.wipeArray(chars);
        }
    }

    /** Whether {@code password} matches {@code hash}; a malformed stored hash never matches. */
    public boolean verify(String hash, String password) {
        char[] chars = password.toCharArray();
        acquire();
        try {
            return argon2.verify(hash, chars, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return false;
        } finally {
            permits.release();
            argon2.wipeArray(chars);
        }
    }

    /** Spends the same time as a verification, for an account that does not exist. */
    public void verifyDummy(String password) {
        verify(dummyHash, password);
    }

    /** Whether {@code hash} was made with other parameters than the current ones. */
    public boolean needsRehash(String hash) {
        try {
            return !hash.startsWith("$argon2id$") || argon2.needsRehash(hash, iterations, memoryKib, parallelism);
        } catch (RuntimeException e) {
            return true;
        }
    }

    public String parameters() {
        return "argon2id m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism;
    }

    private void acquire() {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to hash a password", e);
        }
    }
}

package plaza.platform.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A database server left running on a data directory by a JVM that was killed (kill -9, OOM killer): its
 * child server outlives it and holds the directory's locks, so the next start would fail. Found by the
 * pid file the server wrote into its data directory, and stopped — gracefully first, so it flushes.
 */
final class LeftoverServer {

    private LeftoverServer() {
    }

    /** Stops the process named by any {@code *.pid} file (first line) directly in {@code dataDirectory} if its command ends with one of {@code executables}. */
    static void stop(Path dataDirectory, List<String> executables) {
        if (!Files.isDirectory(dataDirectory)) {
            return;
        }
        try (Stream<Path> files = Files.list(dataDirectory)) {
            files.filter(f -> f.getFileName().toString().endsWith(".pid")).forEach(pidFile -> stopProcess(pidFile, executables));
        } catch (IOException e) {
            // unreadable: the server's own start reports what is wrong
        }
    }

    private static void stopProcess(Path pidFile, List<String> executables) {
        Optional<ProcessHandle> process;
        try {
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            process = first.matches("\\d{1,10}") ? ProcessHandle.of(Long.parseLong(first)) : Optional.empty();
        } catch (IOException e) {
            return;
        }
        process.filter(p -> p.info().command().map(c -> executables.stream().anyMatch(c::endsWith)).orElse(false))
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .ifPresent(p -> {
                    System.getLogger(LeftoverServer.class.getName()).log(System.Logger.Level.WARNING,
                            "Stopping a database server left running on " + pidFile.getParent() + " (pid " + p.pid() + ")");
                    p.destroy();
                    try {
                        p.onExit().get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                        p.onExit().join();
                    }
                });
    }
}

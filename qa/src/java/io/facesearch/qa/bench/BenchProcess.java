package io.facesearch.qa.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a command of the machine for a benchmark: the node scripts, and the tools that read the page cache. */
final class BenchProcess {
    private BenchProcess() {}

    /** The command's standard output, trimmed; its standard error goes to this process's. Fails unless it exits 0. */
    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out;
            try (InputStream stdout = process.getInputStream()) {
                out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (process.waitFor() != 0) {
                throw new BenchException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new BenchException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}

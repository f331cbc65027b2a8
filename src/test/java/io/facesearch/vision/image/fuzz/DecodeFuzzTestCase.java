package io.facesearch.vision.image.fuzz;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Seeded mutations of one image family through {@link io.facesearch.vision.image.ImageDecoder}, one subclass per
 * family: each case must end in an image no larger than the working size, an {@code InvalidImageException} or a
 * {@code MemoryBudget.Exhausted}, within {@link BoundedDecoder#CASE_LIMIT_MILLIS} of CPU and GC time, with nothing
 * left reserved in its budget. The subclasses run in a Surefire execution of their own ({@code decode-fuzz}) with a
 * small heap, so that an {@link OutOfMemoryError} shows instead of fitting in the heap of the other tests, and in a
 * JVM each, so that a decode given up as hung (its thread cannot be stopped) costs only its own family. Each family
 * prints its counts and its slowest cases, and fails with every problem, grouped, each with the description that
 * makes its case again.
 *
 * <p>System properties: {@code fuzz.cases} (an index, or a range {@code A-B}; default {@code 0-1999} per family),
 * {@code fuzz.seed} (the run seed, default {@link ImageMutator#DEFAULT_SEED}). One case alone:
 * <pre>
 * ./mvnw -DskipQa test-compile surefire:test@decode-fuzz -Dtest=DecodeFuzzPngTests -Dfuzz.cases=17
 * </pre>
 * A crash of the JVM itself (in native code) leaves the case it was decoding in
 * {@code java.io.tmpdir/decode-fuzz-in-flight.txt} ({@code target/tmp} under Maven).
 */
public abstract class DecodeFuzzTestCase {
    /** Cases per family in a normal run. */
    static final int MUTATIONS = 2000;
    /** One case in this many decodes at the detector's input size (a JPEG is then decoded reduced by libjpeg-turbo). */
    private static final int REDUCED_EVERY = 4;
    private static final int DETECTOR_SIDE = 640;
    /**
     * A family stops (and fails) once its decodes have taken this long in all: a bounded decoder needs about 5 s for
     * the 2000 cases of any family on a 2-core machine, and the whole execution should take minutes.
     */
    private static final long FAMILY_BUDGET_SECONDS = 90;

    private static ImageMutator mutator;

    /** Runs the cases of {@code family} chosen by {@code fuzz.cases} and fails with every problem. */
    protected static void fuzz(ImageFamily family) {
        int[] range = caseRange(System.getProperty("fuzz.cases"));
        ImageMutator mutator = mutator();
        FuzzReport report = new FuzzReport("decode fuzz " + family.label() + " (seed " + mutator.runSeed() + ", cases " + range[0] + "-" + range[1] + ")");
        try (BoundedDecoder decoder = new BoundedDecoder()) {
            for (int index = range[0]; index <= range[1]; index++) {
                FuzzCase c = mutator.mutate(family, index);
                int minLongSide = index % REDUCED_EVERY == REDUCED_EVERY - 1 ? DETECTOR_SIDE : 0;
                String description = c.describe() + (minLongSide > 0 ? " decode(bytes, " + minLongSide + ")" : "");
                recordInFlight(description, family, index, mutator.runSeed());
                DecodeOutcome outcome = decoder.decode(c.bytes(), minLongSide);
                report.add(description, outcome, outcome.problem(BoundedDecoder.CASE_LIMIT_MILLIS));
                if (outcome.result() == DecodeOutcome.Result.HUNG && decoder.awaitGivenUp() == false) {
                    report.stop("after case " + index + ", which hung and was still running " + BoundedDecoder.GIVEN_UP_WAIT_MILLIS / 1000
                        + " s later");
                    break;
                }
                if (report.nanos() > TimeUnit.SECONDS.toNanos(FAMILY_BUDGET_SECONDS) && index < range[1]) {
                    report.stop("after case " + index + ": the decodes took more than " + FAMILY_BUDGET_SECONDS + " s");
                    break;
                }
            }
        }
        System.out.println(report.summary());
        if (report.problemCount() > 0) {
            String problems = report.problems("re-run one case (N: its mutation=): " + rerun(family, -1, mutator.runSeed()));
            System.out.println(problems);
            fail(problems);
        }
    }

    /** The mutator over the generated seeds and the face set's odd/ files, made once for every family. */
    static synchronized ImageMutator mutator() {
        long seed = Long.getLong("fuzz.seed", ImageMutator.DEFAULT_SEED);
        if (mutator == null || mutator.runSeed() != seed) {
            mutator = new ImageMutator(SeedImages.generate(oddFolder()), seed);
        }
        return mutator;
    }

    /** {@code face_search.faces.dir}/odd (default ../shared/faces/odd); the run uses only generated seeds without it. */
    static Path oddFolder() {
        String dir = System.getProperty("face_search.faces.dir");
        Path odd = (dir != null ? Paths.get(dir) : Paths.get("..", "shared", "faces")).resolve("odd");
        if (Files.isDirectory(odd) == false) {
            System.out.println("decode fuzz: " + odd.toAbsolutePath() + " not found, generated seeds only");
        }
        return odd;
    }

    /** {@code fuzz.cases}: "17" or "100-199"; all {@link #MUTATIONS} cases when null. */
    static int[] caseRange(String value) {
        if (value == null || value.isBlank()) {
            return new int[] { 0, MUTATIONS - 1 };
        }
        String[] parts = value.trim().split("-", 2);
        int from = Integer.parseInt(parts[0].trim());
        int to = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : from;
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("fuzz.cases must be N or A-B with 0 <= A <= B, got [" + value + "]");
        }
        return new int[] { from, to };
    }

    /** The command that runs case {@code index} (every case of the family when negative) alone. */
    static String rerun(ImageFamily family, int index, long seed) {
        return "./mvnw -DskipQa test-compile surefire:test@decode-fuzz -Dtest=" + testClass(family) + " -Dfuzz.cases="
            + (index < 0 ? "N" : Integer.toString(index)) + (seed == ImageMutator.DEFAULT_SEED ? "" : " -Dfuzz.seed=" + seed);
    }

    /** The subclass that runs {@code family}: {@code DecodeFuzzWebpLossyTests}. */
    static String testClass(ImageFamily family) {
        StringBuilder name = new StringBuilder("DecodeFuzz");
        for (String word : family.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.append("Tests").toString();
    }

    /** Writes the case about to be decoded where it survives a crash of the JVM. */
    private static void recordInFlight(String description, ImageFamily family, int index, long seed) {
        Path file = Paths.get(System.getProperty("java.io.tmpdir"), "decode-fuzz-in-flight.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, description + "\nre-run: " + rerun(family, index, seed) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.facesearch.vision.image.fuzz;

import static org.junit.Assert.fail;

import java.util.List;
import java.util.Locale;

import org.junit.Test;

/**
 * Every file of {@link DecodeBombs} through the decoder, as {@link DecodeFuzzTestCase} runs its cases (same
 * execution, same small heap): each must end within {@link BoundedDecoder#CASE_LIMIT_MILLIS} in an image no larger than the
 * working size, an {@code InvalidImageException} or a {@code MemoryBudget.Exhausted}, with nothing left reserved;
 * a bomb that {@link DecodeBombs.Bomb#mustRefuse() must be refused} may not end in an image. A bomb whose decode is
 * given up as hung, and still runs {@link BoundedDecoder#GIVEN_UP_WAIT_MILLIS} later, ends the run (the ones after
 * it would share the heap with it), naming those not run.
 *
 * <p>{@code -Dfuzz.bomb=NAME[,NAME...]} runs those bombs alone:
 * <pre>
 * ./mvnw -DskipQa test-compile surefire:test@decode-fuzz -Dtest=DecodeBombTests -Dfuzz.bomb=webp-lossy-vp8-6700x12500
 * </pre>
 */
public class DecodeBombTests {

    @Test
    public void testEveryBombEndsInTimeWithinItsBudget() {
        String only = System.getProperty("fuzz.bomb");
        List<String> names = only == null ? null : List.of(only.split(","));
        List<DecodeBombs.Bomb> bombs = DecodeBombs.all().stream().filter(b -> names == null || names.contains(b.name())).toList();
        if (names != null && bombs.size() != names.size()) {
            fail("no bomb is named in [" + only + "]; the bombs: " + DecodeBombs.all().stream().map(DecodeBombs.Bomb::name).toList());
        }
        FuzzReport report = new FuzzReport("decode bombs");
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-36s %9s %7s %7s  %s%n", "bomb", "bytes", "ms", "work_ms", "outcome"));
        try (BoundedDecoder decoder = new BoundedDecoder()) {
            for (DecodeBombs.Bomb bomb : bombs) {
                DecodeOutcome outcome = decoder.decode(bomb.bytes(), 0);
                String problem = outcome.problem(BoundedDecoder.CASE_LIMIT_MILLIS);
                if (problem == null && bomb.mustRefuse() && outcome.result() == DecodeOutcome.Result.DECODED) {
                    problem = "decoded to " + outcome.width() + "x" + outcome.height() + ": a bomb of this kind must be refused";
                }
                report.add("bomb=" + bomb.name() + " (" + bomb.what() + ")", outcome, problem);
                String summary = outcome.summary();
                table.append(String.format(Locale.ROOT, "%-36s %9d %7d %7d  %s%s%n", bomb.name(), bomb.bytes().length, outcome.millis(), outcome.workMillis(),
                    summary.length() > 150 ? summary.substring(0, 150) + "..." : summary, problem == null ? "" : "   <-- PROBLEM"));
                if (outcome.result() == DecodeOutcome.Result.HUNG && decoder.awaitGivenUp() == false) {
                    List<String> notRun = bombs.subList(bombs.indexOf(bomb) + 1, bombs.size()).stream().map(DecodeBombs.Bomb::name).toList();
                    report.stop("after bomb " + bomb.name() + ", which hung and was still running " + BoundedDecoder.GIVEN_UP_WAIT_MILLIS / 1000
                        + " s later; not run: " + notRun);
                    break;
                }
            }
        }
        System.out.println(table);
        System.out.println(report.summary());
        if (report.problemCount() > 0) {
            String problems = report.problems("re-run one bomb: ./mvnw -DskipQa test-compile surefire:test@decode-fuzz -Dtest=DecodeBombTests -Dfuzz.bomb=NAME[,NAME...]");
            System.out.println(problems);
            fail(problems);
        }
    }
}

package io.facesearch.vision.identify;

import io.facesearch.vision.identify.IdentityVote.Candidate;
import io.facesearch.vision.identify.IdentityVote.Decision;

import org.junit.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class IdentityVoteTests {

    private static Candidate c(String identity, float similarity, String photo) {
        return new Candidate(identity, similarity, photo, 0);
    }

    @Test
    public void majorityOfTheFirstK1WinsWhenItsMeanClearsTheThreshold() {
        Decision decision = new IdentityVote(3, 10, 0.3f).decide(
            List.of(c("ann", 0.7f, "1"), c("bob", 0.65f, "2"), c("ann", 0.6f, "3"), c("bob", 0.5f, "4"), c("bob", 0.5f, "5"))
        );
        assertEquals("ann", decision.identity());
        assertEquals(2, decision.votes());
        assertEquals(3, decision.window());
        assertEquals(0.7f, decision.best(), 1e-6);
        assertEquals(0.65f, decision.mean(), 1e-6);
        assertEquals(5, decision.candidates().size());
    }

    @Test
    public void widensToK2WhenTheK1WinnerIsTooWeak() {
        // in the first 3, "eve" wins with two weak votes; over all 6, "ann" has three with a good mean
        Decision decision = new IdentityVote(3, 6, 0.35f).decide(
            List.of(c("ann", 0.6f, "1"), c("eve", 0.34f, "2"), c("eve", 0.33f, "3"), c("ann", 0.32f, "4"), c("ann", 0.31f, "5"), c("x", 0.1f, "6"))
        );
        assertEquals("ann", decision.identity());
        assertEquals(3, decision.votes());
        assertEquals(6, decision.window());
    }

    @Test
    public void unknownWhenNoWindowClearsTheThreshold() {
        Decision decision = new IdentityVote(2, 4, 0.5f).decide(List.of(c("ann", 0.31f, "1"), c("bob", 0.3f, "2"), c("ann", 0.2f, "3")));
        assertEquals(IdentityVote.UNKNOWN, decision.identity());
        assertFalse(decision.known());
        assertEquals("ann", decision.runnerUp());
        assertEquals(0.31f, decision.best(), 1e-6);
    }

    @Test
    public void onlyTheK2NearestCountAndUnlabelledFacesDoNotVote() {
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(c(null, 0.9f, "unlabelled"));
        candidates.add(c("ann", 0.8f, "1"));
        for (int i = 0; i < 5; i++) {
            candidates.add(c("bob", 0.2f, "b" + i));
        }
        Decision decision = new IdentityVote(2, 3, 0.5f).decide(candidates);
        assertEquals("ann", decision.identity());
        assertEquals(1, decision.votes());
        assertEquals(3, decision.candidates().size());
        Decision nobody = new IdentityVote(1, 1, 0.5f).decide(List.of(c(null, 0.9f, "x")));
        assertEquals(IdentityVote.UNKNOWN, nobody.identity());
        assertNull(nobody.runnerUp());
        assertEquals(IdentityVote.UNKNOWN, new IdentityVote(1, 5, 0.3f).decide(List.of()).identity());
    }

    @Test
    public void theAnswerDoesNotDependOnTheOrderCandidatesArriveIn() {
        // shards return candidates in any order: the decision must only depend on the set
        List<Candidate> candidates = new ArrayList<>();
        Random random = new Random(7);
        String[] people = { "ann", "bob", "cid", "dan" };
        for (int i = 0; i < 40; i++) {
            candidates.add(c(people[random.nextInt(people.length)], Math.round(random.nextFloat() * 20) / 20f, "p" + i));
        }
        IdentityVote vote = new IdentityVote(5, 15, 0.4f);
        Decision reference = vote.decide(candidates);
        for (int run = 0; run < 20; run++) {
            Collections.shuffle(candidates, random);
            Decision decision = vote.decide(candidates);
            assertEquals(reference.identity(), decision.identity());
            assertEquals(reference.candidates(), decision.candidates());
        }
        assertTrue(reference.candidates().size() == 15);
    }

    @Test
    public void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new IdentityVote(0, 5, 0.3f));
        assertThrows(IllegalArgumentException.class, () -> new IdentityVote(6, 5, 0.3f));
        assertThrows(IllegalArgumentException.class, () -> new IdentityVote(1, 5, 1.5f));
    }
}

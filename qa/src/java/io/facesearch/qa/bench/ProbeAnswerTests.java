package io.facesearch.qa.bench;

import org.junit.Test;

import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

/** What of a face_match or identify answer must be the same whichever node or shard copy answers. */
public class ProbeAnswerTests {
    private static Map<String, Object> hits(List<Map<String, Object>> hits) {
        return Map.of("took", 5, "hits", Map.of("total", Map.of("value", hits.size()), "hits", hits));
    }

    private static Map<String, Object> hit(String index, String id, double score) {
        return Map.of("_index", index, "_id", id, "_score", score);
    }

    @Test
    public void faceMatchKeepsIdsAndRoundedScoresOnly() {
        String a = ProbeAnswer.faceMatch(200, hits(List.of(hit("photos", "x/1.jpg", 1.0), hit("photos", "y/2.jpg", 0.812345678))));
        assertEquals("hits=[x/1.jpg@1.0000,y/2.jpg@0.8123]", a);
        // another index with the same photos, another took, a score differing in the 7th decimal
        String b = ProbeAnswer.faceMatch(200, hits(List.of(hit("other", "x/1.jpg", 1.0), hit("other", "y/2.jpg", 0.81234601))));
        assertEquals(a, b);
        String c = ProbeAnswer.faceMatch(200, hits(List.of(hit("photos", "x/1.jpg", 1.0), hit("photos", "z/3.jpg", 0.8123))));
        assertNotEquals(a, c);
    }

    @Test
    public void tiesInAnyOrderAreTheSameAnswer() {
        String a = ProbeAnswer.faceMatch(200, hits(List.of(hit("p", "b", 0.9), hit("p", "a", 0.9), hit("p", "c", 0.95))));
        String b = ProbeAnswer.faceMatch(200, hits(List.of(hit("p", "c", 0.95), hit("p", "a", 0.9), hit("p", "b", 0.9))));
        assertEquals("hits=[c@0.9500,a@0.9000,b@0.9000]", a);
        assertEquals(a, b);
    }

    @Test
    public void identifyKeepsTheVoteAndTheCandidates() {
        Map<String, Object> answer = Map.of(
            "took", 12,
            "identity", "Ann",
            "known", true,
            "votes", 3,
            "candidates", List.of(
                Map.of("_index", "g", "_id", "Ann/1.jpg", "face", 0, "identity", "Ann", "similarity", 0.7),
                Map.of("_index", "g", "_id", "Bob/1.jpg", "face", 1, "identity", "Bob", "similarity", 0.2)
            )
        );
        assertEquals("identity=Ann known=true votes=3 candidates=[Ann/1.jpg#0@0.7000,Bob/1.jpg#1@0.2000]", ProbeAnswer.identify(200, answer));
        Map<String, Object> unknown = Map.of("identity", "Unknown", "known", false, "votes", 1, "candidates", List.of());
        assertEquals("identity=Unknown known=false votes=1 candidates=[]", ProbeAnswer.identify(200, unknown));
    }

    @Test
    public void errorsCompareByStatusAndType() {
        Map<String, Object> noFace = Map.of("error", Map.of("type", "illegal_argument_exception", "reason", "no face in [image]"), "status", 400);
        assertEquals("status=400 error=illegal_argument_exception", ProbeAnswer.identify(400, noFace));
        assertEquals("status=400 error=illegal_argument_exception", ProbeAnswer.faceMatch(400, noFace));
        assertEquals("status=502", ProbeAnswer.faceMatch(502, null));
    }
}

package io.facesearch.people;

import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * People clustering on three nodes: the photos in a 3-shard index with a replica, spread over the nodes, give the same
 * persons as in a 1-shard index.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 3, numClientNodes = 0)
public class PeopleClusterMultiNodeTests extends PeopleTestCase {

    public void testThreeNodesGiveTheSamePersonsAsOneShard() throws IOException {
        List<Photo> photos = photos(true).subList(0, 160);
        createPhotoIndex("one", 1);
        call(jsonRequest("PUT", "/_plugins/_face/index/three", "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1}}"));
        ingest("one", photos);
        ingest("three", photos);
        ensureGreen("one", "three");
        Map<String, Object> one = cluster("one", "");
        Map<String, Object> three = cluster("three", "");
        logger.info("one shard: {}; three shards on three nodes: {}", one, three);
        for (String count : List.of("faces_considered", "faces_assigned", "persons")) {
            assertEquals(count, one.get(count), three.get(count));
        }
        Set<Set<String>> personsOfOne = groups(personsOfFaces("one"));
        assertEquals(personsOfOne, groups(personsOfFaces("three")));
        assertTrue(personsOfOne.size() > 10);
    }

    /** The persons as sets of faces, whatever their ids. */
    private static Set<Set<String>> groups(Map<String, String> persons) {
        Map<String, Set<String>> byPerson = new HashMap<>();
        for (Map.Entry<String, String> face : persons.entrySet()) {
            if (face.getValue() != null) {
                byPerson.computeIfAbsent(face.getValue(), p -> new TreeSet<>()).add(face.getKey());
            }
        }
        return new HashSet<>(byPerson.values());
    }
}

package io.facesearch.query;

import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.List;

/**
 * The identify API and the {@code face_identity} search response processor on a cluster of 3 nodes: a 5-shard gallery
 * with replicas answers like a 1-shard one, whichever node coordinates.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 3, numClientNodes = 0)
public class IdentifyMultiNodeTests extends IdentifyTestCase {

    public void testThreeNodesGiveTheSameAnswersAsOneShardByIdentifyAndBySearchPipeline() throws IOException {
        List<Entry> gallery = chosen().get("gallery");
        enrol("gallery_1", 1, gallery);
        enrol("gallery_5", 5, gallery);
        ensureGreen("gallery_1", "gallery_5");
        assertSameAnswersAndMostlyRight("gallery_1", "gallery_5");
    }
}

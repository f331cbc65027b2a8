package io.facesearch.transport;

import io.facesearch.ingest.HnswGraph;
import io.facesearch.ingest.VectorCompression;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.erase.FaceErasure;
import io.facesearch.people.cluster.ClusterMode;
import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.NamedWriteableAwareStreamInput;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.index.query.TermQueryBuilder;
import org.opensearch.search.SearchModule;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The plugin's requests and responses cross the wire between nodes unchanged, and render the same JSON after. */
public class ActionWireTests extends OpenSearchTestCase {
    private static final NamedWriteableRegistry REGISTRY = new NamedWriteableRegistry(new SearchModule(Settings.EMPTY, List.of()).getNamedWriteables());

    private static <T extends Writeable> T roundTrip(T original, Writeable.Reader<T> reader) throws IOException {
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            original.writeTo(out);
            try (StreamInput in = new NamedWriteableAwareStreamInput(out.bytes().streamInput(), REGISTRY)) {
                T copy = reader.read(in);
                assertEquals("every byte read", 0, in.available());
                return copy;
            }
        }
    }

    private static Map<String, Object> json(ToXContent value) throws IOException {
        BytesReference bytes = XContentHelper.toXContent(value, XContentType.JSON, false);
        return XContentHelper.convertToMap(bytes, false, XContentType.JSON).v2();
    }

    public void testRequests() throws IOException {
        DetectRequest detect = roundTrip(new DetectRequest(new EncodedPhoto("image", "AAAA"), 0.5f, null, 7, true), DetectRequest::new);
        assertEquals("AAAA", detect.image().base64());
        assertEquals("image", detect.image().field());
        assertEquals(0.5f, detect.minScore(), 0);
        assertNull(detect.minFaceSize());
        assertEquals(Integer.valueOf(7), detect.maxFaces());
        assertTrue(detect.includeEmbeddings());

        VerifyRequest verify = roundTrip(
            new VerifyRequest(new EncodedPhoto("image_a", "AAAA"), new EncodedPhoto("image_b", "BBBB"), 1, null, 0.4f, null),
            VerifyRequest::new
        );
        assertEquals("BBBB", verify.imageB().base64());
        assertEquals(Integer.valueOf(1), verify.faceA());
        assertNull(verify.faceB());
        assertEquals(0.4f, verify.threshold(), 0);

        IdentifyRequest identify = roundTrip(
            new IdentifyRequest(new String[] { "a", "b" }, null, new float[] { 0.6f, 0.8f }, 2, 5, null, "who", "faces.embedding", new TermQueryBuilder("tag", "x")),
            IdentifyRequest::new
        );
        assertArrayEquals(new String[] { "a", "b" }, identify.indices());
        assertNull(identify.image());
        assertArrayEquals(new float[] { 0.6f, 0.8f }, identify.vector(), 0);
        assertEquals(5, identify.k2());
        assertEquals(new TermQueryBuilder("tag", "x"), identify.filter());

        IdentifyRequest all = roundTrip(
            new IdentifyRequest(
                new String[] { "a" },
                new EncodedPhoto("image", "AAAA"),
                null,
                IdentifyRequest.Faces.ALL,
                3,
                10,
                0.5f,
                "identity",
                "faces.embedding",
                null,
                0.7f,
                null,
                25
            ),
            IdentifyRequest::new
        );
        assertEquals(IdentifyRequest.Faces.ALL, all.faces());
        assertEquals("AAAA", all.image().base64());
        assertEquals(0.7f, all.minScore(), 0);
        assertNull(all.minFaceSize());
        assertEquals(Integer.valueOf(25), all.maxFaces());

        CreatePhotoIndexRequest create = roundTrip(
            new CreatePhotoIndexRequest("photos", null, Map.of("min_face_size", 20), Settings.builder().put("index.number_of_shards", 2).build()),
            CreatePhotoIndexRequest::new
        );
        assertEquals("face-search-photos", create.pipeline());
        assertEquals(Map.of("min_face_size", 20), create.processor());
        assertEquals("2", create.settings().get("index.number_of_shards"));
        assertEquals(VectorCompression.NONE, create.compression());
        assertEquals(HnswGraph.DEFAULT, create.graph());
        CreatePhotoIndexRequest compressed = roundTrip(
            new CreatePhotoIndexRequest("photos", "mine", Map.of(), Settings.EMPTY, VectorCompression.X32, new HnswGraph(24, 256)),
            CreatePhotoIndexRequest::new
        );
        assertEquals(VectorCompression.X32, compressed.compression());
        assertEquals(new HnswGraph(24, 256), compressed.graph());
        assertEquals("mine", compressed.pipeline());

        ClusterPeopleRequest cluster = new ClusterPeopleRequest(new String[] { "photos-v2" }, ClusterMode.FULL, 3, 0.5f, null, 24, 0.2f, null, "photos-people");
        cluster.storeResult(true);
        ClusterPeopleRequest clusterCopy = roundTrip(cluster, ClusterPeopleRequest::new);
        assertArrayEquals(new String[] { "photos-v2" }, clusterCopy.indices());
        assertEquals(ClusterMode.FULL, clusterCopy.mode());
        assertEquals(3, clusterCopy.minFaces());
        assertEquals(0.5f, clusterCopy.similarity(), 0);
        assertNull(clusterCopy.minScore());
        assertEquals(Integer.valueOf(24), clusterCopy.minFaceSize());
        assertEquals(0.2f, clusterCopy.minQuality(), 0);
        assertNull(clusterCopy.peopleIndex());
        assertEquals("photos-people", clusterCopy.personsFrom());
        assertTrue(clusterCopy.getShouldStoreResult());

        EraseRequest erase = new EraseRequest(
            new String[] { "photos", "archive-*" },
            null,
            "identity",
            null,
            null,
            new EncodedPhoto("image", "AAAA"),
            null,
            "embedding",
            0.45f,
            FaceErasure.Scope.DOCUMENTS,
            true,
            false
        );
        EraseRequest eraseCopy = roundTrip(erase, EraseRequest::new);
        assertArrayEquals(new String[] { "photos", "archive-*" }, eraseCopy.indices());
        assertEquals("AAAA", eraseCopy.image().base64());
        assertNull(eraseCopy.vector());
        assertNull(eraseCopy.person());
        assertEquals(0.45f, eraseCopy.minSimilarity(), 0);
        assertEquals(FaceErasure.Scope.DOCUMENTS, eraseCopy.scope());
        assertTrue(eraseCopy.dryRun());
        assertFalse(eraseCopy.expunge());
        EraseRequest everywhere = roundTrip(
            new EraseRequest(new String[0], null, "identity", "p1", "photos-people", null, null, "embedding", 0.4f, FaceErasure.Scope.FACES, false, true),
            EraseRequest::new
        );
        assertArrayEquals("no index named: every one", new String[] { "*" }, everywhere.indices());
        assertFalse(everywhere.indicesNamed());
        assertEquals("photos-people", everywhere.peopleIndex());
    }

    public void testResponses() throws IOException {
        FoundFace face = new FoundFace(0, 0.9f, 1, 2, 30, 40, new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, new float[] { 0.6f, 0.8f });
        DetectResponse detect = new DetectResponse(12, 250, 200, "jpeg", List.of(face));
        assertEquals(json(detect), json(roundTrip(detect, DetectResponse::new)));
        Map<String, Object> rendered = json(detect);
        assertEquals(1, rendered.get("face_count"));
        assertEquals(Map.of("width", 250, "height", 200, "format", "jpeg"), rendered.get("image"));

        ComparedFace a = new ComparedFace(0, 2, 0.9f, 1, 2, 3, 4);
        VerifyResponse verify = new VerifyResponse(5, 0.7f, 0.3f, true, "mobilefacenet_ms1mv3", a, a);
        assertEquals(json(verify), json(roundTrip(verify, VerifyResponse::new)));

        IdentityVote vote = new IdentityVote(1, 3, 0.4f);
        IdentityVote.Decision decision = vote.decide(
            List.of(new IdentityVote.Candidate("ann", 0.8f, "photos/1", 0), new IdentityVote.Candidate(null, 0.5f, "photos/2", 1))
        );
        IdentifyResponse identify = new IdentifyResponse(9, decision, vote, new ComparedFace(0, -1, 0.9f, 1, 2, 3, 4));
        Map<String, Object> identified = json(roundTrip(identify, IdentifyResponse::new));
        assertEquals(json(identify), identified);
        assertEquals("ann", identified.get("identity"));
        assertEquals(2, ((List<?>) identified.get("candidates")).size());
        assertFalse("the query face has no count of faces", ((Map<?, ?>) identified.get("query_face")).containsKey("faces_in_image"));

        IdentifyResponse vector = new IdentifyResponse(3, decision, vote, null);
        assertEquals(json(vector), json(roundTrip(vector, IdentifyResponse::new)));
        assertFalse(json(vector).containsKey("query_face"));

        IdentityVote.Decision unknown = vote.decide(List.of(new IdentityVote.Candidate("bob", 0.1f, "photos/3", 0)));
        IdentifyResponse every = IdentifyResponse.everyFace(
            11,
            vote,
            640,
            480,
            "jpeg",
            List.of(
                new IdentifiedFace(new ComparedFace(0, -1, 0.9f, 1, 2, 30, 40), decision),
                new IdentifiedFace(new ComparedFace(1, -1, 0.8f, 50, 60, 20, 25), unknown)
            )
        );
        Map<String, Object> everyJson = json(roundTrip(every, IdentifyResponse::new));
        assertEquals(json(every), everyJson);
        assertEquals(2, everyJson.get("face_count"));
        assertEquals(Map.of("width", 640, "height", 480, "format", "jpeg"), everyJson.get("image"));
        List<?> faces = (List<?>) everyJson.get("faces");
        assertEquals("ann", ((Map<?, ?>) faces.get(0)).get("identity"));
        assertEquals(1, ((Map<?, ?>) faces.get(1)).get("index"));
        assertEquals("Unknown", ((Map<?, ?>) faces.get(1)).get("identity"));
        assertEquals("bob", ((Map<?, ?>) faces.get(1)).get("leading_identity"));
        assertFalse(everyJson.containsKey("identity"));

        ReportResponse report = new ReportResponse(Map.of("index", "photos", "ready", true, "problems", List.of()));
        assertEquals(json(report), json(roundTrip(report, ReportResponse::new)));
        CreatePhotoIndexResponse created = new CreatePhotoIndexResponse(
            true,
            "photos",
            "face-search-photos",
            128,
            VectorCompression.X4,
            new HnswGraph(32, 200),
            "clip",
            512
        );
        assertEquals(json(created), json(roundTrip(created, CreatePhotoIndexResponse::new)));
        assertEquals("x4", json(created).get("compression"));
        assertEquals(Map.of("m", 32, "ef_construction", 200), json(created).get("hnsw"));
    }
}

package io.facesearch.query;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;

import org.opensearch.client.Request;
import org.opensearch.core.common.Strings;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.index.IndexService;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.Rewriteable;
import org.opensearch.indices.IndicesService;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The face_match query on an in-JVM node with the real k-NN plugin and real photos. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class FaceMatchQueryTests extends FaceSearchIntegTestCase {
    private static final String[][] PHOTOS = {
        { "obama", "people/Barack_Obama/fr_obama.jpg", "speech in washington" },
        { "obama2", "people/Barack_Obama/fr_obama2.jpg", "wedding of a friend" },
        { "obama3", "people/Barack_Obama/fr_obama3.jpg", "beach holiday" },
        { "kit", "people/Kit_Harington/fr_john1.jpeg", "wedding on the beach" },
        { "rose", "people/Rose_Leslie/fr_img1.jpg", "wedding on the beach" },
        { "group", "group/insightface_t1.jpg", "office party" },
        { "kit_rose", "group/fr_kit_with_rose.jpg", "two actors on a red carpet" },
        { "coffee", "noface/skimage_coffee.png", "a cup of coffee" } };

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    private void indexPhotos() throws IOException {
        indexPhotos("photos", "{}");
    }

    private void indexPhotos(String index, String body) throws IOException {
        if (indexExists(index)) {
            return;
        }
        call(jsonRequest("PUT", "/_plugins/_face/index/" + index, body));
        StringBuilder bulk = new StringBuilder();
        for (String[] photo : PHOTOS) {
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(photo[0]).append("\"}}\n");
            bulk.append("{\"image\":\"").append(base64(photo[1])).append("\",\"caption\":\"").append(photo[2]).append("\"}\n");
        }
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
        assertEquals(result.toString(), false, result.get("errors"));
    }

    private List<String> ids(Map<String, Object> response) {
        List<String> ids = new ArrayList<>();
        for (Object hit : (List<?>) ((Map<?, ?>) response.get("hits")).get("hits")) {
            ids.add(((Map<?, ?>) hit).get("_id").toString());
        }
        return ids;
    }

    private Map<String, Object> search(String query) throws IOException {
        return search("photos", query);
    }

    private Map<String, Object> search(String index, String query) throws IOException {
        return call(jsonRequest("POST", "/" + index + "/_search", "{\"_source\":[\"caption\"],\"query\":" + query + "}"));
    }

    private static List<Map<?, ?>> hits(Map<String, Object> response) {
        List<Map<?, ?>> hits = new ArrayList<>();
        for (Object hit : (List<?>) ((Map<?, ?>) response.get("hits")).get("hits")) {
            hits.add((Map<?, ?>) hit);
        }
        return hits;
    }

    private static Map<?, ?> hit(Map<String, Object> response, String id) {
        return hits(response).stream()
            .filter(hit -> id.equals(hit.get("_id")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(id + " in " + response));
    }

    /** The matching faces returned with a photo: offset in the photo's faces to score, best first. */
    private static Map<Integer, Double> matchingFaces(Map<?, ?> hit, String innerHitsName) {
        Map<?, ?> innerHits = (Map<?, ?>) ((Map<?, ?>) hit.get("inner_hits")).get(innerHitsName);
        Map<Integer, Double> faces = new LinkedHashMap<>();
        for (Object face : (List<?>) ((Map<?, ?>) innerHits.get("hits")).get("hits")) {
            Map<?, ?> source = (Map<?, ?>) ((Map<?, ?>) face).get("_source");
            assertNull("vectors are not returned", source.get("embedding"));
            int offset = (Integer) ((Map<?, ?>) ((Map<?, ?>) face).get("_nested")).get("offset");
            faces.put(offset, ((Number) ((Map<?, ?>) face).get("_score")).doubleValue());
        }
        return faces;
    }

    /** The face vectors of an indexed photo. */
    private List<Object> faceVectors(String id) throws IOException {
        // the photo index leaves vectors out of _source unless asked
        Map<?, ?> doc = (Map<?, ?>) call(new Request("GET", "/photos/_doc/" + id + "?_source=true")).get("_source");
        List<Object> vectors = new ArrayList<>();
        for (Object face : (List<?>) doc.get("faces")) {
            vectors.add(((Map<?, ?>) face).get("embedding"));
        }
        return vectors;
    }

    /** The query rewritten by a shard of {@code index}, as the shard runs it. */
    private String rewrittenOnShard(String index, QueryBuilder query) throws IOException {
        IndexService indexService = internalCluster().getDataNodeInstance(IndicesService.class).indexServiceSafe(resolveIndex(index));
        QueryShardContext shard = indexService.newQueryShardContext(0, null, () -> 0L, null);
        return Strings.toString(MediaTypeRegistry.JSON, Rewriteable.rewrite(query, shard));
    }

    public void testByImageFindsThePersonsPhotosFirstWithTheMatchingFace() throws IOException {
        indexPhotos();
        Map<String, Object> response = search("{\"face_match\":{\"image\":\"" + base64("people/Barack_Obama/fr_obama1.jpg") + "\",\"k\":5}}");
        List<String> ids = ids(response);
        assertEquals(ids.toString(), List.of("obama", "obama2", "obama3"), new ArrayList<>(ids.subList(0, 3)).stream().sorted().toList());
        Map<?, ?> first = (Map<?, ?>) ((List<?>) ((Map<?, ?>) response.get("hits")).get("hits")).get(0);
        Map<?, ?> innerHits = (Map<?, ?>) ((Map<?, ?>) first.get("inner_hits")).get("face_match");
        Map<?, ?> face = (Map<?, ?>) ((List<?>) ((Map<?, ?>) innerHits.get("hits")).get("hits")).get(0);
        Map<?, ?> faceSource = (Map<?, ?>) face.get("_source");
        assertNotNull("the matching face's box is shown", faceSource.get("box"));
        assertNull("vectors are not returned", faceSource.get("embedding"));
        assertEquals(0, ((Map<?, ?>) face.get("_nested")).get("offset"));
    }

    public void testByReferenceAndByVectorGiveTheSameRanking() throws IOException {
        indexPhotos();
        Map<String, Object> byReference = search("{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama2\",\"face\":0},\"k\":5}}");
        assertEquals("obama2", ids(byReference).get(0));
        Map<?, ?> doc = (Map<?, ?>) call(new Request("GET", "/photos/_doc/obama2?_source=true")).get("_source");
        Object vector = ((Map<?, ?>) ((List<?>) doc.get("faces")).get(0)).get("embedding");
        Map<String, Object> byVector = search("{\"face_match\":{\"vector\":" + vector + ",\"k\":5}}");
        assertEquals(ids(byReference), ids(byVector));
    }

    public void testMinSimilarityKeepsOnlyThePerson() throws IOException {
        indexPhotos();
        Map<String, Object> response = search(
            "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\"},\"k\":10,\"min_similarity\":0.5}}"
        );
        assertEquals(List.of("obama", "obama2", "obama3"), ids(response).stream().sorted().toList());
    }

    public void testComposesWithTextFiltersCountAndExplain() throws IOException {
        indexPhotos();
        String faceMatch = "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\"},\"k\":10,\"min_similarity\":0.5}}";
        Map<String, Object> bool = search("{\"bool\":{\"must\":[" + faceMatch + ",{\"match\":{\"caption\":\"wedding\"}}]}}");
        assertEquals(List.of("obama2"), ids(bool));

        Map<String, Object> count = call(jsonRequest("POST", "/photos/_count", "{\"query\":" + faceMatch + "}"));
        assertEquals(3, count.get("count"));

        Map<String, Object> explained = call(jsonRequest("POST", "/photos/_search", "{\"explain\":true,\"size\":1,\"query\":" + faceMatch + "}"));
        Map<?, ?> hit = (Map<?, ?>) ((List<?>) ((Map<?, ?>) explained.get("hits")).get("hits")).get(0);
        assertNotNull(hit.get("_explanation"));

        Map<String, Object> paged = call(
            jsonRequest("POST", "/photos/_search", "{\"from\":1,\"size\":1,\"query\":" + faceMatch + "}")
        );
        assertEquals(1, ids(paged).size());
    }

    public void testFilterRunsOnThePhotosDuringTheSearch() throws IOException {
        indexPhotos();
        // the nearest photo to Obama's face is his own, captioned "speech"; with k = 1 a filter applied after the
        // search would leave nothing, a filter applied during it finds the nearest photo captioned "beach"
        Map<String, Object> response = search(
            "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\"},\"k\":1,"
                + "\"filter\":{\"match\":{\"caption\":\"beach\"}}}}"
        );
        assertEquals(List.of("obama3"), ids(response));
    }

    public void testInsideFunctionScore() throws IOException {
        indexPhotos();
        String faceMatch = "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\"},\"k\":10,\"min_similarity\":0.5}}";
        Map<String, Object> plain = search(faceMatch);
        Map<String, Object> weighted = search(
            "{\"function_score\":{\"query\":" + faceMatch + ",\"functions\":[{\"weight\":2}],\"boost_mode\":\"multiply\"}}"
        );
        assertEquals(ids(plain), ids(weighted));
        float plainScore = ((Number) ((Map<?, ?>) plain.get("hits")).get("max_score")).floatValue();
        float weightedScore = ((Number) ((Map<?, ?>) weighted.get("hits")).get("max_score")).floatValue();
        assertEquals(2 * plainScore, weightedScore, 1e-4);
    }

    public void testBadQueriesAreClearErrors() throws IOException {
        indexPhotos();
        Map<?, ?> noFace = expectError(
            jsonRequest("POST", "/photos/_search", "{\"query\":{\"face_match\":{\"image\":\"" + base64("noface/skimage_coffee.png") + "\"}}}"),
            400
        );
        assertTrue(noFace.toString(), noFace.toString().contains("no face found in the [face_match] [image]"));
        Map<?, ?> missing = expectError(
            jsonRequest("POST", "/photos/_search", "{\"query\":{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"nope\"}}}}"),
            404
        );
        assertTrue(missing.toString(), missing.toString().contains("document [nope] not found in index [photos]"));
        Map<?, ?> twoInputs = expectError(
            jsonRequest("POST", "/photos/_search", "{\"query\":{\"face_match\":{\"vector\":[1,0],\"face\":{\"index\":\"photos\",\"id\":\"obama\"}}}}"),
            400
        );
        assertTrue(twoInputs.toString(), twoInputs.toString().contains("exactly one of [vector], [image], [face] and [person]"));
        Map<?, ?> faceOutOfRange = expectError(
            jsonRequest("POST", "/photos/_search", "{\"query\":{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\",\"face\":4}}}}"),
            400
        );
        assertTrue(faceOutOfRange.toString(), faceOutOfRange.toString().contains("face 4 does not exist"));
    }

    public void testTwoFacesInOnePhotoEachWithItsMatchingFace() throws IOException {
        indexPhotos();
        String kit = "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"kit\"},\"min_similarity\":0.5,\"_name\":\"kit\"}}";
        String rose = "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"rose\"},\"min_similarity\":0.5,\"_name\":\"rose\"}}";
        Map<String, Object> response = search("{\"bool\":{\"must\":[" + kit + "," + rose + "]}}");
        assertEquals(List.of("kit_rose"), ids(response));
        // the inner hits take each query's name: two faces of the photo, one for each
        int kitFace = matchingFaces(hits(response).get(0), "kit").keySet().iterator().next();
        int roseFace = matchingFaces(hits(response).get(0), "rose").keySet().iterator().next();
        assertNotEquals(kitFace, roseFace);
    }

    public void testEachShardBuildsTheKnnQueryFromItsMapping() throws IOException {
        indexPhotos();
        float[] vector = new float[128];
        vector[0] = 1;
        String rewritten = rewrittenOnShard(
            "photos",
            FaceMatchQueryBuilder.builder(null).vector(vector).k(7).efSearch(64).expandNestedDocs(true).minSimilarity(0.4f).build()
        );
        // the nested path and the vector fields to hide come from the mapping; ef_search and expand_nested_docs reach k-NN
        assertTrue(rewritten, rewritten.contains("\"nested\":{\"query\":{\"function_score\":{\"query\":{\"knn\":{\"faces.embedding\":{"));
        assertTrue(rewritten, rewritten.contains("\"k\":7"));
        assertTrue(rewritten, rewritten.contains("\"method_parameters\":{\"ef_search\":64}"));
        assertTrue(rewritten, rewritten.contains("\"expand_nested_docs\":true"));
        assertTrue(rewritten, rewritten.contains("\"min_score\":0.7"));
        assertTrue(rewritten, rewritten.contains("\"path\":\"faces\""));
        assertTrue(rewritten, rewritten.contains("\"score_mode\":\"max\""));
        assertTrue(rewritten, rewritten.contains("\"excludes\":[\"faces.embedding\"]"));

        String plain = rewrittenOnShard("photos", FaceMatchQueryBuilder.builder(null).vector(vector).build());
        assertFalse(plain, plain.contains("method_parameters"));
        assertFalse(plain, plain.contains("expand_nested_docs"));
        assertFalse(plain, plain.contains("function_score"));
    }

    public void testEfSearchSetsHowManyFacesTheGraphSearchFindsButNotK() throws IOException {
        indexPhotos();
        String faceMatch = "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\"},\"k\":2";
        // the lucene engine searches max(k, ef_search) faces of the graph, ef_search being the index's (100) unless given
        assertTrue(luceneQuery(faceMatch + "}}"), luceneQuery(faceMatch + "}}").contains("][100]"));
        assertTrue(luceneQuery(faceMatch + ",\"ef_search\":50}}"), luceneQuery(faceMatch + ",\"ef_search\":50}}").contains("][50]"));
        assertTrue(luceneQuery(faceMatch + ",\"ef_search\":300}}"), luceneQuery(faceMatch + ",\"ef_search\":300}}").contains("][300]"));
        // and k photos come back, the same ones
        List<String> nearest = ids(search(faceMatch + "}}"));
        assertEquals(2, nearest.size());
        assertEquals(nearest, ids(search(faceMatch + ",\"ef_search\":50}}")));
        assertEquals(nearest, ids(search(faceMatch + ",\"ef_search\":300}}")));
    }

    public void testTheGraphIsSearchedOnceForThePhotosAndTheirMatchingFaces() throws IOException {
        indexPhotos();
        for (String options : List.of("", ",\"expand_nested_docs\":true")) {
            Map<String, Object> profiled = call(
                jsonRequest(
                    "POST",
                    "/photos/_search",
                    "{\"profile\":true,\"query\":{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"rose\"}" + options + "}}}"
                )
            );
            // the photos come with their matching faces, each photo scored as its best face
            for (Map<?, ?> hit : hits(profiled)) {
                Map<Integer, Double> faces = matchingFaces(hit, "face_match");
                assertFalse(hit.toString(), faces.isEmpty());
                assertEquals(hit.toString(), ((Number) hit.get("_score")).doubleValue(), faces.values().iterator().next(), 1e-6);
            }
            // the k-NN plugin's query searched the graph for the photos; the inner hits ran what it found
            List<String> types = new ArrayList<>();
            for (Object shard : (List<?>) ((Map<?, ?>) profiled.get("profile")).get("shards")) {
                for (Object search : (List<?>) ((Map<?, ?>) shard).get("searches")) {
                    profiledQueryTypes((List<?>) ((Map<?, ?>) search).get("query"), types);
                }
            }
            assertEquals(options + ": " + types, 1, types.stream().filter("LuceneEngineKnnVectorQuery"::equals).count());
            assertEquals(options + ": " + types, 2, types.stream().filter("SharedKnnSearchQuery"::equals).count());
        }
    }

    public void testASearchOfSeveralShardsFetchesTheMatchingFacesItsQueryPhaseFound() throws IOException {
        indexPhotos();
        indexPhotos("photos_three_shards", "{\"settings\":{\"number_of_shards\":3}}");
        String query = "{\"face_match\":{\"vector\":" + faceVectors("rose").get(0) + ",\"k\":10}}";
        Map<String, Object> oneShard = search(query);
        Set<Object> shardsWithPhotos = null;
        for (String explain : List.of("true", "false")) {
            Map<String, Long> before = vectorSearchStats();
            Map<String, Object> threeShards = call(
                jsonRequest("POST", "/photos_three_shards/_search", "{\"_source\":[\"caption\"],\"explain\":" + explain + ",\"query\":" + query + "}")
            );
            Map<String, Long> after = vectorSearchStats();
            // the photos, their scores and their matching faces of a search of one shard
            assertEquals(ids(oneShard), ids(threeShards));
            for (Map<?, ?> hit : hits(threeShards)) {
                Map<?, ?> alone = hit(oneShard, hit.get("_id").toString());
                assertEquals(((Number) alone.get("_score")).doubleValue(), ((Number) hit.get("_score")).doubleValue(), 1e-6);
                assertEquals(matchingFaces(alone, "face_match").keySet(), matchingFaces(hit, "face_match").keySet());
            }
            if (shardsWithPhotos == null) {
                shardsWithPhotos = new HashSet<>();
                for (Map<?, ?> hit : hits(threeShards)) {
                    shardsWithPhotos.add(hit.get("_shard"));
                    assertTrue(hit.toString(), hit.get("_explanation").toString().contains("among the nearest neighbours found by"));
                }
                assertTrue("photos in several shards: " + shardsWithPhotos, shardsWithPhotos.size() >= 2);
            }
            // each shard searched its graph once, in its query phase; each fetch phase took what that one found
            assertEquals(explain, 3L, after.get("graph_searches") - before.get("graph_searches"));
            assertEquals(explain, (long) shardsWithPhotos.size(), after.get("hits_carried_to_fetch") - before.get("hits_carried_to_fetch"));
        }
    }

    private static void profiledQueryTypes(List<?> queries, List<String> types) {
        for (Object query : queries) {
            types.add(((Map<?, ?>) query).get("type").toString());
            Object children = ((Map<?, ?>) query).get("children");
            if (children != null) {
                profiledQueryTypes((List<?>) children, types);
            }
        }
    }

    /** The Lucene query a search of the photos runs for {@code query}. */
    private String luceneQuery(String query) throws IOException {
        Map<String, Object> explained = call(jsonRequest("POST", "/photos/_validate/query?explain=true", "{\"query\":" + query + "}"));
        assertEquals(explained.toString(), true, explained.get("valid"));
        return ((Map<?, ?>) ((List<?>) explained.get("explanations")).get(0)).get("explanation").toString();
    }

    public void testExpandNestedDocsReturnsEveryMatchingFaceOfAPhoto() throws IOException {
        indexPhotos();
        String byRose = "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"rose\"},\"k\":10";

        // by default, each photo's best face: Rose's in the photo of Kit and Rose
        Map<Integer, Double> best = matchingFaces(hit(search(byRose + "}}"), "kit_rose"), "face_match");
        assertEquals(best.toString(), 1, best.size());
        int roseFace = best.keySet().iterator().next();

        // expanded: every face of the photo, each with its own score, Rose's first and scoring the photo
        Map<String, Object> expanded = search(byRose + ",\"expand_nested_docs\":true}}");
        Map<Integer, Double> both = matchingFaces(hit(expanded, "kit_rose"), "face_match");
        assertEquals(both.toString(), 2, both.size());
        assertEquals(both.toString(), roseFace, (int) both.keySet().iterator().next());
        List<Double> scores = new ArrayList<>(both.values());
        assertTrue(both.toString(), scores.get(0) > scores.get(1));
        assertEquals(((Number) hit(expanded, "kit_rose").get("_score")).doubleValue(), scores.get(0), 1e-5);
        Map<?, ?> group = (Map<?, ?>) call(new Request("GET", "/photos/_doc/group")).get("_source");
        int groupFaces = (Integer) ((Map<?, ?>) group.get("photo")).get("face_count");
        assertTrue("a group photo: " + groupFaces, groupFaces > 2);
        assertEquals(groupFaces, matchingFaces(hit(expanded, "group"), "face_match").size());

        // min_similarity keeps the faces that reach it: only Rose's, in the only photos with her face
        Map<String, Object> similar = search(byRose + ",\"expand_nested_docs\":true,\"min_similarity\":0.5}}");
        assertEquals(List.of("kit_rose", "rose"), ids(similar).stream().sorted().toList());
        assertEquals(List.of(roseFace), new ArrayList<>(matchingFaces(hit(similar, "kit_rose"), "face_match").keySet()));

        // inner hits of another name and size
        Map<String, Object> named = search(byRose + ",\"expand_nested_docs\":true,\"inner_hits\":{\"name\":\"faces\",\"size\":1}}}");
        assertEquals(List.of(roseFace), new ArrayList<>(matchingFaces(hit(named, "kit_rose"), "faces").keySet()));
    }

    public void testNestedObjectsAreFoundInTheMapping() throws IOException {
        indexPhotos();
        List<Object> kitAndRose = faceVectors("kit_rose");
        List<Object> obama = faceVectors("obama");
        // people are nested, their face is a plain object inside: the field's last dot does not end the nested path
        call(jsonRequest(
            "PUT",
            "/albums",
            "{\"settings\":{\"index.knn\":true,\"number_of_shards\":1,\"number_of_replicas\":0,\"index.translog.durability\":\"request\"},"
                + "\"mappings\":{\"properties\":{\"people\":{\"type\":\"nested\",\"properties\":{\"name\":{\"type\":\"keyword\"},"
                + "\"face\":{\"properties\":{\"vector\":{\"type\":\"knn_vector\",\"dimension\":128,"
                + "\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\",\"space_type\":\"cosinesimil\"}}}}}}}}}"
        ));
        String bulk = "{\"index\":{\"_index\":\"albums\",\"_id\":\"premiere\"}}\n"
            + "{\"people\":[{\"name\":\"first\",\"face\":{\"vector\":" + kitAndRose.get(0) + "}},"
            + "{\"name\":\"second\",\"face\":{\"vector\":" + kitAndRose.get(1) + "}}]}\n"
            + "{\"index\":{\"_index\":\"albums\",\"_id\":\"speech\"}}\n"
            + "{\"people\":[{\"name\":\"obama\",\"face\":{\"vector\":" + obama.get(0) + "}}]}\n"
            + "{\"index\":{\"_index\":\"albums\",\"_id\":\"crowd\"}}\n"
            + "{\"people\":[{\"name\":\"someone seen from behind\"},{\"name\":\"obama\",\"face\":{\"vector\":" + obama.get(0) + "}}]}\n";
        Map<String, Object> indexed = call(jsonRequest("POST", "/_bulk?refresh=true", bulk));
        assertEquals(indexed.toString(), false, indexed.get("errors"));

        String query = "{\"face_match\":{\"field\":\"people.face.vector\",\"vector\":" + kitAndRose.get(1) + "}}";
        Map<String, Object> response = search("albums", query);
        assertEquals("premiere", ids(response).get(0));
        assertEquals(1.0, ((Number) hits(response).get(0).get("_score")).doubleValue(), 1e-4);
        Map<?, ?> innerHits = (Map<?, ?>) ((Map<?, ?>) hits(response).get(0).get("inner_hits")).get("face_match");
        Map<?, ?> person = (Map<?, ?>) ((List<?>) ((Map<?, ?>) innerHits.get("hits")).get("hits")).get(0);
        assertEquals(1, ((Map<?, ?>) person.get("_nested")).get("offset"));
        Map<?, ?> source = (Map<?, ?>) person.get("_source");
        assertEquals("second", source.get("name"));
        assertNull("vectors are not returned", ((Map<?, ?>) source.get("face")).get("vector"));

        // a face referenced by its position among the nested objects, its vector inside the object
        Map<String, Object> byReference = search(
            "albums",
            "{\"face_match\":{\"field\":\"people.face.vector\",\"face\":{\"index\":\"albums\",\"id\":\"premiere\",\"face\":1}}}"
        );
        assertEquals(ids(response), ids(byReference));
        Map<?, ?> noSuchFace = expectError(
            jsonRequest(
                "POST",
                "/albums/_search",
                "{\"query\":{\"face_match\":{\"field\":\"people.face.vector\",\"face\":{\"index\":\"albums\",\"id\":\"speech\",\"face\":1}}}}"
            ),
            400
        );
        assertTrue(noSuchFace.toString(), noSuchFace.toString().contains("has 1 face(s) under [people]; face 1 does not exist"));
        Map<?, ?> noVector = expectError(
            jsonRequest(
                "POST",
                "/albums/_search",
                "{\"query\":{\"face_match\":{\"field\":\"people.face.vector\",\"face\":{\"index\":\"albums\",\"id\":\"crowd\"}}}}"
            ),
            400
        );
        assertTrue(noVector.toString(), noVector.toString().contains("face 0 of document [crowd] has no vector in [people.face.vector]"));
        // a person without a face still counts: the face after it is the second
        Map<String, Object> afterNoFace = search(
            "albums",
            "{\"face_match\":{\"field\":\"people.face.vector\",\"face\":{\"index\":\"albums\",\"id\":\"crowd\",\"face\":1}}}"
        );
        assertEquals(List.of("crowd", "speech"), ids(afterNoFace).subList(0, 2).stream().sorted().toList());
        assertEquals(1.0, ((Number) hits(afterNoFace).get(1).get("_score")).doubleValue(), 1e-4);
    }

    public void testAFieldOfTheDocumentItselfIsSearchedWithoutNestedObjects() throws IOException {
        indexPhotos();
        call(jsonRequest(
            "PUT",
            "/portraits",
            "{\"settings\":{\"index.knn\":true,\"number_of_shards\":1,\"number_of_replicas\":0,\"index.translog.durability\":\"request\"},"
                + "\"mappings\":{\"properties\":{\"embedding\":{\"type\":\"knn_vector\",\"dimension\":128,"
                + "\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\",\"space_type\":\"cosinesimil\"}}}}}"
        ));
        StringBuilder bulk = new StringBuilder();
        for (String id : List.of("obama", "kit", "rose")) {
            bulk.append("{\"index\":{\"_index\":\"portraits\",\"_id\":\"").append(id).append("\"}}\n");
            bulk.append("{\"embedding\":").append(faceVectors(id).get(0)).append("}\n");
        }
        Map<String, Object> indexed = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
        assertEquals(indexed.toString(), false, indexed.get("errors"));

        Map<String, Object> response = search(
            "portraits",
            "{\"face_match\":{\"field\":\"embedding\",\"face\":{\"index\":\"portraits\",\"id\":\"kit\"}}}"
        );
        assertEquals("kit", ids(response).get(0));
        assertNull("no nested objects, no inner hits", hits(response).get(0).get("inner_hits"));

        Map<?, ?> notNested = searchError(
            "portraits",
            "{\"face_match\":{\"field\":\"embedding\",\"vector\":" + faceVectors("kit").get(0) + ",\"expand_nested_docs\":true}}"
        );
        assertMentions(
            notNested,
            "[face_match] [expand_nested_docs] needs a field inside nested objects, but [embedding] of index [portraits] is in none"
        );
    }

    public void testTheMappingRefusesAVectorOfAnotherDimensionOrAFieldOfAnotherType() throws IOException {
        indexPhotos();
        String wrongDimension = "[face_match] the query vector has 2 dimensions but [faces.embedding] of index [photos] has 128";
        assertMentions(searchError("photos", "{\"face_match\":{\"vector\":[0.6,0.8]}}"), wrongDimension);
        assertMentions(
            searchError("photos", "{\"face_match\":{\"vector\":[0.6,0.8],\"field\":\"caption\"}}"),
            "[face_match] [field] [caption] is mapped as [text] in index [photos], not as a knn_vector"
        );
        assertMentions(
            searchError("photos", "{\"face_match\":{\"vector\":[0.6,0.8],\"field\":\"faces.nothing\"}}"),
            "[face_match] [field] [faces.nothing] is not mapped in index [photos]"
        );
        // identify searches with face_match: the same check, the same answer
        assertMentions(
            expectError(jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"photos\",\"vector\":[0.6,0.8]}"), 400),
            wrongDimension
        );
    }

    private Map<?, ?> searchError(String index, String query) throws IOException {
        return expectError(jsonRequest("POST", "/" + index + "/_search", "{\"query\":" + query + "}"), 400);
    }

    private static void assertMentions(Map<?, ?> error, String part) {
        assertTrue("[" + error + "] should mention [" + part + "]", error.toString().contains(part));
    }
}

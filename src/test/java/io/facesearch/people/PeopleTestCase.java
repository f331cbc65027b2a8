package io.facesearch.people;

import io.facesearch.people.cluster.ClusteringScores;
import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;
import io.facesearch.vision.TestModels;

import org.opensearch.client.Request;
import org.opensearch.painless.PainlessModulePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Photo indices filled with real labelled photos through the {@code face} pipeline, and the people API called over
 * REST. The photos: up to four of every person with at least two in {@code people/} (the first half of them, rounded
 * up, in the first part; the rest in the second), and every eighth person with a single photo, as strangers.
 */
public abstract class PeopleTestCase extends FaceSearchIntegTestCase {
    static final int PHOTOS_PER_PERSON = 4;
    static final int STRANGER_STRIDE = 8;

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, PainlessModulePlugin.class, knnPlugin());
    }

    /** A labelled photo: its path under the faces folder, its person, and its document id. */
    public record Photo(String path, String identity, String id) {}

    /** The photos of the first part ({@code first} true) or of the second. */
    protected static List<Photo> photos(boolean first) {
        Path people = TestModels.facesDir().resolve("people");
        List<Photo> chosen = new ArrayList<>();
        int singles = 0;
        try (Stream<Path> folders = Files.list(people)) {
            for (Path folder : folders.sorted().toList()) {
                List<Path> files;
                try (Stream<Path> list = Files.list(folder)) {
                    files = list.sorted().toList();
                }
                if (files.size() == 1) {
                    if (first && singles++ % STRANGER_STRIDE == 0) {
                        chosen.add(photo(people, files.get(0)));
                    }
                    continue;
                }
                List<Path> kept = files.subList(0, Math.min(PHOTOS_PER_PERSON, files.size()));
                int half = (kept.size() + 1) / 2;
                for (Path file : first ? kept.subList(0, half) : kept.subList(half, kept.size())) {
                    chosen.add(photo(people, file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chosen;
    }

    /** Four photos of each of the first {@code count} people with four or more. */
    protected static List<Photo> peopleWithFourPhotos(int count) {
        Map<String, List<Photo>> byPerson = new LinkedHashMap<>();
        for (Photo photo : photos(true)) {
            byPerson.computeIfAbsent(photo.identity(), p -> new ArrayList<>()).add(photo);
        }
        for (Photo photo : photos(false)) {
            byPerson.computeIfAbsent(photo.identity(), p -> new ArrayList<>()).add(photo);
        }
        List<Photo> chosen = new ArrayList<>();
        byPerson.values().stream().filter(p -> p.size() == PHOTOS_PER_PERSON).limit(count).forEach(chosen::addAll);
        return chosen;
    }

    private static Photo photo(Path people, Path file) {
        String relative = people.getParent().relativize(file).toString();
        return new Photo(relative, file.getParent().getFileName().toString(), file.getFileName().toString());
    }

    protected void createPhotoIndex(String index, int shards) throws IOException {
        call(jsonRequest("PUT", "/_plugins/_face/index/" + index, "{\"settings\":{\"number_of_shards\":" + shards + "}}"));
    }

    /** Indexes the photos through the index's pipeline, in bulks of a few megabytes. */
    protected void ingest(String index, List<Photo> photos) throws IOException {
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < photos.size(); i++) {
            Photo photo = photos.get(i);
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(photo.id()).append("\"}}\n");
            bulk.append("{\"image\":\"").append(base64(photo.path())).append("\",\"folder\":\"").append(photo.identity()).append("\"}\n");
            if (bulk.length() > 2_000_000 || i == photos.size() - 1) {
                Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
                assertEquals(result.toString(), false, result.get("errors"));
                bulk.setLength(0);
            }
        }
    }

    protected Map<String, Object> cluster(String index, String body) throws IOException {
        return call(jsonRequest("POST", "/_plugins/_face/people/" + index + "/_cluster", body));
    }

    /** A face of a photo index: the document and the face's position, as {@code id#position}. */
    protected static String face(String id, int position) {
        return id + "#" + position;
    }

    /** Every face of the index and its person (null: unassigned), by {@link #face}, in order. */
    protected Map<String, String> personsOfFaces(String index) throws IOException {
        Map<String, String> persons = new TreeMap<>();
        for (Map<?, ?> hit : allDocuments(index, "[\"faces.person\",\"faces.index\"]")) {
            List<?> faces = (List<?>) ((Map<?, ?>) hit.get("_source")).get("faces");
            if (faces == null) {
                // a photo left without faces
                continue;
            }
            for (int i = 0; i < faces.size(); i++) {
                Object person = ((Map<?, ?>) faces.get(i)).get("person");
                persons.put(face((String) hit.get("_id"), i), (String) person);
            }
        }
        return persons;
    }

    /** The folder of every face that is alone in its photo (the photo's subject for sure), by {@link #face}. */
    Map<String, String> labelsOfSingleFaces(String index) throws IOException {
        Map<String, String> labels = new TreeMap<>();
        for (Map<?, ?> hit : allDocuments(index, "[\"faces.index\",\"folder\"]")) {
            Map<?, ?> source = (Map<?, ?>) hit.get("_source");
            List<?> faces = (List<?>) source.get("faces");
            if (faces != null && faces.size() == 1) {
                labels.put(face((String) hit.get("_id"), 0), (String) source.get("folder"));
            }
        }
        return labels;
    }

    protected List<Map<?, ?>> allDocuments(String index, String source) throws IOException {
        Map<String, Object> response = call(
            jsonRequest("POST", "/" + index + "/_search", "{\"size\":10000,\"_source\":" + source + ",\"query\":{\"match_all\":{}}}")
        );
        List<Map<?, ?>> hits = new ArrayList<>();
        for (Object hit : (List<?>) ((Map<?, ?>) response.get("hits")).get("hits")) {
            hits.add((Map<?, ?>) hit);
        }
        return hits;
    }

    /** BCubed and pairwise scores of the persons against the labels, over the labelled faces. */
    static ClusteringScores scores(Map<String, String> persons, Map<String, String> labels) {
        List<String> personList = new ArrayList<>();
        List<String> labelList = new ArrayList<>();
        for (Map.Entry<String, String> face : persons.entrySet()) {
            personList.add(face.getValue());
            labelList.add(labels.get(face.getKey()));
        }
        return ClusteringScores.of(personList, labelList);
    }

    /** The person documents of a people index, by id. */
    protected Map<String, Map<?, ?>> personDocuments(String peopleIndex) throws IOException {
        call(new Request("POST", "/" + peopleIndex + "/_refresh"));
        Map<String, Map<?, ?>> persons = new LinkedHashMap<>();
        for (Map<?, ?> hit : allDocuments(peopleIndex, "true")) {
            persons.put((String) hit.get("_id"), (Map<?, ?>) hit.get("_source"));
        }
        return persons;
    }
}

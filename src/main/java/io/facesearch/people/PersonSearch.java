package io.facesearch.people;

import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.get.GetAction;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.get.GetResponse;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.NestedQueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.SearchHits;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.search.sort.SortOrder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads persons for users: the list of a people index, one person with its faces, a person by name. */
public final class PersonSearch {
    /** Faces of one photo listed with a person: the most inner hits a search returns by default. */
    static final int FACES_PER_PHOTO = 100;
    private static final String FACES_HITS = "faces";

    private final ChildRequests requests;
    private final String peopleIndex;

    public PersonSearch(ChildRequests requests, String peopleIndex) {
        this.requests = requests;
        this.peopleIndex = peopleIndex;
    }

    /** The persons, most faces first: {@code {"people_index", "total", "persons": [...]}}. */
    public Map<String, Object> list(int from, int size) {
        SearchSourceBuilder source = new SearchSourceBuilder().from(from)
            .size(size)
            .sort(PeopleIndex.FACE_COUNT, SortOrder.DESC)
            .sort(PeopleIndex.CREATED_AT, SortOrder.ASC)
            .fetchSource(null, PeopleIndex.hiddenFields().toArray(String[]::new))
            .trackTotalHits(true);
        SearchResponse response = requests.execute(SearchAction.INSTANCE, new SearchRequest(peopleIndex).source(source));
        List<Object> persons = new ArrayList<>();
        for (SearchHit hit : response.getHits().getHits()) {
            persons.add(render(hit.getId(), hit.getSourceAsMap()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("people_index", peopleIndex);
        answer.put("total", response.getHits().getTotalHits() == null ? persons.size() : response.getHits().getTotalHits().value());
        answer.put("persons", persons);
        return answer;
    }

    /**
     * One person and its faces, by photo ({@code from} and {@code size} count photos):
     * {@code {"person": {...}, "total_photos": n, "faces": [{"index", "id", "face", "score", "box"}, ...]}}.
     */
    public Map<String, Object> one(String person, List<String> photoIndices, int from, int size) {
        GetResponse stored = requests.execute(
            GetAction.INSTANCE,
            new GetRequest(peopleIndex, person).fetchSourceContext(new FetchSourceContext(true, null, PeopleIndex.hiddenFields().toArray(String[]::new)))
        );
        if (stored.isExists() == false) {
            throw new ResourceNotFoundException("person [{}] not found in [{}]", person, peopleIndex);
        }
        NestedQueryBuilder faces = QueryBuilders.nestedQuery(
            FacePersonFields.FACES,
            QueryBuilders.termQuery(FacePersonFields.person(), person),
            ScoreMode.None
        ).innerHit(
            new InnerHitBuilder(FACES_HITS).setSize(FACES_PER_PHOTO)
                .setFetchSourceContext(new FetchSourceContext(true, new String[] { "score", "box.*", "quality.*" }, null))
        );
        SearchSourceBuilder source = new SearchSourceBuilder().query(faces).from(from).size(size).fetchSource(false).trackTotalHits(true);
        SearchResponse response = requests.execute(SearchAction.INSTANCE, new SearchRequest(photoIndices.toArray(String[]::new)).source(source));
        List<Object> found = new ArrayList<>();
        for (SearchHit photo : response.getHits().getHits()) {
            SearchHits inner = photo.getInnerHits() == null ? null : photo.getInnerHits().get(FACES_HITS);
            if (inner == null) {
                continue;
            }
            for (SearchHit face : inner.getHits()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("index", photo.getIndex());
                entry.put("id", photo.getId());
                entry.put("face", face.getNestedIdentity().getOffset());
                Map<String, Object> fields = face.getSourceAsMap();
                if (fields != null) {
                    entry.put("score", fields.get("score"));
                    entry.put("box", fields.get("box"));
                    entry.put("quality", fields.get("quality"));
                }
                found.add(entry);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("person", render(person, stored.getSourceAsMap()));
        answer.put("total_photos", response.getHits().getTotalHits() == null ? found.size() : response.getHits().getTotalHits().value());
        answer.put("faces", found);
        return answer;
    }

    /** The id of the person named {@code name} in the people index, or null. */
    public static String idOfName(ChildRequests requests, String peopleIndex, String name) {
        SearchSourceBuilder source = new SearchSourceBuilder().query(QueryBuilders.termQuery(PeopleIndex.NAME, name))
            .size(1)
            .fetchSource(false)
            .sort(PeopleIndex.CREATED_AT, SortOrder.ASC);
        SearchResponse response = requests.execute(SearchAction.INSTANCE, new SearchRequest(peopleIndex).source(source));
        SearchHit[] hits = response.getHits().getHits();
        return hits.length == 0 ? null : hits[0].getId();
    }

    /** A person as answered: its id, then its fields, without the centroid. */
    public static Map<String, Object> render(String id, Map<String, Object> source) {
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("id", id);
        for (Map.Entry<String, Object> field : source.entrySet()) {
            if (PeopleIndex.hiddenFields().contains(field.getKey()) == false) {
                person.put(field.getKey(), field.getValue());
            }
        }
        return person;
    }
}

package io.facesearch.transport;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.people.cluster.ClusterMode;
import io.facesearch.people.cluster.ClusterOptions;

import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.tasks.Task;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * A clustering run over the faces of photo indices: the mode, the options that decide which faces are linked and
 * which take part (null: the defaults), and the index the persons are kept in (null: {@code {index}-people}).
 */
public class ClusterPeopleRequest extends CancellableRequest implements IndicesRequest {
    static final String KNOWN_FIELDS = "[mode, min_faces, similarity, min_score, min_face_size, min_quality, people_index, persons_from]";
    /** Any face a photo index can hold: no option may ask for more faces than the most a cluster could hold. */
    public static final int MAX_MIN_FACES = 1_000_000;

    private final String[] indices;
    private final ClusterMode mode;
    private final int minFaces;
    private final float similarity;
    private final Float minScore;
    private final Integer minFaceSize;
    private final float minQuality;
    private final String peopleIndex;
    private final String personsFrom;
    private boolean storeResult;

    public ClusterPeopleRequest(
        String[] indices,
        ClusterMode mode,
        int minFaces,
        float similarity,
        Float minScore,
        Integer minFaceSize,
        float minQuality,
        String peopleIndex,
        String personsFrom
    ) {
        this.indices = indices;
        this.mode = mode;
        this.minFaces = minFaces;
        this.similarity = similarity;
        this.minScore = minScore;
        this.minFaceSize = minFaceSize;
        this.minQuality = minQuality;
        this.peopleIndex = peopleIndex;
        this.personsFrom = personsFrom;
    }

    public ClusterPeopleRequest(StreamInput in) throws IOException {
        super(in);
        this.indices = in.readStringArray();
        this.mode = in.readEnum(ClusterMode.class);
        this.minFaces = in.readVInt();
        this.similarity = in.readFloat();
        this.minScore = in.readOptionalFloat();
        this.minFaceSize = in.readOptionalVInt();
        this.minQuality = in.readFloat();
        this.peopleIndex = in.readOptionalString();
        this.personsFrom = in.readOptionalString();
        this.storeResult = in.readBoolean();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringArray(indices);
        out.writeEnum(mode);
        out.writeVInt(minFaces);
        out.writeFloat(similarity);
        out.writeOptionalFloat(minScore);
        out.writeOptionalVInt(minFaceSize);
        out.writeFloat(minQuality);
        out.writeOptionalString(peopleIndex);
        out.writeOptionalString(personsFrom);
        out.writeBoolean(storeResult);
    }

    /** Reads the optional JSON body of {@code POST _plugins/_face/people/{index}/_cluster}; every error names its field. */
    public static ClusterPeopleRequest parse(String[] indices, XContentParser parser) throws IOException {
        if (parser == null) {
            return new ClusterPeopleRequest(indices, ClusterMode.INCREMENTAL, ClusterOptions.DEFAULT_MIN_FACES, ClusterOptions.DEFAULT_SIMILARITY, null, null, 0, null, null);
        }
        return FieldReader.body(parser, p -> read(indices, p));
    }

    private static ClusterPeopleRequest read(String[] indices, XContentParser parser) throws IOException {
        ClusterMode mode = ClusterMode.INCREMENTAL;
        int minFaces = ClusterOptions.DEFAULT_MIN_FACES;
        float similarity = ClusterOptions.DEFAULT_SIMILARITY;
        Float minScore = null;
        Integer minFaceSize = null;
        float minQuality = 0;
        String peopleIndex = null;
        String personsFrom = null;
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "mode" -> mode = mode(FieldReader.string(parser, name));
                case "min_faces" -> minFaces = FieldReader.integer(parser, name, 1, MAX_MIN_FACES);
                case "similarity" -> similarity = FieldReader.number(parser, name, -1, 1);
                case "min_score" -> minScore = FieldReader.number(parser, name, 0, 1);
                case "min_face_size" -> minFaceSize = FieldReader.integer(parser, name, 0, 100_000);
                case "min_quality" -> minQuality = FieldReader.number(parser, name, 0, 1);
                case "people_index" -> peopleIndex = FieldReader.string(parser, name);
                case "persons_from" -> personsFrom = FieldReader.string(parser, name);
                default -> throw FieldValues.unknownField(name, KNOWN_FIELDS);
            }
        }
        return new ClusterPeopleRequest(indices, mode, minFaces, similarity, minScore, minFaceSize, minQuality, peopleIndex, personsFrom);
    }

    private static ClusterMode mode(String value) {
        return switch (value) {
            case "incremental" -> ClusterMode.INCREMENTAL;
            case "full" -> ClusterMode.FULL;
            default -> throw FieldValues.invalid("mode", "must be [incremental] or [full], got [" + value + "]");
        };
    }

    /** The mode as the API names it. */
    public static String modeName(ClusterMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public ActionRequestValidationException validate() {
        return indices == null || indices.length == 0 ? RequestValidation.missing("index") : null;
    }

    /**
     * With {@code wait_for_completion=false}, the task stores its result in the {@code .tasks} index when it ends, as
     * {@code _reindex} does, for {@code GET _tasks/{task}} to show.
     */
    public void storeResult(boolean storeResult) {
        this.storeResult = storeResult;
    }

    @Override
    public boolean getShouldStoreResult() {
        return storeResult;
    }

    @Override
    public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new ClusterPeopleTask(id, type, action, getDescription(), parentTaskId, headers);
    }

    @Override
    public String[] indices() {
        return indices;
    }

    @Override
    public IndicesOptions indicesOptions() {
        return IndicesOptions.strictExpandOpenAndForbidClosed();
    }

    @Override
    public String getDescription() {
        return modeName(mode) + " clustering of the faces of " + String.join(",", indices) + (peopleIndex == null ? "" : " into " + peopleIndex);
    }

    public ClusterMode mode() {
        return mode;
    }

    public int minFaces() {
        return minFaces;
    }

    public float similarity() {
        return similarity;
    }

    /** Null: the node's {@code face_search.detector.min_score}. */
    public Float minScore() {
        return minScore;
    }

    /** Null: the node's {@code face_search.detector.min_face_size}. */
    public Integer minFaceSize() {
        return minFaceSize;
    }

    public float minQuality() {
        return minQuality;
    }

    public String peopleIndex() {
        return peopleIndex;
    }

    /**
     * Another people index whose persons the faces may name, as after re-embedding the photos into a new index with
     * another model: persons the run's people index lacks take their name and edits from there. Null: none.
     */
    public String personsFrom() {
        return personsFrom;
    }
}

package io.facesearch.people;

import org.opensearch.action.bulk.BulkAction;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.action.update.UpdateRequest;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.script.Script;
import org.opensearch.script.ScriptType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the person fields of faces ({@code faces.person}, {@code faces.not_persons}) into their photo documents: one
 * scripted update per photo that sets, or removes, the fields of the faces named, by position. The update rewrites
 * the stored document from its source, vectors included, and leaves everything else as it was; a photo whose version
 * is given is updated only if it is still that version, so a photo changed since it was read (a new photo, faces in
 * other positions) is skipped rather than written wrongly.
 */
public final class FaceWriter {
    static final int BULK_SIZE = 500;
    /**
     * {@code params.person}: face position to person id (null removes it); {@code params.add_not} and
     * {@code params.remove_not}: face position to the persons to add to or drop from its {@code not_persons}.
     */
    static final String SCRIPT = """
        def faces = ctx._source.faces;
        if (faces == null) { ctx.op = 'noop'; return; }
        for (def entry : params.person.entrySet()) {
          int i = Integer.parseInt(entry.getKey());
          if (i >= faces.size()) { continue; }
          if (entry.getValue() == null) { faces[i].remove('person'); } else { faces[i].person = entry.getValue(); }
        }
        for (def entry : params.add_not.entrySet()) {
          int i = Integer.parseInt(entry.getKey());
          if (i >= faces.size()) { continue; }
          def current = faces[i].not_persons;
          def list = new ArrayList();
          if (current instanceof List) { list.addAll(current); } else if (current != null) { list.add(current); }
          for (def person : entry.getValue()) { if (list.contains(person) == false) { list.add(person); } }
          faces[i].not_persons = list;
        }
        for (def entry : params.remove_not.entrySet()) {
          int i = Integer.parseInt(entry.getKey());
          if (i >= faces.size()) { continue; }
          def current = faces[i].not_persons;
          def list = new ArrayList();
          if (current instanceof List) { list.addAll(current); } else if (current != null) { list.add(current); }
          list.removeAll(entry.getValue());
          if (list.isEmpty()) { faces[i].remove('not_persons'); } else { faces[i].not_persons = list; }
        }
        """;

    /** The changes to the faces of one photo. */
    public static final class PhotoChange {
        private final String index;
        private final String id;
        private final StoredFaces.PhotoVersion version;
        private final Map<String, String> person = new LinkedHashMap<>();
        private final Map<String, List<String>> addNot = new LinkedHashMap<>();
        private final Map<String, List<String>> removeNot = new LinkedHashMap<>();

        /** @param version the version read, or null to update whatever the photo is now */
        public PhotoChange(String index, String id, StoredFaces.PhotoVersion version) {
            this.index = index;
            this.id = id;
            this.version = version;
        }

        /** Face {@code face} now belongs to {@code person} (null: to no one). */
        public PhotoChange person(int face, String person) {
            this.person.put(Integer.toString(face), person);
            return this;
        }

        /** Face {@code face} is not {@code person}. */
        public PhotoChange notPerson(int face, String person) {
            addNot.computeIfAbsent(Integer.toString(face), f -> new ArrayList<>()).add(person);
            return this;
        }

        /** Face {@code face} is no longer said not to be {@code person} (it was merged into another). */
        public PhotoChange forgetNotPerson(int face, String person) {
            removeNot.computeIfAbsent(Integer.toString(face), f -> new ArrayList<>()).add(person);
            return this;
        }

        UpdateRequest request() {
            Map<String, Object> params = new HashMap<>();
            params.put("person", person);
            params.put("add_not", addNot);
            params.put("remove_not", removeNot);
            UpdateRequest update = new UpdateRequest(index, id).script(new Script(ScriptType.INLINE, "painless", SCRIPT, params));
            if (version != null) {
                update.setIfSeqNo(version.seqNo());
                update.setIfPrimaryTerm(version.primaryTerm());
            }
            return update;
        }
    }

    private final ChildRequests requests;

    public FaceWriter(ChildRequests requests) {
        this.requests = requests;
    }

    /**
     * Applies the changes in bulks and refreshes the photo indices after the last.
     *
     * @return how many photos were skipped because they changed since they were read
     */
    public long write(List<PhotoChange> changes, ClusterProgress progress) {
        long skipped = 0;
        for (int start = 0; start < changes.size(); start += BULK_SIZE) {
            BulkRequest bulk = new BulkRequest();
            for (PhotoChange change : changes.subList(start, Math.min(changes.size(), start + BULK_SIZE))) {
                bulk.add(change.request());
            }
            if (start + BULK_SIZE >= changes.size()) {
                bulk.setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
            }
            BulkResponse response = requests.execute(BulkAction.INSTANCE, bulk);
            for (BulkItemResponse item : response.getItems()) {
                if (item.isFailed() == false) {
                    continue;
                }
                RestStatus status = item.getFailure().getStatus();
                if (status == RestStatus.CONFLICT || status == RestStatus.NOT_FOUND) {
                    skipped++;
                } else {
                    throw new IllegalStateException(
                        "writing the persons of the faces of [" + item.getIndex() + "/" + item.getId() + "] failed: " + item.getFailureMessage(),
                        item.getFailure().getCause()
                    );
                }
            }
            if (progress != null) {
                progress.photosUpdated(response.getItems().length);
            }
        }
        return skipped;
    }
}

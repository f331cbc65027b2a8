package io.facesearch.erase;

import io.facesearch.people.ChildRequests;
import io.facesearch.people.PersonEditor;
import io.facesearch.people.RunMemory;

import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.admin.indices.forcemerge.ForceMergeAction;
import org.opensearch.action.admin.indices.forcemerge.ForceMergeRequest;
import org.opensearch.action.admin.indices.refresh.RefreshAction;
import org.opensearch.action.admin.indices.refresh.RefreshRequest;
import org.opensearch.action.admin.indices.stats.CommonStats;
import org.opensearch.action.admin.indices.stats.IndicesStatsAction;
import org.opensearch.action.admin.indices.stats.IndicesStatsRequest;
import org.opensearch.action.admin.indices.stats.IndicesStatsResponse;
import org.opensearch.action.bulk.BulkAction;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.get.GetAction;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.SearchScrollAction;
import org.opensearch.action.search.SearchScrollRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.ingest.IngestService;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One erasure, step after step on a thread of the plugin's people pool, every search and write a child of its task:
 * the photos the criteria find are read whole; their matching faces are taken out (or the photos deleted), each write
 * on the version read and without the index's pipeline, which would analyse a kept photo again and bring the faces
 * back; the persons those photos name are recomputed or deleted; then the indices are refreshed and searched again with
 * the same criteria, and, with expunge, merged until no deleted document is left.
 */
public final class FaceErasure {
    /** Passes over the photos at most: a photo changed between reading and writing is read and erased again. */
    static final int MAX_PASSES = 3;
    static final int PAGE_SIZE = 100;
    static final TimeValue KEEP_ALIVE = TimeValue.timeValueMinutes(5);
    /** How long expunging tries to merge away the deleted documents, and how long it waits between tries. */
    static final TimeValue EXPUNGE_WAIT = TimeValue.timeValueSeconds(120);
    static final TimeValue EXPUNGE_RETRY = TimeValue.timeValueSeconds(5);

    /** A photo index and the fields of its {@code face} processor that hold what shows the subject besides faces. */
    public record PhotoIndex(String name, String photoField, String imageField, String clipField) {}

    /** Whole photos or the matching faces alone. */
    public enum Scope {
        FACES("faces"),
        DOCUMENTS("documents");

        private final String apiName;

        Scope(String apiName) {
            this.apiName = apiName;
        }

        /** The name requests and answers give it. */
        public String apiName() {
            return apiName;
        }

        /** The scope a request names; null for none of them. */
        public static Scope fromApiName(String name) {
            for (Scope scope : values()) {
                if (scope.apiName.equals(name)) {
                    return scope;
                }
            }
            return null;
        }
    }

    /**
     * @param listLimit the most matching photos a dry run lists
     */
    public record Options(Scope scope, boolean dryRun, boolean expunge, int listLimit) {}

    private final ChildRequests requests;
    private final List<PhotoIndex> photoIndices;
    private final List<String> peopleIndices;
    private final int dimension;
    private final RunMemory memory;
    private final Supplier<String> newIds;

    public FaceErasure(
        ChildRequests requests,
        List<PhotoIndex> photoIndices,
        List<String> peopleIndices,
        int dimension,
        RunMemory memory,
        Supplier<String> newIds
    ) {
        this.requests = requests;
        this.photoIndices = photoIndices;
        this.peopleIndices = peopleIndices;
        this.dimension = dimension;
        this.memory = memory;
        this.newIds = newIds;
    }

    /** Counts of one photo index. */
    private static final class IndexCounts {
        long photosMatched;
        long facesMatched;
        long photosDeleted;
        long photosChanged;
        long facesRemoved;
        long remaining;

        Map<String, Object> render(boolean dryRun) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("photos_matched", photosMatched);
            counts.put("faces_matched", facesMatched);
            if (dryRun == false) {
                counts.put("photos_deleted", photosDeleted);
                counts.put("photos_changed", photosChanged);
                counts.put("faces_removed", facesRemoved);
                counts.put("faces_remaining", remaining);
            }
            return counts;
        }
    }

    /** Runs the erasure and answers what it did (see the README's {@code _erase} answer). */
    public Map<String, Object> run(EraseCriteria criteria, Options options) {
        long start = System.nanoTime();
        Map<String, IndexCounts> counts = new TreeMap<>();
        photoIndices.forEach(index -> counts.put(index.name(), new IndexCounts()));
        List<Object> listed = new ArrayList<>();
        Set<String> affectedPersons = new LinkedHashSet<>();
        List<String> failures = new ArrayList<>();
        Map<String, Object> expunged = null;

        long conflicts = pass(criteria, options, counts, listed, affectedPersons, failures, true);
        boolean verified = false;
        long persons = 0;
        if (options.dryRun() == false) {
            for (int passes = 1; conflicts > 0 && passes < MAX_PASSES; passes++) {
                refreshPhotos();
                conflicts = pass(criteria, options, counts, listed, affectedPersons, failures, false);
            }
            persons = recountPersons(criteria, affectedPersons);
            refreshPhotos();
            long remaining = 0;
            for (Map.Entry<String, Long> left : remainingByIndex(criteria).entrySet()) {
                counts.get(left.getKey()).remaining = left.getValue();
                remaining += left.getValue();
            }
            verified = remaining == 0 && personGone(criteria) && failures.isEmpty();
            if (options.expunge()) {
                expunged = expunge();
            }
        }

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("took", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        answer.put("dry_run", options.dryRun());
        answer.put("scope", options.scope().apiName());
        answer.put("criteria", criteria.describe());
        long photosMatched = counts.values().stream().mapToLong(c -> c.photosMatched).sum();
        long facesMatched = counts.values().stream().mapToLong(c -> c.facesMatched).sum();
        answer.put("photos_matched", photosMatched);
        answer.put("faces_matched", facesMatched);
        if (options.dryRun() == false) {
            answer.put("photos_deleted", counts.values().stream().mapToLong(c -> c.photosDeleted).sum());
            answer.put("photos_changed", counts.values().stream().mapToLong(c -> c.photosChanged).sum());
            answer.put("faces_removed", counts.values().stream().mapToLong(c -> c.facesRemoved).sum());
            answer.put("persons_changed", persons);
            answer.put("verified", verified);
            answer.put("faces_remaining", counts.values().stream().mapToLong(c -> c.remaining).sum());
        }
        Map<String, Object> byIndex = new LinkedHashMap<>();
        counts.forEach((index, count) -> byIndex.put(index, count.render(options.dryRun())));
        answer.put("indices", byIndex);
        if (options.dryRun()) {
            answer.put("photos", listed);
            answer.put("photos_listed_all", listed.size() == photosMatched);
        }
        if (expunged != null) {
            answer.put("expunge", expunged);
        }
        if (failures.isEmpty() == false) {
            answer.put("failures", failures);
        }
        return answer;
    }

    /**
     * One pass over the photos the criteria find: each read whole, its matching faces taken out (or the photo deleted),
     * in bulks. The first pass counts what matched; later passes only erase what changed under the first.
     *
     * @return how many photos changed between reading and writing, left for another pass
     */
    private long pass(
        EraseCriteria criteria,
        Options options,
        Map<String, IndexCounts> counts,
        List<Object> listed,
        Set<String> affectedPersons,
        List<String> failures,
        boolean first
    ) {
        SearchSourceBuilder source = new SearchSourceBuilder().size(PAGE_SIZE)
            .query(criteria.photos())
            .sort("_doc")
            .seqNoAndPrimaryTerm(true)
            .fetchSource(true);
        SearchRequest search = new SearchRequest(names()).source(source).scroll(KEEP_ALIVE).indicesOptions(IndicesOptions.strictExpandOpenAndForbidClosed());
        SearchResponse page = requests.execute(SearchAction.INSTANCE, search);
        String scrollId = page.getScrollId();
        long conflicts = 0;
        try {
            while (page.getHits().getHits().length > 0) {
                BulkRequest bulk = new BulkRequest();
                Map<String, Integer> removedByWrite = new LinkedHashMap<>();
                for (SearchHit hit : page.getHits().getHits()) {
                    PhotoIndex index = photoIndex(hit.getIndex());
                    Map<String, Object> photo = hit.getSourceAsMap();
                    PhotoErasure erasure = PhotoErasure.of(hit.getIndex(), photo, criteria, options.scope() == Scope.DOCUMENTS);
                    if (erasure.nothing()) {
                        continue;
                    }
                    IndexCounts count = counts.get(hit.getIndex());
                    if (first) {
                        count.photosMatched++;
                        count.facesMatched += erasure.matchedFaces().size();
                        if (options.dryRun() && listed.size() < options.listLimit()) {
                            listed.add(erasure.listing(hit.getIndex(), hit.getId()));
                        }
                    }
                    if (options.dryRun()) {
                        continue;
                    }
                    affectedPersons.addAll(erasure.persons());
                    String key = hit.getIndex() + "/" + hit.getId();
                    if (erasure.wholePhoto()) {
                        bulk.add(new DeleteRequest(hit.getIndex(), hit.getId()).setIfSeqNo(hit.getSeqNo()).setIfPrimaryTerm(hit.getPrimaryTerm()));
                        removedByWrite.put(key, -1);
                    } else {
                        Map<String, Object> kept = erasure.remainingPhoto(index);
                        bulk.add(
                            new IndexRequest(hit.getIndex()).id(hit.getId())
                                .source(kept, MediaTypeRegistry.JSON)
                                .setPipeline(IngestService.NOOP_PIPELINE_NAME)
                                .setIfSeqNo(hit.getSeqNo())
                                .setIfPrimaryTerm(hit.getPrimaryTerm())
                        );
                        removedByWrite.put(key, erasure.matchedFaces().size());
                    }
                }
                if (bulk.numberOfActions() > 0) {
                    conflicts += write(bulk, removedByWrite, counts, failures);
                }
                page = requests.execute(SearchScrollAction.INSTANCE, new SearchScrollRequest(scrollId).scroll(KEEP_ALIVE));
                scrollId = page.getScrollId();
            }
        } finally {
            requests.clearScroll(scrollId);
        }
        return conflicts;
    }

    /** Sends one bulk; counts what was erased, and returns how many photos changed since they were read. */
    private long write(BulkRequest bulk, Map<String, Integer> removedByWrite, Map<String, IndexCounts> counts, List<String> failures) {
        BulkResponse response = requests.execute(BulkAction.INSTANCE, bulk);
        long conflicts = 0;
        for (BulkItemResponse item : response.getItems()) {
            String key = item.getIndex() + "/" + item.getId();
            IndexCounts count = counts.get(item.getIndex());
            if (item.isFailed()) {
                if (item.getFailure().getStatus() == RestStatus.CONFLICT) {
                    conflicts++;
                } else if (item.getFailure().getStatus() != RestStatus.NOT_FOUND) {
                    failures.add("[" + key + "]: " + item.getFailureMessage());
                }
                continue;
            }
            int removed = removedByWrite.getOrDefault(key, 0);
            if (removed < 0) {
                count.photosDeleted++;
            } else {
                count.photosChanged++;
                count.facesRemoved += removed;
            }
        }
        return conflicts;
    }

    /**
     * The persons named by the faces of the photos erased: the person erased goes from every people index; each other
     * is recomputed from the faces left (its centroid held the erased faces), and deleted when none is left.
     *
     * @return how many persons were recomputed or deleted
     */
    private long recountPersons(EraseCriteria criteria, Set<String> affected) {
        if (peopleIndices.isEmpty()) {
            return 0;
        }
        refreshPhotos();
        List<String> indices = List.of(names());
        long changed = 0;
        for (String peopleIndex : peopleIndices) {
            PersonEditor editor = new PersonEditor(requests, memory, indices, dimension, peopleIndex, newIds);
            if (criteria instanceof EraseCriteria.ByPerson byPerson && editor.exists(byPerson.person())) {
                editor.delete(byPerson.person());
                changed++;
            }
            for (String person : affected) {
                if (criteria instanceof EraseCriteria.ByPerson byPerson && byPerson.person().equals(person)) {
                    continue;
                }
                if (editor.exists(person)) {
                    editor.recount(person);
                    changed++;
                }
            }
        }
        requests.execute(RefreshAction.INSTANCE, new RefreshRequest(peopleIndices.toArray(String[]::new)));
        return changed;
    }

    /** Whether the person erased (if the criteria name one) is in no people index any more. */
    private boolean personGone(EraseCriteria criteria) {
        if ((criteria instanceof EraseCriteria.ByPerson) == false) {
            return true;
        }
        String person = ((EraseCriteria.ByPerson) criteria).person();
        for (String peopleIndex : peopleIndices) {
            GetRequest get = new GetRequest(peopleIndex, person).fetchSourceContext(FetchSourceContext.DO_NOT_FETCH_SOURCE);
            if (requests.execute(GetAction.INSTANCE, get).isExists()) {
                return false;
            }
        }
        return true;
    }

    /** The faces the criteria still find, by index (the verification). */
    private Map<String, Long> remainingByIndex(EraseCriteria criteria) {
        Map<String, Long> remaining = new TreeMap<>();
        photoIndices.forEach(index -> remaining.put(index.name(), 0L));
        SearchRequest search = new SearchRequest(names()).source(
            new SearchSourceBuilder().size(PAGE_SIZE).query(criteria.photos()).fetchSource(true).trackTotalHits(true)
        ).scroll(KEEP_ALIVE);
        SearchResponse page = requests.execute(SearchAction.INSTANCE, search);
        String scrollId = page.getScrollId();
        try {
            while (page.getHits().getHits().length > 0) {
                for (SearchHit hit : page.getHits().getHits()) {
                    PhotoErasure left = PhotoErasure.of(hit.getIndex(), hit.getSourceAsMap(), criteria, false);
                    long faces = left.wholePhoto() ? Math.max(1, left.matchedFaces().size()) : left.matchedFaces().size();
                    remaining.merge(hit.getIndex(), faces, Long::sum);
                }
                page = requests.execute(SearchScrollAction.INSTANCE, new SearchScrollRequest(scrollId).scroll(KEEP_ALIVE));
                scrollId = page.getScrollId();
            }
        } finally {
            requests.clearScroll(scrollId);
        }
        return remaining;
    }

    /**
     * Merges the photo and people indices until they hold no deleted document, so the erased vectors leave the disk:
     * first only segments with deletes, then, if some are left (Lucene skips segments with few deletes), down to one
     * segment.
     */
    private Map<String, Object> expunge() {
        String[] indices = allIndices();
        requests.execute(RefreshAction.INSTANCE, new RefreshRequest(indices));
        Map<String, Object> before = storeStats();
        long start = System.nanoTime();
        requests.execute(ForceMergeAction.INSTANCE, new ForceMergeRequest(indices).onlyExpungeDeletes(true).flush(true));
        // a merged segment shows in the statistics once a refresh opens it
        requests.execute(RefreshAction.INSTANCE, new RefreshRequest(indices));
        Map<String, Object> after = storeStats();
        int merges = 1;
        // Deletes are soft deletes, which merges keep while a shard's retention lease still covers them: the leases move
        // past them on their next sync (every 30 s)
        while (((Number) after.get("deleted_documents")).longValue() > 0 && System.nanoTime() - start < EXPUNGE_WAIT.nanos()) {
            if (merges > 1) {
                sleep(EXPUNGE_RETRY);
            }
            requests.execute(ForceMergeAction.INSTANCE, new ForceMergeRequest(indices).maxNumSegments(1).flush(true));
            requests.execute(RefreshAction.INSTANCE, new RefreshRequest(indices));
            after = storeStats();
            merges++;
        }
        Map<String, Object> expunged = new LinkedHashMap<>();
        expunged.put("store_bytes_before", before.get("store_bytes"));
        expunged.put("store_bytes_after", after.get("store_bytes"));
        expunged.put("deleted_documents_before", before.get("deleted_documents"));
        expunged.put("deleted_documents_after", after.get("deleted_documents"));
        expunged.put("merges", merges);
        expunged.put("took", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return expunged;
    }

    /** Waits, stopping early when the task is cancelled. */
    private void sleep(TimeValue time) {
        long end = System.nanoTime() + time.nanos();
        while (System.nanoTime() < end) {
            requests.checkCancelled();
            try {
                Thread.sleep(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to merge away the deleted documents", e);
            }
        }
    }

    /** Store size and deleted documents (Lucene's, nested faces included) of the primaries and replicas. */
    private Map<String, Object> storeStats() {
        IndicesStatsResponse stats = requests.execute(
            IndicesStatsAction.INSTANCE,
            new IndicesStatsRequest().indices(allIndices()).clear().store(true).docs(true)
        );
        CommonStats total = stats.getTotal();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("store_bytes", total.getStore() == null ? 0 : total.getStore().getSizeInBytes());
        figures.put("deleted_documents", total.getDocs() == null ? 0 : total.getDocs().getDeleted());
        return figures;
    }

    private void refreshPhotos() {
        requests.execute(RefreshAction.INSTANCE, new RefreshRequest(names()));
    }

    private String[] names() {
        return photoIndices.stream().map(PhotoIndex::name).toArray(String[]::new);
    }

    private String[] allIndices() {
        List<String> all = new ArrayList<>(List.of(names()));
        all.addAll(peopleIndices);
        return all.toArray(String[]::new);
    }

    private PhotoIndex photoIndex(String name) {
        for (PhotoIndex index : photoIndices) {
            if (index.name().equals(name)) {
                return index;
            }
        }
        throw new IllegalStateException("a hit of index [" + name + "], which the erasure does not cover");
    }
}

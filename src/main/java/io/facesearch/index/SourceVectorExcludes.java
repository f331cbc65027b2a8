package io.facesearch.index;

import org.apache.lucene.search.BooleanClause;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.common.regex.Regex;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.NestedQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilderVisitor;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.fetch.StoredFieldsContext;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.search.fetch.subphase.FieldAndFormat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What a read asks of {@code _source}, with the hidden vector fields left out unless it asks for them:
 * <ul>
 *   <li>a read that leaves {@code _source} to its default gets every hidden vector field excluded;</li>
 *   <li>{@code _source} includes or excludes get the hidden vector fields added to the excludes, except those an
 *       include (or a {@code fields} entry of a search) covers: the field itself or an object above it, by name or
 *       pattern ({@code faces.embedding}, {@code faces}, {@code faces.*}, {@code *});</li>
 *   <li>{@code _source: true} and {@code _source: false}, given explicitly, are kept as they are, and so is a read whose
 *       {@code stored_fields} or {@code script_fields} turn the default source off.</li>
 * </ul>
 * They follow the k-NN plugin's own default vector excludes of later versions (a search processor, for searches
 * only, switched on by a cluster setting), so that a client sees the same behaviour on both; an include of an object
 * above a vector counts as asking for it here, as it does in source filtering.
 */
final class SourceVectorExcludes {
    private final Set<String> hidden;

    /** @param hidden full dotted paths of the vector fields to leave out */
    SourceVectorExcludes(Set<String> hidden) {
        this.hidden = hidden;
    }

    /**
     * Leaves the vectors out of a search's hits, and of the inner hits of its nested queries and of its collapse. A
     * search whose nested inner hits ask for vectors is left as it is: those inner hits take their source from their
     * hit's, and with the vectors excluded from it they would get the k-NN plugin's placeholder instead.
     */
    void applyTo(SearchSourceBuilder source) {
        List<InnerHitBuilder> nestedInnerHits = nestedInnerHits(source.query());
        for (InnerHitBuilder innerHit : nestedInnerHits) {
            if (asksForVectors(innerHit.getFetchSourceContext(), fieldNames(innerHit.getFetchFields()))) {
                return;
            }
        }
        FetchSourceContext replaced = replace(
            source.fetchSource(),
            defaultSourceOff(source.storedFields(), source.scriptFields()),
            fieldNames(source.fetchFields())
        );
        if (replaced != null) {
            source.fetchSource(replaced);
        }
        List<InnerHitBuilder> innerHits = new ArrayList<>(nestedInnerHits);
        if (source.collapse() != null && source.collapse().getInnerHits() != null) {
            innerHits.addAll(source.collapse().getInnerHits());
        }
        for (InnerHitBuilder innerHit : innerHits) {
            FetchSourceContext innerReplaced = replace(
                innerHit.getFetchSourceContext(),
                defaultSourceOff(innerHit.getStoredFieldsContext(), innerHit.getScriptFields()),
                fieldNames(innerHit.getFetchFields())
            );
            if (innerReplaced != null) {
                innerHit.setFetchSourceContext(innerReplaced);
            }
        }
    }

    void applyTo(GetRequest get) {
        FetchSourceContext replaced = replace(get.fetchSourceContext(), get.storedFields() != null, List.of());
        if (replaced != null) {
            get.fetchSourceContext(replaced);
        }
    }

    void applyTo(MultiGetRequest.Item item) {
        FetchSourceContext replaced = replace(item.fetchSourceContext(), item.storedFields() != null, List.of());
        if (replaced != null) {
            item.fetchSourceContext(replaced);
        }
    }

    /**
     * The source context to read with in place of {@code asked}, or null to keep {@code asked}.
     *
     * @param defaultSourceOff whether the read, without {@code _source}, would return no source anyway
     * @param fieldsAsked      field patterns the read asks for besides {@code _source} ({@code fields})
     */
    FetchSourceContext replace(FetchSourceContext asked, boolean defaultSourceOff, Collection<String> fieldsAsked) {
        if (asked == null && defaultSourceOff) {
            return null;
        }
        if (asked != null && (asked.fetchSource() == false || isWholeSource(asked))) {
            return null;
        }
        String[] includes = asked == null ? new String[0] : asked.includes();
        String[] excludes = asked == null ? new String[0] : asked.excludes();
        List<String> merged = new ArrayList<>(Arrays.asList(excludes));
        List<String> included = new ArrayList<>(Arrays.asList(includes));
        for (String field : hidden) {
            if (covers(Arrays.asList(includes), field) == false && covers(fieldsAsked, field) == false && covers(merged, field) == false) {
                merged.add(field);
            } else if (includedByAnObjectAbove(includes, field) && included.contains(field) == false) {
                // a search that includes only the object above a vector gets the k-NN plugin's placeholder in place of the
                // vector: the vector itself must be named for the plugin to put it back
                included.add(field);
            }
        }
        if (merged.size() == excludes.length && included.size() == includes.length) {
            return null;
        }
        return new FetchSourceContext(true, included.toArray(String[]::new), merged.toArray(String[]::new));
    }

    /** Whether an include names an object above {@code field} by its plain path ({@code faces} for {@code faces.embedding}). */
    private static boolean includedByAnObjectAbove(String[] includes, String field) {
        for (String include : includes) {
            if (include.indexOf('*') < 0 && field.startsWith(include + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code asked} returns a hidden vector field: the whole source, or an include or field covering one. */
    boolean asksForVectors(FetchSourceContext asked, Collection<String> fieldsAsked) {
        if (asked != null && asked.fetchSource() && isWholeSource(asked)) {
            return true;
        }
        List<String> includes = asked == null || asked.fetchSource() == false ? List.of() : Arrays.asList(asked.includes());
        for (String field : hidden) {
            if (covers(includes, field) || covers(fieldsAsked, field)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a search without {@code _source} returns no source anyway, as with stored or script fields. */
    private static boolean defaultSourceOff(StoredFieldsContext storedFields, Collection<?> scriptFields) {
        return storedFields != null || (scriptFields != null && scriptFields.isEmpty() == false);
    }

    /** {@code _source: true} given explicitly. */
    private static boolean isWholeSource(FetchSourceContext asked) {
        return asked.includes().length == 0 && asked.excludes().length == 0;
    }

    /** Whether one of {@code patterns} names {@code field} or an object above it, as source filtering reads them. */
    static boolean covers(Collection<String> patterns, String field) {
        for (String pattern : patterns) {
            for (int dot = field.indexOf('.'); ; dot = field.indexOf('.', dot + 1)) {
                String path = dot < 0 ? field : field.substring(0, dot);
                if (Regex.simpleMatch(pattern, path)) {
                    return true;
                }
                if (dot < 0) {
                    break;
                }
            }
        }
        return false;
    }

    private static List<String> fieldNames(List<FieldAndFormat> fields) {
        return fields == null ? List.of() : fields.stream().map(f -> f.field).toList();
    }

    /** The inner hits of the nested queries in {@code query}, which the k-NN plugin fills from their hit's source. */
    private static List<InnerHitBuilder> nestedInnerHits(QueryBuilder query) {
        List<InnerHitBuilder> found = new ArrayList<>();
        if (query == null) {
            return found;
        }
        query.visit(new QueryBuilderVisitor() {
            @Override
            public void accept(QueryBuilder qb) {
                if (qb instanceof NestedQueryBuilder nested && nested.innerHit() != null) {
                    found.add(nested.innerHit());
                }
            }

            @Override
            public QueryBuilderVisitor getChildVisitor(BooleanClause.Occur occur) {
                return this;
            }
        });
        return found;
    }
}

package io.facesearch.people.cluster;

import java.util.List;
import java.util.Set;

/**
 * What a run decided.
 *
 * @param assignments     each face's person after the run (null: unassigned), by position in the run
 * @param persons         every person with faces after the run, by id
 * @param removed         persons that had faces before the run and have none now (never a locked person)
 * @param facesConsidered faces that took part (eligible)
 * @param facesAssigned   of those, how many belong to a person after the run
 */
public record ClusterOutcome(String[] assignments, List<PersonSummary> persons, Set<String> removed, int facesConsidered, int facesAssigned) {

    public int facesUnassigned() {
        return facesConsidered - facesAssigned;
    }

    public long personsCreated() {
        return persons.stream().filter(PersonSummary::created).count();
    }

    /** Persons that existed before and gained or lost faces. */
    public long personsUpdated() {
        return persons.stream().filter(p -> p.created() == false && p.changed()).count();
    }
}

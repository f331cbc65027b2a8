package io.facesearch.people.cluster;

/** How a run treats the persons found before. */
public enum ClusterMode {
    /** Faces keep their persons; only unassigned faces are clustered, and join existing persons or form new ones. */
    INCREMENTAL,
    /**
     * Every face is clustered again, except those of locked persons (named or edited by a user); the new groups take
     * the ids of the persons they overlap most, so that ids survive where the persons do.
     */
    FULL
}

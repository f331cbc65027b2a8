package io.facesearch.people.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How well persons match labels, over the labelled faces: BCubed precision and recall (per face, the share of its
 * person that has its label, and the share of its label that is in its person, averaged) and pairwise precision and
 * recall (over pairs of faces: same person against same label). An unassigned face counts as a person of its own.
 */
public record ClusteringScores(double precision, double recall, double pairPrecision, double pairRecall) {

    public double f() {
        return 2 * precision * recall / (precision + recall);
    }

    public double pairF() {
        return 2 * pairPrecision * pairRecall / (pairPrecision + pairRecall);
    }

    /**
     * @param persons each face's person, null for unassigned
     * @param labels  each face's label, null for faces left out of the measure
     */
    public static ClusteringScores of(List<String> persons, List<String> labels) {
        Map<String, Integer> personSize = new HashMap<>();
        Map<String, Integer> labelSize = new HashMap<>();
        Map<String, Integer> both = new HashMap<>();
        int counted = 0;
        for (int i = 0; i < persons.size(); i++) {
            if (labels.get(i) == null) {
                continue;
            }
            counted++;
            String person = personOf(persons, i);
            personSize.merge(person, 1, Integer::sum);
            labelSize.merge(labels.get(i), 1, Integer::sum);
            both.merge(person + "\n" + labels.get(i), 1, Integer::sum);
        }
        double precision = 0;
        double recall = 0;
        for (int i = 0; i < persons.size(); i++) {
            if (labels.get(i) == null) {
                continue;
            }
            String person = personOf(persons, i);
            int shared = both.get(person + "\n" + labels.get(i));
            precision += (double) shared / personSize.get(person);
            recall += (double) shared / labelSize.get(labels.get(i));
        }
        long samePair = pairs(both);
        long personPairs = pairs(personSize);
        long labelPairs = pairs(labelSize);
        return new ClusteringScores(
            precision / counted,
            recall / counted,
            personPairs == 0 ? 1 : (double) samePair / personPairs,
            labelPairs == 0 ? 1 : (double) samePair / labelPairs
        );
    }

    private static String personOf(List<String> persons, int face) {
        return persons.get(face) == null ? "unassigned " + face : "person " + persons.get(face);
    }

    private static long pairs(Map<String, Integer> sizes) {
        long pairs = 0;
        for (int size : sizes.values()) {
            pairs += (long) size * (size - 1) / 2;
        }
        return pairs;
    }

    @Override
    public String toString() {
        return String.format(
            java.util.Locale.ROOT,
            "BCubed P %.4f R %.4f F %.4f, pairwise P %.4f R %.4f F %.4f",
            precision,
            recall,
            f(),
            pairPrecision,
            pairRecall,
            pairF()
        );
    }
}

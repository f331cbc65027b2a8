package io.facesearch.qa.bench;

import org.junit.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** The bookkeeping of acknowledged photos against the ones found after a node was killed. */
public class AckLedgerTests {
    @Test
    public void itemStatusesSortIntoAcknowledgedRetriedAndRefused() {
        assertEquals(AckLedger.ItemOutcome.ACKNOWLEDGED, AckLedger.outcome(201));
        assertEquals(AckLedger.ItemOutcome.ACKNOWLEDGED, AckLedger.outcome(200));
        assertEquals(AckLedger.ItemOutcome.RETRY, AckLedger.outcome(429));
        assertEquals(AckLedger.ItemOutcome.RETRY, AckLedger.outcome(503));
        assertEquals(AckLedger.ItemOutcome.RETRY, AckLedger.outcome(500));
        assertEquals(AckLedger.ItemOutcome.REFUSED, AckLedger.outcome(400));
        assertEquals(AckLedger.ItemOutcome.REFUSED, AckLedger.outcome(409));
        assertEquals(AckLedger.ItemOutcome.REFUSED, AckLedger.outcome(202));
        assertEquals(AckLedger.ItemOutcome.REFUSED, AckLedger.outcome(-1));
    }

    @Test
    public void checkNamesEveryAcknowledgedPhotoNotFound() {
        AckLedger ledger = new AckLedger();
        ledger.acknowledge("b/2.jpg");
        ledger.acknowledge("a/1.jpg");
        ledger.acknowledge("c/3.jpg");
        ledger.acknowledge("a/1.jpg"); // sent again after a broken connection: counted once
        ledger.refuse("d/4.jpg", "400 bad image");
        assertEquals(3, ledger.acknowledgedCount());
        assertEquals(List.of("a/1.jpg", "b/2.jpg", "c/3.jpg"), ledger.acknowledgedIds());

        AckLedger.Check all = ledger.check(Set.of("a/1.jpg", "b/2.jpg", "c/3.jpg", "x/extra.jpg")::contains);
        assertEquals(new AckLedger.Check(3, 3, List.of()), all);
        assertTrue(all.complete());

        AckLedger.Check some = ledger.check(Set.of("b/2.jpg")::contains);
        assertEquals(3, some.acknowledged());
        assertEquals(1, some.found());
        assertEquals(List.of("a/1.jpg", "c/3.jpg"), some.missing());
        assertFalse(some.complete());
        assertEquals(List.of("c/3.jpg"), ledger.missingFrom(List.of("a/1.jpg", "b/2.jpg", "d/4.jpg")));
    }

    @Test
    public void anAcknowledgementOutweighsAFailureOfTheSamePhoto() {
        AckLedger ledger = new AckLedger();
        ledger.refuse("a.jpg", "503 unavailable_shards_exception");
        ledger.acknowledge("a.jpg"); // a later retry was acknowledged
        ledger.acknowledge("b.jpg");
        ledger.refuse("b.jpg", "given up after 40 attempts"); // a late failure of a copy sent again does not undo it
        ledger.refuse("c.jpg", "400 mapper_parsing_exception");
        assertEquals(List.of("a.jpg", "b.jpg"), ledger.acknowledgedIds());
        assertEquals(Map.of("c.jpg", "400 mapper_parsing_exception"), ledger.refused());
        assertTrue(ledger.isAcknowledged("b.jpg"));
        assertFalse(ledger.isAcknowledged("c.jpg"));
    }
}

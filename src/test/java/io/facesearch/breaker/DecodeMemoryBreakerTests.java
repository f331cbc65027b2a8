package io.facesearch.breaker;

import io.facesearch.vision.image.InvalidImageException;
import io.facesearch.vision.image.MemoryBudget;

import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.indices.breaker.BreakerSettings;
import org.opensearch.indices.breaker.HierarchyCircuitBreakerService;
import org.opensearch.test.OpenSearchTestCase;

import java.util.List;

/** Reservations against the node's {@code face_search} breaker: held, given back, refused with 400 or 429. */
public class DecodeMemoryBreakerTests extends OpenSearchTestCase {

    private CircuitBreaker circuitBreaker;

    /** The plugin's breaker inside a node's hierarchy of breakers, the parent not looking at the real heap. */
    private DecodeMemoryBreaker breakerOf(long limit) {
        BreakerSettings settings = new BreakerSettings(
            DecodeMemoryBreaker.NAME,
            limit,
            1.0,
            CircuitBreaker.Type.MEMORY,
            CircuitBreaker.Durability.TRANSIENT
        );
        HierarchyCircuitBreakerService service = new HierarchyCircuitBreakerService(
            Settings.builder().put("indices.breaker.total.use_real_memory", false).build(),
            List.of(settings),
            new ClusterSettings(Settings.EMPTY, ClusterSettings.BUILT_IN_CLUSTER_SETTINGS)
        );
        circuitBreaker = service.getBreaker(DecodeMemoryBreaker.NAME);
        DecodeMemoryBreaker breaker = new DecodeMemoryBreaker();
        breaker.use(circuitBreaker);
        return breaker;
    }

    public void testReservationsAreHeldUntilClosed() {
        DecodeMemoryBreaker breaker = breakerOf(100 << 20);
        assertEquals(100 << 20, breaker.limit());
        try (MemoryBudget.Reservation a = breaker.reserve(30 << 20, "photo a"); MemoryBudget.Reservation b = breaker.reserve(50 << 20, "photo b")) {
            assertEquals(80 << 20, circuitBreaker.getUsed());
            a.shrinkTo(10 << 20);
            assertEquals(60 << 20, circuitBreaker.getUsed());
            a.shrinkTo(20 << 20); // shrinking never grows
            assertEquals(10 << 20, a.bytes());
            a.close();
            a.close(); // given back once
            assertEquals(50 << 20, circuitBreaker.getUsed());
        }
        assertEquals(0, circuitBreaker.getUsed());
    }

    public void testAPhotoBeyondWhatIsFreeIsA429AndBeyondTheLimitA400() {
        DecodeMemoryBreaker breaker = breakerOf(100 << 20);
        try (MemoryBudget.Reservation held = breaker.reserve(80 << 20, "photo a")) {
            CircuitBreakingException busy = expectThrows(CircuitBreakingException.class, () -> breaker.reserve(30 << 20, "decoding photo b"));
            assertEquals(RestStatus.TOO_MANY_REQUESTS, busy.status());
            assertTrue(busy.getMessage(), busy.getMessage().contains("[face_search]"));
            assertTrue(busy.getMessage(), busy.getMessage().contains("decoding photo b"));
            assertEquals(held.bytes(), circuitBreaker.getUsed());
            assertEquals(1, circuitBreaker.getTrippedCount());
        }
        InvalidImageException never = expectThrows(InvalidImageException.class, () -> breaker.reserve(101 << 20, "decoding a 10000x10000 WebP image"));
        assertTrue(never.getMessage(), never.getMessage().startsWith("decoding a 10000x10000 WebP image needs about 101.0 MB"));
        assertTrue(never.getMessage(), never.getMessage().contains("[breaker.face_search.limit]"));
        assertEquals(0, circuitBreaker.getUsed());
    }

    public void testItsDefaultLimitIsHalfTheHeap() {
        BreakerSettings settings = DecodeMemoryBreaker.settings();
        assertEquals(DecodeMemoryBreaker.NAME, settings.getName());
        assertEquals(CircuitBreaker.Durability.TRANSIENT, settings.getDurability());
        long heap = Runtime.getRuntime().maxMemory();
        assertTrue(settings.getLimit() + " of " + heap, Math.abs(settings.getLimit() - heap / 2) < heap / 20);
    }
}

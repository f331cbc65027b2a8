package io.facesearch.plugin;

import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

/** The dynamic settings are bounded on both sides, NaN refused, and a refusal names the setting and its range. */
public class FaceSearchSettingsTests {

    private static <T> T get(Setting<T> setting, String value) {
        return setting.get(Settings.builder().put(setting.getKey(), value).build());
    }

    private static void assertRefused(Setting<?> setting, String value, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> get(setting, value));
        assertEquals(expected, e.getMessage());
    }

    @Test
    public void defaultsLieWithinTheirRanges() {
        assertEquals(0.6f, FaceSearchSettings.MIN_SCORE.get(Settings.EMPTY), 0);
        assertEquals(0, (int) FaceSearchSettings.MIN_FACE_SIZE.get(Settings.EMPTY));
        assertEquals(100, (int) FaceSearchSettings.MAX_FACES.get(Settings.EMPTY));
        assertEquals(0.3f, FaceSearchSettings.VERIFY_THRESHOLD.get(Settings.EMPTY), 0);
        assertEquals(0.43f, FaceSearchSettings.IDENTIFY_THRESHOLD.get(Settings.EMPTY), 0);
    }

    @Test
    public void minScoreLiesWithinZeroAndOne() {
        assertEquals(0f, get(FaceSearchSettings.MIN_SCORE, "0"), 0);
        assertEquals(1f, get(FaceSearchSettings.MIN_SCORE, "1"), 0);
        assertRefused(FaceSearchSettings.MIN_SCORE, "3", "[face_search.detector.min_score] must be between 0 and 1, got 3.0");
        assertRefused(FaceSearchSettings.MIN_SCORE, "-0.1", "[face_search.detector.min_score] must be between 0 and 1, got -0.1");
        assertRefused(FaceSearchSettings.MIN_SCORE, "NaN", "[face_search.detector.min_score] must be a finite number, got NaN");
        assertRefused(FaceSearchSettings.MIN_SCORE, "Infinity", "[face_search.detector.min_score] must be a finite number, got Infinity");
        assertRefused(FaceSearchSettings.MIN_SCORE, "high", "Failed to parse value [high] for setting [face_search.detector.min_score]");
    }

    @Test
    public void thresholdsAreCosineSimilarities() {
        for (Setting<Float> threshold : new Setting[] { FaceSearchSettings.VERIFY_THRESHOLD, FaceSearchSettings.IDENTIFY_THRESHOLD }) {
            assertEquals(-1f, get(threshold, "-1"), 0);
            assertEquals(1f, get(threshold, "1"), 0);
            assertRefused(threshold, "2", "[" + threshold.getKey() + "] must be between -1 and 1, got 2.0");
            assertRefused(threshold, "7", "[" + threshold.getKey() + "] must be between -1 and 1, got 7.0");
            assertRefused(threshold, "-1.5", "[" + threshold.getKey() + "] must be between -1 and 1, got -1.5");
            assertRefused(threshold, "NaN", "[" + threshold.getKey() + "] must be a finite number, got NaN");
        }
    }

    @Test
    public void faceSizeAndCountAreBounded() {
        assertEquals(100_000, (int) get(FaceSearchSettings.MIN_FACE_SIZE, "100000"));
        assertRefused(FaceSearchSettings.MIN_FACE_SIZE, "-1", "[face_search.detector.min_face_size] must be between 0 and 100000, got -1");
        assertRefused(FaceSearchSettings.MIN_FACE_SIZE, "100001", "[face_search.detector.min_face_size] must be between 0 and 100000, got 100001");
        assertRefused(FaceSearchSettings.MIN_FACE_SIZE, "1.5", "Failed to parse value [1.5] for setting [face_search.detector.min_face_size]");
        assertEquals(1, (int) get(FaceSearchSettings.MAX_FACES, "1"));
        assertEquals(10_000, (int) get(FaceSearchSettings.MAX_FACES, "10000"));
        assertRefused(FaceSearchSettings.MAX_FACES, "0", "[face_search.detector.max_faces] must be between 1 and 10000, got 0");
        assertRefused(FaceSearchSettings.MAX_FACES, "10001", "[face_search.detector.max_faces] must be between 1 and 10000, got 10001");
    }

    @Test
    public void theBoundedSettingsStayDynamic() {
        for (Setting<?> setting : new Setting<?>[] {
            FaceSearchSettings.MIN_SCORE,
            FaceSearchSettings.MIN_FACE_SIZE,
            FaceSearchSettings.MAX_FACES,
            FaceSearchSettings.VERIFY_THRESHOLD,
            FaceSearchSettings.IDENTIFY_THRESHOLD }) {
            assertEquals(setting.getKey(), true, setting.isDynamic());
            assertEquals(setting.getKey(), true, setting.hasNodeScope());
        }
    }
}

package io.facesearch.ingest;

import io.facesearch.common.StoredVectors;
import io.facesearch.index.PhotoIndexSettings;

import org.opensearch.common.settings.Settings;
import org.junit.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The mapping of photo indices. */
public class PhotoIndexMappingTests {

    @Test
    public void labelsOfPhotosAndFacesAreKeywords() {
        Map<?, ?> properties = (Map<?, ?>) PhotoIndexMapping.build("image", "faces", "photo", 128, null, 0, false, VectorCompression.NONE, HnswGraph.DEFAULT).get("properties");
        assertEquals(Map.of("type", "keyword"), properties.get("identity"));
        Map<?, ?> face = (Map<?, ?>) ((Map<?, ?>) properties.get("faces")).get("properties");
        assertEquals(Map.of("type", "keyword"), face.get("identity"));
        // written by people clustering: persons are ids, matched exactly
        assertEquals(Map.of("type", "keyword"), face.get("person"));
        assertEquals(Map.of("type", "keyword"), face.get("not_persons"));
    }

    @Test
    public void photoIndicesSearchVectorsAndKeepThemOutOfTheSourceReturned() {
        Settings settings = PhotoIndexMapping.settings();
        assertEquals("true", settings.get("index.knn"));
        assertEquals(true, PhotoIndexSettings.EXCLUDE_SOURCE_VECTORS.get(settings));
    }

    @Test
    public void aTargetFieldNamedIdentityKeepsItsFaces() {
        Map<?, ?> properties = (Map<?, ?>) PhotoIndexMapping.build("image", "identity", "photo", 128, null, 0, false, VectorCompression.NONE, HnswGraph.DEFAULT).get("properties");
        assertEquals("nested", ((Map<?, ?>) properties.get("identity")).get("type"));
    }

    @Test
    public void eachCompressionMapsTheFaceVectorsWithTheLuceneSqEncoderAndNeverTheClipVectors() {
        Map<String, Integer> bits = Map.of("x4", 7, "x32", 1);
        for (VectorCompression compression : VectorCompression.values()) {
            Map<?, ?> properties = (Map<?, ?>) PhotoIndexMapping.build("image", "faces", "photo", 128, "clip", 512, true, compression, HnswGraph.DEFAULT)
                .get("properties");
            Map<?, ?> face = (Map<?, ?>) ((Map<?, ?>) properties.get("faces")).get("properties");
            Map<?, ?> embedding = (Map<?, ?>) face.get("embedding");
            Map<?, ?> parameters = (Map<?, ?>) ((Map<?, ?>) embedding.get("method")).get("parameters");
            assertEquals(16, parameters.get("m"));
            assertEquals(128, parameters.get("ef_construction"));
            if (compression == VectorCompression.NONE) {
                assertFalse(parameters.containsKey("encoder"));
                // today's mapping, unchanged
                assertEquals(PhotoIndexMapping.knnVector(128), embedding);
            } else if (compression == VectorCompression.INT8) {
                assertFalse(parameters.containsKey("encoder"));
                assertEquals("byte", embedding.get("data_type"));
            } else {
                assertEquals(Map.of("name", "sq", "parameters", Map.of("bits", bits.get(compression.value()))), parameters.get("encoder"));
            }
            assertEquals(compression, VectorCompression.ofDefinition(embedding));
            // integers of one length are compared by inner product; floats, quantized or not, by cosine
            String space = compression == VectorCompression.INT8 ? "innerproduct" : "cosinesimil";
            assertEquals(space, ((Map<?, ?>) embedding.get("method")).get("space_type"));
            assertEquals(PhotoIndexMapping.knnVector(512), face.get("clip"));
            assertEquals(PhotoIndexMapping.knnVector(512), properties.get("clip"));
        }
    }

    @Test
    public void theGraphOfTheFaceVectorsIsBuiltAsAskedAndTheClipVectorsKeepTheDefaults() {
        HnswGraph graph = new HnswGraph(24, 256);
        for (VectorCompression compression : VectorCompression.values()) {
            Map<?, ?> properties = (Map<?, ?>) PhotoIndexMapping.build("image", "faces", "photo", 128, "clip", 512, true, compression, graph)
                .get("properties");
            Map<?, ?> face = (Map<?, ?>) ((Map<?, ?>) properties.get("faces")).get("properties");
            Map<?, ?> embedding = (Map<?, ?>) face.get("embedding");
            Map<?, ?> parameters = (Map<?, ?>) ((Map<?, ?>) embedding.get("method")).get("parameters");
            assertEquals(24, parameters.get("m"));
            assertEquals(256, parameters.get("ef_construction"));
            assertEquals(graph, HnswGraph.ofDefinition(embedding));
            assertEquals(compression, VectorCompression.ofDefinition(embedding));
            assertEquals(HnswGraph.DEFAULT, HnswGraph.ofDefinition((Map<?, ?>) face.get("clip")));
        }
    }

    @Test
    public void compressionIsReadByNameAndRefusedOtherwiseNamingTheField() {
        assertEquals(VectorCompression.NONE, VectorCompression.parse("none", "compression"));
        assertEquals(VectorCompression.X4, VectorCompression.parse("x4", "compression"));
        assertEquals(VectorCompression.X32, VectorCompression.parse("x32", "compression"));
        assertEquals(VectorCompression.INT8, VectorCompression.parse("int8", "compression"));
        assertEquals(
            "[compression] must be one of [none, x4, x32, int8], got [X4]",
            assertThrows(IllegalArgumentException.class, () -> VectorCompression.parse("X4", "compression")).getMessage()
        );
        assertEquals(
            "[compression] must be a string, got 32",
            assertThrows(IllegalArgumentException.class, () -> VectorCompression.parse(32, "compression")).getMessage()
        );
        assertEquals(
            "[compression] must not be empty",
            assertThrows(IllegalArgumentException.class, () -> VectorCompression.parse("", "compression")).getMessage()
        );
    }

    @Test
    public void mappingsMadeByHandAreReportedByWhatTheyCompress() {
        assertEquals(VectorCompression.X32, VectorCompression.ofDefinition(Map.of("type", "knn_vector", "compression_level", "32x")));
        assertEquals(VectorCompression.X4, VectorCompression.ofDefinition(Map.of("type", "knn_vector", "compression_level", "4x")));
        assertEquals(VectorCompression.NONE, VectorCompression.ofDefinition(Map.of("type", "knn_vector", "compression_level", "1x")));
        assertNull(VectorCompression.ofDefinition(Map.of("type", "knn_vector", "compression_level", "16x")));
        Map<String, Object> pq = Map.of("method", Map.of("parameters", Map.of("encoder", Map.of("name", "pq"))));
        assertNull(VectorCompression.ofDefinition(pq));
        Map<String, Object> sqWithoutBits = Map.of("method", Map.of("parameters", Map.of("encoder", Map.of("name", "sq"))));
        assertNull(VectorCompression.ofDefinition(sqWithoutBits));
        assertEquals(VectorCompression.INT8, VectorCompression.ofDefinition(Map.of("type", "knn_vector", "data_type", "byte")));
        assertEquals(VectorCompression.NONE, VectorCompression.ofDefinition(Map.of("type", "knn_vector", "data_type", "float")));
        assertNull("bits, not a photo index's vectors", VectorCompression.ofDefinition(Map.of("type", "knn_vector", "data_type", "binary")));
    }

    @Test
    public void int8KeepsTheDirectionOfAVectorInIntegersOfOneScale() {
        Random random = new Random(42);
        for (int dimension : new int[] { 128, 512 }) {
            float[] vector = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                vector[i] = (float) random.nextGaussian();
            }
            float[] integers = VectorCompression.INT8.fieldValues(vector);
            for (float value : integers) {
                assertEquals(Math.rint(value), value, 0);
                assertTrue(String.valueOf(value), value >= -128 && value <= 127);
            }
            assertTrue("cosine " + StoredVectors.cosine(vector, integers), StoredVectors.cosine(vector, integers) > 0.9995);
            // the same direction at another length is the same integers: the scale is the dimension's, not the vector's
            float[] longer = vector.clone();
            for (int i = 0; i < dimension; i++) {
                longer[i] *= 3;
            }
            assertArrayEquals(integers, VectorCompression.INT8.fieldValues(longer), 0);
            assertEquals(List.of((int) integers[0], (int) integers[1]), VectorCompression.INT8.sourceValues(vector).subList(0, 2));
        }
        // a component beyond the clip is held at the end of the range
        float[] spike = new float[128];
        spike[0] = 1;
        assertEquals(127f, VectorCompression.INT8.fieldValues(spike)[0], 0);
        assertArrayEquals(new float[3], VectorCompression.INT8.fieldValues(new float[3]), 0);
        float[] floats = { 0.5f, -0.25f };
        assertSame(floats, VectorCompression.X4.fieldValues(floats));
        assertEquals(List.of(0.5f, -0.25f), VectorCompression.NONE.sourceValues(floats));
    }

    /**
     * Every int8 vector has about one squared length, so that the inner product of two over it is their cosine: as near
     * the floats' cosine as the cosine of the integers themselves is.
     */
    @Test
    public void int8VectorsHaveOneLengthSoTheirInnerProductIsTheirCosine() {
        Random random = new Random(7);
        for (int dimension : new int[] { 128, 512 }) {
            double squaredLength = VectorCompression.int8SquaredLength(dimension);
            double worstLength = 0;
            double worstOfInnerProduct = 0;
            double worstOfIntegerCosine = 0;
            double sumOfInnerProduct = 0;
            int pairs = 2000;
            for (int pair = 0; pair < pairs; pair++) {
                float[] first = new float[dimension];
                float[] second = new float[dimension];
                for (int i = 0; i < dimension; i++) {
                    first[i] = (float) random.nextGaussian();
                    // correlated, as two faces of one person are
                    second[i] = (float) (0.6 * first[i] + 0.8 * random.nextGaussian());
                }
                float[] firstIntegers = VectorCompression.INT8.fieldValues(first);
                float[] secondIntegers = VectorCompression.INT8.fieldValues(second);
                double innerProduct = 0;
                double length = 0;
                for (int i = 0; i < dimension; i++) {
                    innerProduct += firstIntegers[i] * secondIntegers[i];
                    length += firstIntegers[i] * firstIntegers[i];
                }
                double cosine = StoredVectors.cosine(first, second);
                worstLength = Math.max(worstLength, Math.abs(length / squaredLength - 1));
                double error = Math.abs(innerProduct / squaredLength - cosine);
                worstOfInnerProduct = Math.max(worstOfInnerProduct, error);
                sumOfInnerProduct += error;
                worstOfIntegerCosine = Math.max(worstOfIntegerCosine, Math.abs(StoredVectors.cosine(firstIntegers, secondIntegers) - cosine));
            }
            String figures = dimension + " dimensions: length " + worstLength + ", inner product " + worstOfInnerProduct + " (mean "
                + sumOfInnerProduct / pairs + "), cosine of the integers " + worstOfIntegerCosine;
            // rounding at the first guess of the scale alone moves a squared length by up to 0.9% at 128 dimensions
            assertTrue(figures, worstLength < (dimension == 128 ? 0.002 : 0.001));
            assertTrue(figures, sumOfInnerProduct / pairs < 0.0015);
            assertTrue(figures, worstOfInnerProduct < worstOfIntegerCosine + 0.001);
        }
    }

    @Test
    public void onlyX32IndicesReadTheirQuantizedVectorsThroughNio() {
        assertEquals(Settings.EMPTY, VectorCompression.NONE.indexSettings());
        assertEquals(Settings.EMPTY, VectorCompression.X4.indexSettings());
        List<String> nio = VectorCompression.X32.indexSettings().getAsList("index.store.hybrid.nio.extensions");
        assertTrue(nio.toString(), nio.containsAll(List.of("veq", "cfs", "segments_N", "fdt")));
        assertFalse(nio.toString(), nio.contains("vex"));
    }
}

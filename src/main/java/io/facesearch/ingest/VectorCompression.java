package io.facesearch.ingest;

import io.facesearch.common.FieldValues;

import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexModule;
import org.opensearch.knn.index.VectorDataType;
import org.opensearch.knn.index.mapper.CompressionLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the face vectors of a photo index are stored in its HNSW graph: as floats ({@code none}); quantized by the
 * k-NN plugin's Lucene scalar quantizer ({@code sq} encoder) to 7 bits per dimension ({@code x4}) or to 1 bit
 * ({@code x32}, Lucene's binary quantization), the full-precision vectors staying in the index so that a search can
 * rescore its candidates exactly, each compression with its default oversampling for that rescoring; or as 8-bit
 * integers ({@code int8}, the k-NN plugin's {@code byte} vectors), the only copy of the vectors the index keeps.
 */
public enum VectorCompression {
    NONE("none", 0, 0),
    /** 7-bit scalar quantization: near-float recall; candidates rescored without oversampling beyond the first 100. */
    X4("x4", 7, 1.0f),
    /**
     * 1-bit binary quantization: at 128 dimensions its distances are coarse, so three times k candidates (at least
     * 100) are rescored with the full-precision vectors.
     */
    X32("x32", 1, 3.0f),
    /**
     * 8-bit integers, every vector scaled to one length (see {@link #fieldValues}): a quarter of the floats' size like
     * {@code x4}, but what a search reads is all there is, so nothing is rescored and no float vector has to stay in
     * memory for it. The graph compares them by inner product, which at one length ranks as cosine similarity does at
     * half its cost (cosine computes both lengths at every comparison); the inner product over the square of that
     * length is within about 0.001 of the floats' cosine on average, as near as the cosine of the integers is.
     */
    INT8("int8", 8, 0);

    public static final String FIELD = "compression";
    /** The k-NN plugin's encoder and its parameter, as the lucene engine of k-NN 3.6 takes them. */
    static final String ENCODER = "sq";
    static final String BITS = "bits";
    /** The k-NN plugin's mapping parameter and value of a field of 8-bit integer vectors. */
    static final String DATA_TYPE = "data_type";
    static final String BYTE_DATA_TYPE = "byte";
    /** The k-NN plugin's space types of the face vectors: cosine for floats, inner product for {@link #INT8}. */
    static final String COSINE_SPACE = "cosinesimil";
    static final String INNER_PRODUCT_SPACE = "innerproduct";
    /**
     * How far from the common length an {@link #INT8} vector's squared length may be, relatively, for the scale to be
     * searched no further: the rounding of one component moves it by about 1 / 1000 at 128 dimensions.
     */
    private static final double INT8_LENGTH_TOLERANCE = 1e-4;
    /** How far around its first guess the scale of an {@link #INT8} vector is searched: rounding moves a length by far less. */
    private static final double INT8_SCALE_SEARCH_RANGE = 0.05;
    /**
     * Where the 8-bit scale clips a component of a unit vector, in standard deviations of a component of a random one
     * (1 / sqrt(dimension)): a face vector's components reach 4.4 of them about once in 10,000, so clipping at 5 costs
     * almost nothing, and every other component keeps the finest step 8 bits allow.
     */
    static final double INT8_CLIP_DEVIATIONS = 5;
    /** The file of Lucene's scalar-quantized vectors (Lucene104ScalarQuantizedVectorsFormat). */
    static final String QUANTIZED_VECTORS_EXTENSION = "veq";

    private final String value;
    private final int bits;
    private final float defaultOversampleFactor;

    VectorCompression(String value, int bits, float defaultOversampleFactor) {
        this.value = value;
        this.bits = bits;
        this.defaultOversampleFactor = defaultOversampleFactor;
    }

    /** The name in requests and reports: {@code none}, {@code x4} or {@code x32}. */
    public String value() {
        return value;
    }

    /**
     * Whether the graph holds quantized vectors beside full-precision ones, so that a search's candidates can be
     * rescored: {@code x4} and {@code x32}.
     */
    public boolean rescorable() {
        return this == X4 || this == X32;
    }

    /**
     * A vector as a field of this compression takes it, in documents and in queries: {@code vector} itself, or for
     * {@link #INT8} its direction as integers in [-128, 127] whose squared length is as near {@link #int8SquaredLength}
     * as rounding allows (within about 1 / 1000). Every vector so made has about that one length, so their inner
     * product over its square is their cosine similarity, and no length has to be stored or given back.
     */
    public float[] fieldValues(float[] vector) {
        if (this != INT8) {
            return vector;
        }
        double norm = 0;
        for (float value : vector) {
            norm += (double) value * value;
        }
        float[] integers = new float[vector.length];
        if (norm == 0 || Double.isFinite(norm) == false) {
            return integers;
        }
        double target = int8SquaredLength(vector.length);
        double guess = Math.sqrt(target / norm);
        // the squared length of the rounded vector grows with the scale, in steps of one component's rounding: the
        // scale is searched for the step nearest the target
        double low = guess * (1 - INT8_SCALE_SEARCH_RANGE);
        double high = guess * (1 + INT8_SCALE_SEARCH_RANGE);
        double lowLength = roundedSquaredLength(vector, low);
        double highLength = roundedSquaredLength(vector, high);
        if (lowLength < target && highLength >= target) {
            for (int step = 0; step < 40 && Math.abs(highLength - target) > target * INT8_LENGTH_TOLERANCE; step++) {
                double middle = (low + high) / 2;
                double middleLength = roundedSquaredLength(vector, middle);
                if (middleLength >= target) {
                    high = middle;
                    highLength = middleLength;
                } else {
                    low = middle;
                    lowLength = middleLength;
                }
            }
        }
        // a vector whose clipped components keep it short takes the largest scale searched
        double scale = highLength < target || Math.abs(highLength - target) <= Math.abs(target - lowLength) ? high : low;
        for (int i = 0; i < vector.length; i++) {
            integers[i] = int8Component(vector[i], scale);
        }
        return integers;
    }

    /**
     * The squared length every {@link #INT8} vector of {@code dimension} is given: a unit vector scaled so that a
     * component of {@value #INT8_CLIP_DEVIATIONS} standard deviations of a random one's (1 / sqrt(dimension)) reaches
     * 127, the end of the 8-bit range.
     */
    public static double int8SquaredLength(int dimension) {
        double length = Byte.MAX_VALUE * Math.sqrt(dimension) / INT8_CLIP_DEVIATIONS;
        return length * length;
    }

    private static float int8Component(float value, double scale) {
        return (float) Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, Math.rint(value * scale)));
    }

    private static double roundedSquaredLength(float[] vector, double scale) {
        double sum = 0;
        for (float value : vector) {
            double component = int8Component(value, scale);
            sum += component * component;
        }
        return sum;
    }

    /**
     * The k-NN plugin's space type of a field of this compression: inner product for {@link #INT8}, whose vectors all
     * have one length, cosine similarity for floats (their quantized forms are compared to the floats by cosine).
     */
    String spaceType() {
        return this == INT8 ? INNER_PRODUCT_SPACE : COSINE_SPACE;
    }

    /** {@link #fieldValues} as a document's source holds them: floats, or integers for {@link #INT8}. */
    public List<Number> sourceValues(float[] vector) {
        float[] values = fieldValues(vector);
        List<Number> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(this == INT8 ? (Number) (int) value : (Number) value);
        }
        return list;
    }

    /** The mapping parameters of the {@code knn_vector} field besides its method: {@code data_type} for {@link #INT8}. */
    Map<String, Object> fieldParameters() {
        return this == INT8 ? Map.of(DATA_TYPE, BYTE_DATA_TYPE) : Map.of();
    }

    /**
     * How many times k candidates a search of a field so compressed rescores with the full-precision vectors when the
     * query asks nothing else; meaningless for {@link #NONE}, which is never rescored.
     */
    public float defaultOversampleFactor() {
        return defaultOversampleFactor;
    }

    /** The {@code encoder} of the HNSW method's parameters; null for {@link #NONE} and {@link #INT8}, whose mappings have none. */
    Map<String, Object> encoder() {
        if (rescorable() == false) {
            return null;
        }
        Map<String, Object> encoder = new LinkedHashMap<>();
        encoder.put("name", ENCODER);
        encoder.put("parameters", Map.of(BITS, bits));
        return encoder;
    }

    /**
     * The index settings a photo index of this compression needs besides the mapping. The k-NN plugin (3.6) scores the
     * 1-bit vectors of a memory-mapped file ({@code .veq}) with its native SIMD library, and where that library is
     * missing (the plugin as published to Maven has none) every search of the field fails with an error that leaves
     * the request unanswered; read through NIO, they are scored by Lucene's own code instead. So an x32 index reads
     * its quantized vectors, and the compound files small segments keep them in, through NIO.
     */
    public Settings indexSettings() {
        if (this != X32) {
            return Settings.EMPTY;
        }
        List<String> nio = new ArrayList<>(IndexModule.INDEX_STORE_HYBRID_NIO_EXTENSIONS.getDefault(Settings.EMPTY));
        for (String extension : List.of(QUANTIZED_VECTORS_EXTENSION, "cfs")) {
            if (nio.contains(extension) == false) {
                nio.add(extension);
            }
        }
        return Settings.builder().putList(IndexModule.INDEX_STORE_HYBRID_NIO_EXTENSIONS.getKey(), nio).build();
    }

    /** Reads a request's value; anything but one of the names is refused, naming {@code field}. */
    public static VectorCompression parse(Object value, String field) {
        String name = FieldValues.string(value, field);
        for (VectorCompression compression : values()) {
            if (compression.value.equals(name)) {
                return compression;
            }
        }
        throw FieldValues.invalid(field, "must be one of " + names() + ", got [" + name + "]");
    }

    /** The names, as an error lists them: {@code [none, x4, x32, int8]}. */
    public static String names() {
        return Arrays.stream(values()).map(VectorCompression::value).toList().toString();
    }

    /**
     * The compression the k-NN plugin resolved for a field on a shard: from its data type, and for floats from its
     * encoder or the compression level given.
     */
    public static VectorCompression of(VectorDataType dataType, CompressionLevel level) {
        if (dataType == VectorDataType.BYTE) {
            return INT8;
        }
        if (dataType != VectorDataType.FLOAT) {
            return NONE;
        }
        if (level == CompressionLevel.x4) {
            return X4;
        }
        if (level == CompressionLevel.x32) {
            return X32;
        }
        return NONE;
    }

    /**
     * The compression of a {@code knn_vector} field as its mapping defines it: {@code data_type: byte}, the bits of a
     * lucene {@code sq} encoder, or a {@code compression_level} given on the field ({@code 4x}, {@code 32x}); another
     * definition is reported as {@link #NONE} when it compresses nothing, or as null when it compresses in a way no
     * photo index is made with (binary vectors among them).
     */
    public static VectorCompression ofDefinition(Map<?, ?> definition) {
        Object dataType = definition.get(DATA_TYPE);
        if (dataType != null && "float".equals(dataType.toString().toLowerCase(Locale.ROOT)) == false) {
            return BYTE_DATA_TYPE.equals(dataType.toString().toLowerCase(Locale.ROOT)) ? INT8 : null;
        }
        Object level = definition.get("compression_level");
        if (level != null) {
            return switch (level.toString().toLowerCase(Locale.ROOT)) {
                case "1x" -> NONE;
                case "4x" -> X4;
                case "32x" -> X32;
                default -> null;
            };
        }
        if (definition.get("method") instanceof Map<?, ?> method
            && method.get("parameters") instanceof Map<?, ?> parameters
            && parameters.get("encoder") instanceof Map<?, ?> encoder) {
            if (ENCODER.equals(encoder.get("name")) == false) {
                return null;
            }
            Object bits = encoder.get("parameters") instanceof Map<?, ?> encoderParameters ? encoderParameters.get(BITS) : null;
            if (bits instanceof Number number) {
                return switch (number.intValue()) {
                    case 7 -> X4;
                    case 1 -> X32;
                    default -> null;
                };
            }
            // an sq encoder without bits: 7 before k-NN 3.6, 1 since; which one depends on the index's version
            return null;
        }
        return NONE;
    }
}

package io.facesearch.vision.clip;

import io.facesearch.vision.TestModels;
import io.facesearch.vision.model.ModelFile;
import io.facesearch.vision.model.TokenizerSpec;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small stand-ins for the public CLIP ViT-B/32 ONNX exports (Hugging Face {@code Xenova/clip-vit-base-patch32}): the
 * same input and output names and shapes, but 8-dimensional, with weights a test can reason about. No CLIP weights can
 * be had on the build machines, and these let the encoders, the manifest and a real node be tested end to end.
 *
 * <ul>
 *   <li>Image model: {@code pixel_values [batch,3,224,224]} → per-channel mean → {@code [batch,3]} × {@link #imageWeights()}
 *       → {@code image_embeds [batch,8]}. Dims 0, 1 and 2 carry the mean of channel 0, 1 and 2 (R, G, B), so a red
 *       image points along dim 0.</li>
 *   <li>Text model: {@code input_ids [batch,77]} (and {@code attention_mask}) → rows of a {@code [49408,8]} embedding
 *       table, masked, summed over the context → {@code text_embeds [batch,8]}. The rows of {@code red</w>},
 *       {@code green</w>} and {@code blue</w>} point along dims 0, 1 and 2 (see {@link #tokenRows()}), so
 *       "a red photo" points along dim 0 like a red image. Token 0, which padding uses, has a row of its own: without
 *       the mask, padding would change the vector.</li>
 * </ul>
 *
 * <p>Each writer returns the model's manifest entry in the JSON shape of {@code models/manifest.json}, with the written
 * file's sha256. {@link #main} writes both models and a manifest for a test node.
 */
public final class TestClipModels {
    public static final int DIMENSION = 8;
    public static final int CONTEXT_LENGTH = 77;
    public static final int VOCABULARY_SIZE = 49408;
    public static final String IMAGE_MODEL = "clip_test_image";
    public static final String TEXT_MODEL = "clip_test_text";
    /** Folder, under the models folder, that the generated files go to. */
    public static final String FOLDER = "clip-test";

    /** CLIP's preprocessing constants, on the 0..255 scale the manifest uses. */
    static final List<Double> CLIP_MEAN = List.of(255 * 0.48145466, 255 * 0.4578275, 255 * 0.40821073);
    static final List<Double> CLIP_STD = List.of(255 * 0.26862954, 255 * 0.26130258, 255 * 0.27577711);

    /** How the text model declares its inputs and outputs. */
    public enum TextVariant {
        /** {@code input_ids} and {@code attention_mask}, int64; output {@code text_embeds}. */
        INT64_WITH_MASK,
        /** {@code input_ids} only, int64: padding is summed in. */
        INT64_IDS_ONLY,
        /** {@code input_ids} and {@code attention_mask}, int32. */
        INT32_WITH_MASK,
        /** {@code input_ids} int64 and {@code attention_mask} float. */
        FLOAT_MASK,
        /** As {@link #INT64_WITH_MASK}, with a per-token {@code last_hidden_state [batch,77,8]} as the first output. */
        PER_TOKEN_OUTPUT_FIRST
    }

    private TestClipModels() {}

    /** {@code [3][8]} projection from the mean of each channel to the embedding. */
    public static float[][] imageWeights() {
        return new float[][] {
            { 1, 0, 0, 0.5f, 0, 0, 0.25f, 0 },
            { 0, 1, 0, 0, 0.5f, 0, 0.25f, 0 },
            { 0, 0, 1, 0, 0, 0.5f, 0.25f, 0 } };
    }

    /** The non-zero rows of the text model's embedding table, by token; every other token's row is zero. */
    public static Map<String, float[]> tokenRows() {
        Map<String, float[]> rows = new LinkedHashMap<>();
        rows.put("red</w>", unit(0, 1));
        rows.put("green</w>", unit(1, 1));
        rows.put("blue</w>", unit(2, 1));
        rows.put("photo</w>", unit(3, 0.25f));
        rows.put("a</w>", unit(4, 0.25f));
        rows.put("<|startoftext|>", unit(5, 0.125f));
        rows.put("<|endoftext|>", unit(6, 0.125f));
        rows.put("!", unit(7, 1));
        return rows;
    }

    /** The embedding table row of a token id. */
    public static float[] tokenRow(long id) {
        for (Map.Entry<String, float[]> row : tokenRows().entrySet()) {
            if (tokenId(row.getKey()) == id) {
                return row.getValue().clone();
            }
        }
        return new float[DIMENSION];
    }

    private static float[] unit(int dim, float value) {
        float[] row = new float[DIMENSION];
        row[dim] = value;
        return row;
    }

    private static Map<String, Object> vocabulary;

    /** Index of the largest component: with the test models, 0, 1 and 2 mean red, green and blue. */
    public static int largest(float[] vector) {
        int best = 0;
        for (int i = 1; i < vector.length; i++) {
            if (vector[i] > vector[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Id of a token in the shared CLIP vocabulary ({@code clip-tokenizer/vocab.json}). */
    public static synchronized int tokenId(String token) {
        if (vocabulary == null) {
            try (InputStream in = Files.newInputStream(TestModels.modelsDir().resolve(TokenizerSpec.CLIP_BPE.vocab()))) {
                vocabulary = XContentHelper.convertToMap(JsonXContent.jsonXContent, in, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Object id = vocabulary.get(token);
        if (id instanceof Number number) {
            return number.intValue();
        }
        throw new IllegalArgumentException("token [" + token + "] is not in the CLIP vocabulary");
    }

    /** Writes the image model to {@code FOLDER/name.onnx} under {@code modelsDir}; the embedding width is left symbolic if asked. */
    public static Map<String, Object> writeImageModel(Path modelsDir, String name, boolean dynamicDimension) throws IOException {
        float[][] weights = imageWeights();
        float[] flat = new float[3 * DIMENSION];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(weights[c], 0, flat, c * DIMENSION, DIMENSION);
        }
        Object embeddingDim = dynamicDimension ? "embedding" : (Object) (long) DIMENSION;
        OnnxGraphWriter graph = new OnnxGraphWriter(name)
            .input("pixel_values", OnnxGraphWriter.FLOAT, "batch", 3L, 224L, 224L)
            .initializer("projection", flat, 3, DIMENSION);
        if (dynamicDimension) {
            // Declared as an overridable input with a symbolic width, the projection keeps ONNX Runtime's shape
            // inference from fixing the output width: the model then reports [batch, -1].
            graph.input("projection", OnnxGraphWriter.FLOAT, 3L, "embedding");
        }
        graph
            .node("GlobalAveragePool", new String[] { "pixel_values" }, new String[] { "channel_means" })
            .node("Flatten", new String[] { "channel_means" }, new String[] { "colour" }, OnnxGraphWriter.intAttribute("axis", 1))
            .node("MatMul", new String[] { "colour", "projection" }, new String[] { "image_embeds" })
            .output("image_embeds", OnnxGraphWriter.FLOAT, "batch", embeddingDim);
        String file = FOLDER + "/" + name + ".onnx";
        graph.write(modelsDir.resolve(file));

        Map<String, Object> input = new LinkedHashMap<>();
        input.put("width", 224);
        input.put("height", 224);
        input.put("channel_order", "rgb");
        input.put("mean", CLIP_MEAN);
        input.put("std", CLIP_STD);
        return entry(modelsDir, name, "clip_image", file, input, "image_embeds", null);
    }

    /** Writes the text model to {@code FOLDER/name.onnx} under {@code modelsDir}. */
    public static Map<String, Object> writeTextModel(Path modelsDir, String name, TextVariant variant) throws IOException {
        float[] table = new float[VOCABULARY_SIZE * DIMENSION];
        for (Map.Entry<String, float[]> row : tokenRows().entrySet()) {
            System.arraycopy(row.getValue(), 0, table, tokenId(row.getKey()) * DIMENSION, DIMENSION);
        }
        int idType = variant == TextVariant.INT32_WITH_MASK ? OnnxGraphWriter.INT32 : OnnxGraphWriter.INT64;
        boolean masked = variant != TextVariant.INT64_IDS_ONLY;
        int maskType = variant == TextVariant.FLOAT_MASK ? OnnxGraphWriter.FLOAT : idType;
        OnnxGraphWriter graph = new OnnxGraphWriter(name)
            .input("input_ids", idType, "batch", (long) CONTEXT_LENGTH)
            .initializer("token_embedding", table, VOCABULARY_SIZE, DIMENSION)
            .initializer("context_axis", new long[] { 1 }, 1)
            .node("Gather", new String[] { "token_embedding", "input_ids" }, new String[] { "token_vectors" });
        String summed = "token_vectors";
        if (masked) {
            String maskedVectors = variant == TextVariant.PER_TOKEN_OUTPUT_FIRST ? "last_hidden_state" : "masked_vectors";
            graph.input("attention_mask", maskType, "batch", (long) CONTEXT_LENGTH)
                .initializer("last_axis", new long[] { 2 }, 1)
                .node("Cast", new String[] { "attention_mask" }, new String[] { "mask_values" },
                    OnnxGraphWriter.intAttribute("to", OnnxGraphWriter.FLOAT))
                .node("Unsqueeze", new String[] { "mask_values", "last_axis" }, new String[] { "mask_column" })
                .node("Mul", new String[] { "token_vectors", "mask_column" }, new String[] { maskedVectors });
            summed = maskedVectors;
        }
        graph.node("ReduceSum", new String[] { summed, "context_axis" }, new String[] { "text_embeds" },
            OnnxGraphWriter.intAttribute("keepdims", 0));
        if (variant == TextVariant.PER_TOKEN_OUTPUT_FIRST) {
            graph.output("last_hidden_state", OnnxGraphWriter.FLOAT, "batch", (long) CONTEXT_LENGTH, (long) DIMENSION);
        }
        graph.output("text_embeds", OnnxGraphWriter.FLOAT, "batch", (long) DIMENSION);
        String file = FOLDER + "/" + name + ".onnx";
        graph.write(modelsDir.resolve(file));

        TokenizerSpec standard = TokenizerSpec.CLIP_BPE;
        Map<String, Object> tokenizer = new LinkedHashMap<>();
        tokenizer.put("vocab", standard.vocab());
        tokenizer.put("vocab_sha256", standard.vocabSha256());
        tokenizer.put("merges", standard.merges());
        tokenizer.put("merges_sha256", standard.mergesSha256());
        return entry(modelsDir, name, "clip_text", file, Map.of("context_length", CONTEXT_LENGTH), "text_embeds", tokenizer);
    }

    /** The image and text models a test node is configured with, written under {@code modelsDir}. */
    public static List<Map<String, Object>> writeDefaultModels(Path modelsDir) throws IOException {
        return List.of(writeImageModel(modelsDir, IMAGE_MODEL, false), writeTextModel(modelsDir, TEXT_MODEL, TextVariant.INT64_WITH_MASK));
    }

    /** The manifest entry of a written CLIP model, with the file's sha256; no output name when {@code outputName} is null. */
    static Map<String, Object> entry(
        Path modelsDir,
        String name,
        String task,
        String file,
        Map<String, Object> input,
        String outputName,
        Map<String, Object> tokenizer
    ) throws IOException {
        Path written = modelsDir.resolve(file);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("task", task);
        entry.put("architecture", "clip");
        entry.put("file", file);
        entry.put("sha256", ModelFile.sha256(written));
        entry.put("bytes", Files.size(written));
        entry.put("input", input);
        if (outputName != null) {
            entry.put("output", Map.of("name", outputName));
        }
        if (tokenizer != null) {
            entry.put("tokenizer", tokenizer);
        }
        entry.put("licence", "test model generated by " + TestClipModels.class.getName() + "; not a CLIP model");
        return entry;
    }

    /**
     * Makes {@code out} a models folder a node can be configured with: copies of every entry of the shared models
     * folder (face models and {@code clip-tokenizer/}), the two test CLIP models, and {@code out/manifest.json} with
     * the face models of {@code projectManifest} followed by the test CLIP models. Returns the manifest's path.
     */
    public static Path prepareModelsFolder(Path out, Path sharedModels, Path projectManifest) throws IOException {
        Files.createDirectories(out);
        try (var entries = Files.list(sharedModels)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                copy(entry, out.resolve(entry.getFileName().toString()));
            }
        }
        Map<String, Object> project;
        try (InputStream in = Files.newInputStream(projectManifest)) {
            project = XContentHelper.convertToMap(JsonXContent.jsonXContent, in, true);
        }
        List<Object> models = new ArrayList<>();
        for (Object entry : (List<?>) project.get("models")) {
            if (entry instanceof Map<?, ?> map && String.valueOf(map.get("task")).startsWith("face_")) {
                models.add(map);
            }
        }
        models.addAll(writeDefaultModels(out));
        XContentBuilder builder = JsonXContent.contentBuilder().prettyPrint();
        builder.map(Map.of("models", models));
        Path manifest = out.resolve("manifest.json");
        Files.writeString(manifest, BytesReference.bytes(builder).utf8ToString() + "\n", StandardCharsets.UTF_8);
        return manifest;
    }

    /**
     * Copies a file or folder, replacing what is there: a node refuses model files that lead out of its models folder
     * through a symbolic link, and folders prepared by earlier builds held such links.
     */
    private static void copy(Path source, Path target) throws IOException {
        if (Files.isSymbolicLink(target)) {
            Files.delete(target);
        }
        try (var tree = Files.walk(source)) {
            for (Path file : (Iterable<Path>) tree::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** {@code TestClipModels OUTPUT_FOLDER SHARED_MODELS_FOLDER PROJECT_MANIFEST}: {@link #prepareModelsFolder}, for a test node. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: TestClipModels OUTPUT_FOLDER SHARED_MODELS_FOLDER PROJECT_MANIFEST");
        }
        Path manifest = prepareModelsFolder(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        System.out.println("wrote " + IMAGE_MODEL + ", " + TEXT_MODEL + " and " + manifest);
    }
}

package io.facesearch.vision.clip;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small models whose tensors do not fit the role their manifest entry gives them, written with {@link OnnxGraphWriter}:
 * loading them must fail with what is wrong. Each writer puts the file under {@link TestClipModels#FOLDER} and returns
 * the manifest entry, with the written file's true sha256.
 */
public final class WrongRoleModels {
    private WrongRoleModels() {}

    /**
     * A "face embedder" of 112x112 crops whose one output is a vector per row of pixels, {@code [batch, 3, 112]}, where
     * an embedder gives {@code [batch, dimension]}.
     */
    public static Map<String, Object> writeRank3Embedder(Path modelsDir, String name) throws IOException {
        String file = TestClipModels.FOLDER + "/" + name + ".onnx";
        new OnnxGraphWriter(name)
            .input("x", OnnxGraphWriter.FLOAT, "batch", 3L, 112L, 112L)
            .node("ReduceMean", new String[] { "x" }, new String[] { "rows" },
                OnnxGraphWriter.intsAttribute("axes", 3), OnnxGraphWriter.intAttribute("keepdims", 0))
            .output("rows", OnnxGraphWriter.FLOAT, "batch", 3L, 112L)
            .write(modelsDir.resolve(file));
        return faceEntry(modelsDir, name, "face_embedding", "arcface", file, 112, "bgr", 127.5, 127.5);
    }

    /**
     * A "face detector" with SCRFD's nine outputs (scores, boxes, landmarks, each at strides 8, 16 and 32) that all hold
     * the three channel means of a fixed 640x640 input, reshaped to {@code outputShape} ({@code [1, 3]}: 3 values per
     * prediction; {@code [3, 1]}: 3 predictions), where SCRFD has 12800, 3200 and 800 predictions of 1, 4 and 10 values.
     */
    public static Map<String, Object> writeNineOutputDetector(Path modelsDir, String name, long... outputShape) throws IOException {
        String file = TestClipModels.FOLDER + "/" + name + ".onnx";
        OnnxGraphWriter graph = new OnnxGraphWriter(name)
            .input("input.1", OnnxGraphWriter.FLOAT, 1L, 3L, 640L, 640L)
            .initializer("output_shape", outputShape, outputShape.length)
            .node("GlobalAveragePool", new String[] { "input.1" }, new String[] { "channel_means" });
        Object[] dims = new Object[outputShape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = outputShape[i];
        }
        for (String kind : List.of("score", "bbox", "kps")) {
            for (int stride : new int[] { 8, 16, 32 }) {
                graph.node("Reshape", new String[] { "channel_means", "output_shape" }, new String[] { kind + "_" + stride })
                    .output(kind + "_" + stride, OnnxGraphWriter.FLOAT, dims);
            }
        }
        graph.write(modelsDir.resolve(file));
        return faceEntry(modelsDir, name, "face_detection", "scrfd", file, 640, "rgb", 127.5, 128);
    }

    /** The entry of a face model of {@code size}x{@code size} pixels, fed as {@code (x - mean) / std} in every channel. */
    private static Map<String, Object> faceEntry(
        Path modelsDir,
        String name,
        String task,
        String architecture,
        String file,
        int size,
        String channelOrder,
        double mean,
        double std
    ) throws IOException {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("width", size);
        input.put("height", size);
        input.put("channel_order", channelOrder);
        input.put("mean", List.of(mean, mean, mean));
        input.put("std", List.of(std, std, std));
        Map<String, Object> entry = TestClipModels.entry(modelsDir, name, task, file, input, null, null);
        entry.put("architecture", architecture);
        return entry;
    }

    /** A "text encoder" whose {@code input_ids [batch, 77]} are float, projected to {@code text_embeds [batch, 8]}. */
    public static Map<String, Object> writeFloatIdsTextModel(Path modelsDir, String name) throws IOException {
        OnnxGraphWriter graph = new OnnxGraphWriter(name).input("input_ids", OnnxGraphWriter.FLOAT, "batch", (long) TestClipModels.CONTEXT_LENGTH);
        return writeProjectedText(modelsDir, name, graph, "input_ids", TestClipModels.DIMENSION);
    }

    /**
     * A text encoder with int64 {@code input_ids [batch, 77]} like the test CLIP text model, but with embeddings of
     * {@code dimension} values: the ids, as floats, times a fixed {@code [77, dimension]} matrix.
     */
    public static Map<String, Object> writeTextModel(Path modelsDir, String name, int dimension) throws IOException {
        OnnxGraphWriter graph = new OnnxGraphWriter(name)
            .input("input_ids", OnnxGraphWriter.INT64, "batch", (long) TestClipModels.CONTEXT_LENGTH)
            .node("Cast", new String[] { "input_ids" }, new String[] { "id_values" }, OnnxGraphWriter.intAttribute("to", OnnxGraphWriter.FLOAT));
        return writeProjectedText(modelsDir, name, graph, "id_values", dimension);
    }

    /** Ends {@code graph} with {@code text_embeds = values × projection} and writes it with a clip_text entry. */
    private static Map<String, Object> writeProjectedText(Path modelsDir, String name, OnnxGraphWriter graph, String values, int dimension)
        throws IOException {
        int context = TestClipModels.CONTEXT_LENGTH;
        float[] projection = new float[context * dimension];
        for (int i = 0; i < context; i++) {
            projection[i * dimension + i % dimension] = 1;
        }
        String file = TestClipModels.FOLDER + "/" + name + ".onnx";
        graph.initializer("projection", projection, context, dimension)
            .node("MatMul", new String[] { values, "projection" }, new String[] { "text_embeds" })
            .output("text_embeds", OnnxGraphWriter.FLOAT, "batch", (long) dimension)
            .write(modelsDir.resolve(file));
        return TestClipModels.entry(modelsDir, name, "clip_text", file, Map.of("context_length", context), "text_embeds", null);
    }
}

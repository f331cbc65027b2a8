package io.facesearch.vision.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One model of the manifest: which file, how to check it, and how to feed and read it.
 *
 * @param name           unique name used in settings and API responses
 * @param task           what the model does
 * @param architecture   decoder family of the outputs: {@code yunet}, {@code scrfd}, {@code arcface}, ...
 * @param file           path of the ONNX file relative to the models folder
 * @param sha256         expected SHA-256 of the file, lower-case hex
 * @param inputWidth     network input width in pixels (for dynamic detectors: the largest side used)
 * @param inputHeight    network input height in pixels
 * @param dynamicInput   whether the network accepts any input size (multiples of {@code inputStride})
 * @param inputStride    input sizes must be multiples of this for dynamic models
 * @param bgr            channel order fed to the network: true for BGR, false for RGB
 * @param mean           per-channel value subtracted from 0..255 pixels, in the network's channel order
 * @param std            per-channel divisor applied after the mean
 * @param scoreThreshold default minimum detector score (detectors)
 * @param nmsIou         IoU above which overlapping detections are merged (detectors)
 * @param verifyThreshold cosine similarity above which two faces are the same person (embedders)
 * @param url            public download location, for the fetch script and users
 * @param licence        licence of the weights as stated by their source
 */
public record ModelSpec(
    String name,
    ModelTask task,
    String architecture,
    String file,
    String sha256,
    int inputWidth,
    int inputHeight,
    boolean dynamicInput,
    int inputStride,
    boolean bgr,
    float[] mean,
    float[] std,
    float scoreThreshold,
    float nmsIou,
    float verifyThreshold,
    String url,
    String licence
) {

    /** Reads one manifest entry (as parsed from JSON), failing with the entry name and field on a bad value. */
    public static ModelSpec fromMap(Map<String, Object> entry) {
        String name = string(entry, "name", null, "?");
        Map<String, Object> input = object(entry, "input", name);
        Map<String, Object> output = entry.containsKey("output") ? object(entry, "output", name) : Map.of();
        String order = string(input, "channel_order", name, "input.").toLowerCase(Locale.ROOT);
        if (order.equals("bgr") == false && order.equals("rgb") == false) {
            throw new IllegalArgumentException("model [" + name + "]: input.channel_order must be bgr or rgb, got [" + order + "]");
        }
        return new ModelSpec(
            name,
            ModelTask.fromLabel(string(entry, "task", name, "")),
            string(entry, "architecture", name, ""),
            string(entry, "file", name, ""),
            string(entry, "sha256", name, "").toLowerCase(Locale.ROOT),
            number(input, "width", name, "input.", null).intValue(),
            number(input, "height", name, "input.", null).intValue(),
            Boolean.TRUE.equals(input.get("dynamic")),
            number(input, "stride", name, "input.", 32).intValue(),
            order.equals("bgr"),
            triple(input, "mean", name),
            triple(input, "std", name),
            number(output, "score_threshold", name, "output.", 0.5f).floatValue(),
            number(output, "nms_iou", name, "output.", 0.4f).floatValue(),
            number(output, "verify_threshold", name, "output.", 0.3f).floatValue(),
            entry.get("url") == null ? null : entry.get("url").toString(),
            entry.get("licence") == null ? null : entry.get("licence").toString()
        );
    }

    private static String string(Map<String, Object> map, String key, String model, String prefix) {
        Object value = map.get(key);
        if (value instanceof String s && s.isEmpty() == false) {
            return s;
        }
        throw new IllegalArgumentException("model [" + model + "]: field [" + prefix + key + "] must be a non-empty string");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> map, String key, String model) {
        Object value = map.get(key);
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("model [" + model + "]: field [" + key + "] must be an object");
    }

    private static Number number(Map<String, Object> map, String key, String model, String prefix, Number fallback) {
        Object value = map.get(key);
        if (value == null && fallback != null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("model [" + model + "]: field [" + prefix + key + "] must be a number");
    }

    private static float[] triple(Map<String, Object> input, String key, String model) {
        Object value = input.get(key);
        if (value instanceof List<?> list && list.size() == 3) {
            float[] result = new float[3];
            for (int i = 0; i < 3; i++) {
                if (list.get(i) instanceof Number n) {
                    result[i] = n.floatValue();
                } else {
                    throw new IllegalArgumentException("model [" + model + "]: field [input." + key + "] must hold 3 numbers");
                }
            }
            return result;
        }
        throw new IllegalArgumentException("model [" + model + "]: field [input." + key + "] must be a list of 3 numbers");
    }
}

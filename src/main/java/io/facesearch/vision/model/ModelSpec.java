package io.facesearch.vision.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One model of the manifest: which file, how to check it, and how to feed and read it.
 *
 * <p>CLIP text encoders take no pixels: their {@code inputWidth}, {@code inputHeight} and {@code inputStride} are 0,
 * and {@code mean} and {@code std} are null.
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
 * @param outputName     output tensor holding the embedding (CLIP encoders); null for the model's first output
 * @param contextLength  tokens per input row (CLIP text encoders); 0 for other models
 * @param tokenizer      files of the tokenizer that produces the token ids (CLIP text encoders); null otherwise
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
    String outputName,
    int contextLength,
    TokenizerSpec tokenizer,
    String url,
    String licence
) {

    /** CLIP's text context: 75 BPE tokens between the start and end markers. */
    public static final int DEFAULT_CONTEXT_LENGTH = 77;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Reads one manifest entry (as parsed from JSON), failing with the entry name and field on a bad value. */
    public static ModelSpec fromMap(Map<String, Object> entry) {
        String name = string(entry, "name", null, "?");
        String taskLabel = string(entry, "task", name, "");
        ModelTask task;
        try {
            task = ModelTask.fromLabel(taskLabel);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model [" + name + "]: " + e.getMessage(), e);
        }
        Map<String, Object> output = optionalObject(entry, "output", name);
        String outputName = output.containsKey("name") ? string(output, "name", name, "output.") : null;
        String architecture = string(entry, "architecture", name, "");
        String file = string(entry, "file", name, "");
        String sha256 = string(entry, "sha256", name, "").toLowerCase(Locale.ROOT);
        float scoreThreshold = number(output, "score_threshold", name, "output.", 0.5f).floatValue();
        float nmsIou = number(output, "nms_iou", name, "output.", 0.4f).floatValue();
        float verifyThreshold = number(output, "verify_threshold", name, "output.", 0.3f).floatValue();
        String url = entry.get("url") == null ? null : entry.get("url").toString();
        String licence = entry.get("licence") == null ? null : entry.get("licence").toString();

        if (task == ModelTask.CLIP_TEXT) {
            Map<String, Object> input = optionalObject(entry, "input", name);
            Number context = number(input, "context_length", name, "input.", DEFAULT_CONTEXT_LENGTH);
            if (context.doubleValue() != context.intValue() || context.intValue() <= 0) {
                throw new IllegalArgumentException("model [" + name + "]: field [input.context_length] must be a positive integer");
            }
            return new ModelSpec(name, task, architecture, file, sha256, 0, 0, false, 0, false, null, null,
                scoreThreshold, nmsIou, verifyThreshold, outputName, context.intValue(), tokenizer(entry, name), url, licence);
        }

        Map<String, Object> input = object(entry, "input", name);
        String order = string(input, "channel_order", name, "input.").toLowerCase(Locale.ROOT);
        if (order.equals("bgr") == false && order.equals("rgb") == false) {
            throw new IllegalArgumentException("model [" + name + "]: input.channel_order must be bgr or rgb, got [" + order + "]");
        }
        return new ModelSpec(
            name,
            task,
            architecture,
            file,
            sha256,
            number(input, "width", name, "input.", null).intValue(),
            number(input, "height", name, "input.", null).intValue(),
            Boolean.TRUE.equals(input.get("dynamic")),
            number(input, "stride", name, "input.", 32).intValue(),
            order.equals("bgr"),
            triple(input, "mean", name),
            triple(input, "std", name),
            scoreThreshold,
            nmsIou,
            verifyThreshold,
            outputName,
            0,
            null,
            url,
            licence
        );
    }

    /**
     * The {@code tokenizer} object of a text model. Without it, or without one of its files, the standard CLIP files
     * are meant; a file other than the standard one must come with its own sha256.
     */
    private static TokenizerSpec tokenizer(Map<String, Object> entry, String model) {
        if (entry.containsKey("tokenizer") == false) {
            return TokenizerSpec.CLIP_BPE;
        }
        Map<String, Object> tokenizer = object(entry, "tokenizer", model);
        TokenizerSpec standard = TokenizerSpec.CLIP_BPE;
        String vocab = tokenizer.containsKey("vocab") ? string(tokenizer, "vocab", model, "tokenizer.") : standard.vocab();
        String vocabSha256 = fileSha256(tokenizer, "vocab_sha256", vocab.equals(standard.vocab()) ? standard.vocabSha256() : null, model);
        String merges = tokenizer.containsKey("merges") ? string(tokenizer, "merges", model, "tokenizer.") : standard.merges();
        String mergesSha256 = fileSha256(tokenizer, "merges_sha256", merges.equals(standard.merges()) ? standard.mergesSha256() : null, model);
        return new TokenizerSpec(vocab, vocabSha256, merges, mergesSha256);
    }

    private static String fileSha256(Map<String, Object> tokenizer, String key, String fallback, String model) {
        Object value = tokenizer.get(key);
        if (value == null && fallback != null) {
            return fallback;
        }
        if (value instanceof String s && SHA256.matcher(s.toLowerCase(Locale.ROOT)).matches()) {
            return s.toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("model [" + model + "]: field [tokenizer." + key + "] must be the file's sha256 (64 hex digits)");
    }

    private static Map<String, Object> optionalObject(Map<String, Object> map, String key, String model) {
        return map.containsKey(key) ? object(map, key, model) : Map.of();
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

package io.facesearch.vision.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model file, checked against its manifest SHA-256 and opened once as an ONNX Runtime session.
 *
 * <p>Sessions are safe to run from many threads at once. Each run uses one intra-op thread: the
 * plugin's thread pool supplies the parallelism, one request per core, which keeps latency
 * predictable and never oversubscribes the node's CPUs.
 *
 * <p>Image models take one float tensor ({@link #run(FloatBuffer, long[])}); text models take token ids and,
 * where the model declares one, an attention mask ({@link #runTokens}).
 */
public final class OnnxModel implements AutoCloseable {
    private final ModelSpec spec;
    private final Path path;
    private final OrtSession session;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final Map<String, NodeInfo> inputInfo;
    private final Map<String, NodeInfo> outputInfo;

    private OnnxModel(ModelSpec spec, Path path, OrtSession session) throws OrtException {
        this.spec = spec;
        this.path = path;
        this.session = session;
        this.inputNames = List.copyOf(session.getInputNames());
        this.outputNames = List.copyOf(session.getOutputNames());
        this.inputInfo = session.getInputInfo();
        this.outputInfo = session.getOutputInfo();
    }

    /**
     * Verifies the file under {@code modelsDir} ({@link ModelFile}) and opens it; every failure names the model and the
     * reason. What the model's tensors must look like depends on its role: the class that uses it checks them.
     */
    public static OnnxModel open(ModelSpec spec, Path modelsDir) {
        Path path = ModelFile.verified(spec.name(), modelsDir, spec.file(), spec.sha256());
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                OrtSession session = environment.createSession(path.toString(), options);
                return new OnnxModel(spec, path, session);
            }
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            throw new ModelUnavailableException(
                "model [" + spec.name() + "]: ONNX Runtime cannot load file [" + spec.file() + "]: " + e.getMessage(),
                e
            );
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public Path path() {
        return path;
    }

    /** The first input: the one {@link #run(FloatBuffer, long[])} feeds. */
    public String inputName() {
        return inputNames.get(0);
    }

    public List<String> inputNames() {
        return inputNames;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    /** Shape of an input as declared by the model; -1 for dynamic dimensions. */
    public long[] inputShape(int index) {
        return tensor(inputInfo, inputNames.get(index), "input").getShape();
    }

    /** Element type of an input as declared by the model. */
    public OnnxJavaType inputType(int index) {
        return tensor(inputInfo, inputNames.get(index), "input").type;
    }

    /** Shape of an output as declared by the model; -1 for dynamic dimensions. */
    public long[] outputShape(int index) {
        return tensor(outputInfo, outputNames.get(index), "output").getShape();
    }

    /** Element type of an output as declared by the model. */
    public OnnxJavaType outputType(int index) {
        return tensor(outputInfo, outputNames.get(index), "output").type;
    }

    /** Position of the named output, failing with the model's output names when it has none of that name. */
    public int outputIndex(String name) {
        int index = outputNames.indexOf(name);
        if (index < 0) {
            throw new ModelUnavailableException("model [" + spec.name() + "] has no output [" + name + "]; its outputs are " + outputNames);
        }
        return index;
    }

    /** Which inputs take token ids and attention mask; fails with the model's inputs when it is not a text model. */
    public TokenInputs tokenInputs() {
        return TokenInputs.find(spec.name(), inputInfo);
    }

    private TensorInfo tensor(Map<String, NodeInfo> infos, String name, String kind) {
        if (infos.get(name).getInfo() instanceof TensorInfo tensor) {
            return tensor;
        }
        throw new ModelUnavailableException("model [" + spec.name() + "]: " + kind + " [" + name + "] is not a tensor: " + infos.get(name).getInfo());
    }

    /**
     * Most floats a thread keeps an input buffer of: one 640x640 detector input, 4,915,200 bytes. Face embedders and
     * CLIP image encoders split their inputs into runs that fit ({@link #inputsPerRun}); only a detector configured
     * with a larger input needs more, and gets a buffer that is not kept. Each thread of the inference pools holds at
     * most one such buffer, whatever the photos were.
     */
    public static final int MAX_KEPT_INPUT_FLOATS = 3 * 640 * 640;

    /** Per-thread input buffer, reused: inputs are megabytes, and a direct buffer is handed to ONNX Runtime without a copy. */
    private static final ThreadLocal<FloatBuffer> INPUT_BUFFER = new ThreadLocal<>();

    /**
     * A direct buffer of {@code floats} floats for this thread's next {@link #run}, position 0, limit {@code floats}.
     * Valid until this thread asks for another one. Up to {@link #MAX_KEPT_INPUT_FLOATS} it is this thread's buffer,
     * grown as needed; above, a buffer of its own that is freed with its last reference.
     */
    public static FloatBuffer inputBuffer(int floats) {
        if (floats > MAX_KEPT_INPUT_FLOATS) {
            return directFloats(floats);
        }
        FloatBuffer buffer = INPUT_BUFFER.get();
        if (buffer == null || buffer.capacity() < floats) {
            buffer = directFloats(floats);
            INPUT_BUFFER.set(buffer);
        }
        buffer.clear();
        buffer.limit(floats);
        return buffer;
    }

    /** Capacity of this thread's kept input buffer, 0 when it has none. */
    static int keptInputBufferFloats() {
        FloatBuffer buffer = INPUT_BUFFER.get();
        return buffer == null ? 0 : buffer.capacity();
    }

    /**
     * How many inputs of {@code floatsPerInput} floats one run takes so that they fit this thread's kept buffer: at
     * most {@code limit}, and at least 1 (one larger input gets a buffer of its own).
     */
    public static int inputsPerRun(int floatsPerInput, int limit) {
        return Math.max(1, Math.min(limit, MAX_KEPT_INPUT_FLOATS / floatsPerInput));
    }

    private static FloatBuffer directFloats(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Runs the model on one float tensor and returns every output, flattened, in output order. */
    public float[][] run(FloatBuffer input, long[] shape) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, shape);
             OrtSession.Result result = session.run(Map.of(inputName(), tensor))) {
            float[][] outputs = new float[outputNames.size()][];
            for (int i = 0; i < outputs.length; i++) {
                OnnxTensor output = (OnnxTensor) result.get(i);
                FloatBuffer buffer = output.getFloatBuffer();
                outputs[i] = new float[buffer.remaining()];
                buffer.get(outputs[i]);
            }
            return outputs;
        } catch (OrtException e) {
            throw new IllegalStateException("model [" + spec.name() + "] failed to run: " + e.getMessage(), e);
        }
    }

    /** Runs the model on one float tensor and returns only the output at {@code outputIndex}, flattened. */
    public float[] run(FloatBuffer input, long[] shape, int outputIndex) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, shape)) {
            return runFor(Map.of(inputName(), tensor), outputIndex);
        } catch (OrtException e) {
            throw new IllegalStateException("model [" + spec.name() + "] failed to run: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a text model on token ids and returns only the output at {@code outputIndex}, flattened.
     *
     * @param inputs the model's token inputs, from {@link #tokenInputs()}
     * @param ids    token ids, row-major {@code [batch, context]}
     * @param mask   1 for real tokens and 0 for padding, same layout; fed only when the model declares a mask
     * @param shape  {@code {batch, context}}
     */
    public float[] runTokens(TokenInputs inputs, long[] ids, long[] mask, long[] shape, int outputIndex) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<OnnxTensor> tensors = new ArrayList<>(2);
        try {
            Map<String, OnnxTensor> feed = new HashMap<>();
            OnnxTensor idsTensor = integerTensor(environment, ids, inputs.idsType(), shape);
            tensors.add(idsTensor);
            feed.put(inputs.ids(), idsTensor);
            if (inputs.hasMask()) {
                OnnxTensor maskTensor = inputs.maskType() == OnnxJavaType.FLOAT
                    ? OnnxTensor.createTensor(environment, FloatBuffer.wrap(toFloats(mask)), shape)
                    : integerTensor(environment, mask, inputs.maskType(), shape);
                tensors.add(maskTensor);
                feed.put(inputs.mask(), maskTensor);
            }
            return runFor(feed, outputIndex);
        } catch (OrtException e) {
            throw new IllegalStateException("model [" + spec.name() + "] failed to run: " + e.getMessage(), e);
        } finally {
            for (OnnxTensor tensor : tensors) {
                tensor.close();
            }
        }
    }

    private float[] runFor(Map<String, OnnxTensor> feed, int outputIndex) throws OrtException {
        String name = outputNames.get(outputIndex);
        try (OrtSession.Result result = session.run(feed, Set.of(name))) {
            OnnxValue value = result.get(name).orElseThrow();
            if (value instanceof OnnxTensor output && output.getInfo().type == OnnxJavaType.FLOAT) {
                FloatBuffer buffer = output.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return values;
            }
            throw new IllegalStateException("model [" + spec.name() + "]: output [" + name + "] is " + value.getInfo() + ", not a float tensor");
        }
    }

    private static OnnxTensor integerTensor(OrtEnvironment environment, long[] values, OnnxJavaType type, long[] shape) throws OrtException {
        if (type == OnnxJavaType.INT64) {
            return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape);
        }
        int[] narrowed = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            narrowed[i] = Math.toIntExact(values[i]);
        }
        return OnnxTensor.createTensor(environment, IntBuffer.wrap(narrowed), shape);
    }

    private static float[] toFloats(long[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = values[i];
        }
        return floats;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("model [" + spec.name() + "]: cannot close session: " + e.getMessage(), e);
        }
    }
}

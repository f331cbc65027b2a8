package io.facesearch.vision.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model file, checked against its manifest SHA-256 and opened once as an ONNX Runtime session.
 *
 * <p>Sessions are safe to run from many threads at once. Each run uses one intra-op thread: the
 * plugin's thread pool supplies the parallelism, one request per core, which keeps latency
 * predictable and never oversubscribes the node's CPUs.
 */
public final class OnnxModel implements AutoCloseable {
    private final ModelSpec spec;
    private final Path path;
    private final OrtSession session;
    private final String inputName;
    private final List<String> outputNames;

    private OnnxModel(ModelSpec spec, Path path, OrtSession session) throws OrtException {
        this.spec = spec;
        this.path = path;
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
        this.outputNames = List.copyOf(session.getOutputNames());
    }

    /** Verifies the file under {@code modelsDir} and opens it; every failure names the model and the reason. */
    public static OnnxModel open(ModelSpec spec, Path modelsDir) {
        Path path = modelsDir.resolve(spec.file()).normalize();
        String actual;
        try {
            actual = sha256(path);
        } catch (NoSuchFileException e) {
            throw new ModelUnavailableException(
                "model [" + spec.name() + "]: file [" + path + "] does not exist (check face_search.models.path, or run models/fetch)"
            );
        } catch (IOException e) {
            throw new ModelUnavailableException("model [" + spec.name() + "]: cannot read [" + path + "]: " + e.getMessage(), e);
        }
        if (actual.equals(spec.sha256()) == false) {
            throw new ModelUnavailableException(
                "model ["
                    + spec.name()
                    + "]: file ["
                    + path
                    + "] has sha256 "
                    + actual
                    + " but the manifest expects "
                    + spec.sha256()
                    + " (corrupt or different file)"
            );
        }
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
            throw new ModelUnavailableException("model [" + spec.name() + "]: ONNX Runtime cannot load [" + path + "]: " + e.getMessage(), e);
        }
    }

    static String sha256(Path path) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public ModelSpec spec() {
        return spec;
    }

    public Path path() {
        return path;
    }

    public String inputName() {
        return inputName;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    /** Shape of an output as declared by the model; -1 for dynamic dimensions. */
    public long[] outputShape(int index) {
        try {
            NodeInfo info = session.getOutputInfo().get(outputNames.get(index));
            return ((TensorInfo) info.getInfo()).getShape();
        } catch (OrtException e) {
            throw new ModelUnavailableException("model [" + spec.name() + "]: cannot read output shape: " + e.getMessage(), e);
        }
    }

    /** Per-thread input buffer, reused: inputs are megabytes, and a direct buffer is handed to ONNX Runtime without a copy. */
    private static final ThreadLocal<FloatBuffer> INPUT_BUFFER = new ThreadLocal<>();

    /**
     * A direct buffer of {@code floats} floats for this thread's next {@link #run}, position 0, limit {@code floats}.
     * Valid until this thread asks for another one.
     */
    public static FloatBuffer inputBuffer(int floats) {
        FloatBuffer buffer = INPUT_BUFFER.get();
        if (buffer == null || buffer.capacity() < floats) {
            buffer = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            INPUT_BUFFER.set(buffer);
        }
        buffer.clear();
        buffer.limit(floats);
        return buffer;
    }

    /** Runs the model on one float tensor and returns every output, flattened, in output order. */
    public float[][] run(FloatBuffer input, long[] shape) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, shape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
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

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("model [" + spec.name() + "]: cannot close session: " + e.getMessage(), e);
        }
    }
}

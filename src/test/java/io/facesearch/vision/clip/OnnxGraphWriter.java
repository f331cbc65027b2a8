package io.facesearch.vision.clip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a small ONNX model and writes it in protobuf wire format, so tests can make models of a chosen signature
 * without an ONNX library. Field numbers are those of {@code onnx/onnx.proto} (ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
 *
 * <p>Nodes must be added in topological order. Dimensions of inputs and outputs are {@link Long} (fixed) or
 * {@link String} (symbolic, e.g. {@code "batch"}).
 */
final class OnnxGraphWriter {
    /** TensorProto.DataType values. */
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;

    /** IR version 8 (ONNX 1.10) covers opset 13, which every operator used by the test models has. */
    private static final long IR_VERSION = 8;
    private static final long OPSET = 13;

    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_INTS = 7;

    private final Message graph = new Message();

    OnnxGraphWriter(String graphName) {
        graph.string(2, graphName);
    }

    OnnxGraphWriter input(String name, int elementType, Object... dims) {
        graph.message(11, valueInfo(name, elementType, dims));
        return this;
    }

    OnnxGraphWriter output(String name, int elementType, Object... dims) {
        graph.message(12, valueInfo(name, elementType, dims));
        return this;
    }

    OnnxGraphWriter initializer(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        graph.message(5, tensor(name, FLOAT, raw.array(), dims));
        return this;
    }

    OnnxGraphWriter initializer(String name, long[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        graph.message(5, tensor(name, INT64, raw.array(), dims));
        return this;
    }

    OnnxGraphWriter node(String opType, String[] inputs, String[] outputs, Message... attributes) {
        Message node = new Message();
        for (String input : inputs) {
            node.string(1, input);
        }
        for (String output : outputs) {
            node.string(2, output);
        }
        node.string(3, opType + "_" + outputs[0]);
        node.string(4, opType);
        for (Message attribute : attributes) {
            node.message(5, attribute);
        }
        graph.message(1, node);
        return this;
    }

    static Message intAttribute(String name, long value) {
        Message attribute = new Message();
        attribute.string(1, name);
        attribute.varint(3, value);
        attribute.varint(20, ATTRIBUTE_INT);
        return attribute;
    }

    static Message intsAttribute(String name, long... values) {
        Message attribute = new Message();
        attribute.string(1, name);
        for (long value : values) {
            attribute.varint(8, value);
        }
        attribute.varint(20, ATTRIBUTE_INTS);
        return attribute;
    }

    /** The serialized ModelProto. */
    byte[] toBytes() {
        Message opset = new Message();
        opset.string(1, "");
        opset.varint(2, OPSET);
        Message model = new Message();
        model.varint(1, IR_VERSION);
        model.string(2, "face-search tests");
        model.message(7, graph);
        model.message(8, opset);
        return model.bytes();
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, toBytes());
    }

    private static Message tensor(String name, int dataType, byte[] raw, long[] dims) {
        Message tensor = new Message();
        for (long dim : dims) {
            tensor.varint(1, dim);
        }
        tensor.varint(2, dataType);
        tensor.string(8, name);
        tensor.bytes(9, raw);
        return tensor;
    }

    private static Message valueInfo(String name, int elementType, Object[] dims) {
        Message shape = new Message();
        for (Object dim : dims) {
            Message dimension = new Message();
            if (dim instanceof Number fixed) {
                dimension.varint(1, fixed.longValue());
            } else if (dim instanceof String symbol) {
                dimension.string(2, symbol);
            } else {
                throw new IllegalArgumentException("dimension must be a number or a name: " + dim);
            }
            shape.message(1, dimension);
        }
        Message tensorType = new Message();
        tensorType.varint(1, elementType);
        tensorType.message(2, shape);
        Message type = new Message();
        type.message(1, tensorType);
        Message info = new Message();
        info.string(1, name);
        info.message(2, type);
        return info;
    }

    /** One protobuf message being written: fields are appended in call order, which protobuf allows. */
    static final class Message {
        private static final int VARINT = 0;
        private static final int LENGTH_DELIMITED = 2;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            tag(field, VARINT);
            writeVarint(value);
        }

        void bytes(int field, byte[] value) {
            tag(field, LENGTH_DELIMITED);
            writeVarint(value.length);
            out.writeBytes(value);
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, Message value) {
            bytes(field, value.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            writeVarint(((long) field << 3) | wireType);
        }

        /** Base-128, least significant group first; negative numbers take ten bytes, as protobuf's int64 does. */
        private void writeVarint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}

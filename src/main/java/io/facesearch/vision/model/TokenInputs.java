package io.facesearch.vision.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which inputs of a text model take the token ids and the attention mask, and their element types.
 *
 * <p>Exports differ: Hugging Face exports call the ids {@code input_ids} and may or may not declare an
 * {@code attention_mask}; other exporters give their single integer input another name, and some declare
 * int32 instead of int64. The inputs are therefore found by name first and by type second.
 *
 * @param ids      name of the token id input, {@code [batch, context]}
 * @param idsType  {@link OnnxJavaType#INT64} or {@link OnnxJavaType#INT32}
 * @param mask     name of the attention mask input, or null when the model declares none
 * @param maskType element type of the mask (int64, int32 or float); null without a mask
 */
public record TokenInputs(String ids, OnnxJavaType idsType, String mask, OnnxJavaType maskType) {
    static final String IDS_NAME = "input_ids";
    static final String MASK_NAME = "attention_mask";

    public boolean hasMask() {
        return mask != null;
    }

    /** Finds the token inputs among a model's inputs, failing with the model name and its inputs when they are not there. */
    static TokenInputs find(String model, Map<String, NodeInfo> inputs) {
        String ids = null;
        String mask = null;
        List<String> integerInputs = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
            String name = input.getKey();
            if (name.equals(MASK_NAME)) {
                mask = name;
            } else if (isInteger(type(input.getValue()))) {
                integerInputs.add(name);
            }
        }
        if (inputs.containsKey(IDS_NAME)) {
            ids = IDS_NAME;
        } else if (integerInputs.size() == 1) {
            ids = integerInputs.get(0);
        }
        if (ids == null) {
            throw new ModelUnavailableException(
                "model [" + model + "]: cannot tell which input takes the token ids (expected [" + IDS_NAME
                    + "] or a single int64/int32 input); inputs: " + describe(inputs)
            );
        }
        OnnxJavaType idsType = type(inputs.get(ids));
        if (isInteger(idsType) == false) {
            throw new ModelUnavailableException(
                "model [" + model + "]: token id input [" + ids + "] is " + idsType + ", expected int64 or int32; inputs: " + describe(inputs)
            );
        }
        OnnxJavaType maskType = null;
        if (mask != null) {
            maskType = type(inputs.get(mask));
            if (isInteger(maskType) == false && maskType != OnnxJavaType.FLOAT) {
                throw new ModelUnavailableException(
                    "model [" + model + "]: attention mask input [" + mask + "] is " + maskType + ", expected int64, int32 or float"
                );
            }
        }
        for (String name : inputs.keySet()) {
            if (name.equals(ids) == false && name.equals(mask) == false) {
                throw new ModelUnavailableException(
                    "model [" + model + "]: input [" + name + "] is neither the token ids nor the attention mask; inputs: " + describe(inputs)
                );
            }
        }
        return new TokenInputs(ids, idsType, mask, maskType);
    }

    private static boolean isInteger(OnnxJavaType type) {
        return type == OnnxJavaType.INT64 || type == OnnxJavaType.INT32;
    }

    private static OnnxJavaType type(NodeInfo info) {
        return info.getInfo() instanceof TensorInfo tensor ? tensor.type : OnnxJavaType.UNKNOWN;
    }

    private static String describe(Map<String, NodeInfo> inputs) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
            parts.add(input.getKey() + " " + input.getValue().getInfo());
        }
        return parts.toString();
    }
}

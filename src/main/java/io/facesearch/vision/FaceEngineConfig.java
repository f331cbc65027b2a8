package io.facesearch.vision;

import io.facesearch.vision.image.MemoryBudget;
import io.facesearch.vision.model.ModelManifest;

import java.nio.file.Path;

/**
 * What a {@link FaceAnalyzer} is built from.
 *
 * @param modelsDir        folder holding the model files named by the manifest
 * @param manifest         the known models
 * @param detector         name of the face detection model
 * @param embedder         name of the face embedding model
 * @param flipAverage      embed each face and its mirror image and average the two
 * @param maxPixels        photos declaring more pixels than this are rejected before decoding
 * @param workingMaxPixels larger photos are decoded at a reduced size
 * @param decodeBudget     where every decode reserves its memory before it allocates any
 */
public record FaceEngineConfig(
    Path modelsDir,
    ModelManifest manifest,
    String detector,
    String embedder,
    boolean flipAverage,
    long maxPixels,
    long workingMaxPixels,
    MemoryBudget decodeBudget
) {}

package io.facesearch.rest;

import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.detect.DetectedFace;

import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/** How faces and photos are written in API responses. */
public final class FaceXContent {
    private FaceXContent() {}

    public static void photo(XContentBuilder builder, FaceAnalysis analysis) throws IOException {
        builder.startObject("image");
        builder.field("width", analysis.width());
        builder.field("height", analysis.height());
        builder.field("format", analysis.format().label());
        builder.endObject();
    }

    public static void face(XContentBuilder builder, AnalyzedFace face, boolean withEmbedding) throws IOException {
        DetectedFace detection = face.detection();
        builder.startObject();
        builder.field("index", face.index());
        builder.field("score", detection.score());
        box(builder, detection);
        builder.startObject("landmarks");
        float[] points = detection.landmarks();
        for (int i = 0; i < DetectedFace.LANDMARK_NAMES.length; i++) {
            builder.array(DetectedFace.LANDMARK_NAMES[i], points[2 * i], points[2 * i + 1]);
        }
        builder.endObject();
        if (withEmbedding && face.embedding() != null) {
            builder.array("embedding", face.embedding());
        }
        builder.endObject();
    }

    public static void box(XContentBuilder builder, DetectedFace detection) throws IOException {
        builder.startObject("box");
        builder.field("x", detection.x());
        builder.field("y", detection.y());
        builder.field("width", detection.width());
        builder.field("height", detection.height());
        builder.endObject();
    }
}

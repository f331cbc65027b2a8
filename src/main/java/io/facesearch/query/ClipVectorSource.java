package io.facesearch.query;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.plugin.FaceSearchSettings;
import io.facesearch.vision.clip.ClipEngine;
import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.InvalidImageException;

import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.core.action.ActionListener;

import java.util.function.Supplier;

/** Turns the text or the photo of a {@code clip_match} query into its CLIP vector. */
final class ClipVectorSource {
    private final Supplier<FaceEngineService> engine;

    ClipVectorSource(Supplier<FaceEngineService> engine) {
        this.engine = engine;
    }

    /**
     * Embeds {@code text}, or {@code image} when the text is null, on the inference pool of this (the coordinating)
     * node. A node without the model the input needs answers at once, before anything is queued.
     */
    void embed(String text, EncodedPhoto image, ActionListener<float[]> listener) {
        FaceEngineService service;
        ClipEngine clip;
        try {
            service = engine.get();
            clip = clipFor(service, text != null);
        } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
        }
        service.executeSearch(new AbstractRunnable() {
            @Override
            protected void doRun() {
                if (text != null) {
                    listener.onResponse(clip.embedText(text));
                    return;
                }
                float[] vector;
                try (DecodedImage decoded = decode(service, image)) {
                    vector = clip.embedImage(decoded);
                }
                listener.onResponse(vector);
            }

            @Override
            public void onFailure(Exception e) {
                listener.onFailure(e);
            }
        });
    }

    private static ClipEngine clipFor(FaceEngineService service, boolean forText) {
        ClipEngine clip;
        try {
            clip = service.clip();
        } catch (IllegalArgumentException e) {
            // CLIP is not configured on this node: the request cannot be answered here, say so in its terms
            throw new IllegalArgumentException("[" + ClipMatchQueryBuilder.NAME + "] " + e.getMessage(), e);
        }
        if (forText && clip.canEmbedTexts() == false) {
            throw new IllegalArgumentException(
                "[" + ClipMatchQueryBuilder.NAME + "] [text] needs a CLIP text model, and this node has none: set ["
                    + FaceSearchSettings.CLIP_TEXT_MODEL.getKey() + "], or search by [image] or [vector]"
            );
        }
        if (forText == false && clip.canEmbedImages() == false) {
            throw new IllegalArgumentException(
                "[" + ClipMatchQueryBuilder.NAME + "] [image] needs a CLIP image model, and this node has none: set ["
                    + FaceSearchSettings.CLIP_IMAGE_MODEL.getKey() + "], or search by [text] or [vector]"
            );
        }
        return clip;
    }

    private static DecodedImage decode(FaceEngineService service, EncodedPhoto image) {
        try {
            return service.analyzer().decoder().decode(QueryPhotos.bytes(ClipMatchQueryBuilder.NAME, image));
        } catch (InvalidImageException e) {
            throw e.in("[" + ClipMatchQueryBuilder.NAME + "] [image]");
        }
    }
}

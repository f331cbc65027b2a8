package io.facesearch.query;

import io.facesearch.common.EncodedPhoto;

/** The photos of the plugin's queries, decoded from base64 by the worker that embeds them. */
final class QueryPhotos {
    private QueryPhotos() {}

    /** The photo's bytes; invalid base64 is the client's error, named as an error of {@code query}. */
    static byte[] bytes(String query, EncodedPhoto photo) {
        try {
            return photo.decode();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + query + "] " + e.getMessage(), e);
        }
    }
}

package io.facesearch.plugin;

import org.opensearch.plugins.Plugin;

/** Entry point of the face-search plugin. */
public class FaceSearchPlugin extends Plugin {
}

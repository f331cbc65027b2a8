package io.facesearch.vision;

/**
 * Told of every analysis a {@link FaceAnalyzer} makes and of every photo it could not analyse, e.g. to keep a
 * node's statistics. Called on the analysing thread; must be quick and must not throw.
 */
public interface AnalysisObserver {
    /** Tells nothing to no one. */
    AnalysisObserver NONE = new AnalysisObserver() {
        @Override
        public void analysed(FaceAnalysis analysis) {}

        @Override
        public void failed(Throwable failure) {}
    };

    void analysed(FaceAnalysis analysis);

    /** A photo that could not be decoded or analysed, with why (bad data, memory refused, cancelled, ...). */
    void failed(Throwable failure);
}

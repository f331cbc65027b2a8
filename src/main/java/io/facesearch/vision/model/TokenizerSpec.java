package io.facesearch.vision.model;

/**
 * The byte-pair-encoding files a CLIP text model's tokenizer reads, relative to the models folder.
 *
 * @param vocab        JSON map from token to id
 * @param vocabSha256  expected SHA-256 of the vocabulary file
 * @param merges       BPE merge rules, one pair per line after a header line
 * @param mergesSha256 expected SHA-256 of the merges file
 */
public record TokenizerSpec(String vocab, String vocabSha256, String merges, String mergesSha256) {

    /**
     * The standard 49,408-token CLIP vocabulary that every OpenAI CLIP ViT model uses, as kept in
     * {@code clip-tokenizer/} of the models folder; models/README.md says where these copies come from.
     */
    public static final TokenizerSpec CLIP_BPE = new TokenizerSpec(
        "clip-tokenizer/vocab.json",
        "e089ad92ba36837a0d31433e555c8f45fe601ab5c221d4f607ded32d9f7a4349",
        "clip-tokenizer/merges.txt",
        "9fd691f7c8039210e0fced15865466c65820d09b63988b0174bfe25de299051a"
    );
}

package org.heroesinwaiting.core.curriculum;

/**
 * One thing wrong with a curriculum manifest.
 *
 * @param path where, as a JSONPath ({@code $.lessons[3].content[0].sha256})
 * @param message what
 */
public record ManifestProblem(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}

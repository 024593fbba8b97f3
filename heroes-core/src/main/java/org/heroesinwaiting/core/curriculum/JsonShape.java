package org.heroesinwaiting.core.curriculum;

/**
 * A linear scan of a JSON text's shape before any parser sees it: how deep its arrays and objects
 * nest and how long its numbers run. A parser that builds a tree recursively can be driven into a
 * stack overflow by 100,000 opening brackets, and a 5,000-digit number into quadratic work; this
 * finds both in one pass with no recursion and no allocation. It does not check syntax.
 */
final class JsonShape {

    private JsonShape() {
    }

    /**
     * @param json the text, as UTF-8 bytes
     * @param maxDepth the deepest nesting allowed
     * @param maxNumberLength the longest number allowed, in characters
     * @return what exceeds a limit, in the client's terms, or null when nothing does
     */
    static String firstExcess(byte[] json, int maxDepth, int maxNumberLength) {
        int depth = 0;
        int number = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : json) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
                continue;
            }
            if ((b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E') {
                if (++number > maxNumberLength) {
                    return "holds a number longer than " + maxNumberLength + " characters";
                }
                continue;
            }
            number = 0;
            if (b == '"') {
                inString = true;
            } else if (b == '[' || b == '{') {
                if (++depth > maxDepth) {
                    return "nests arrays and objects deeper than " + maxDepth + " levels";
                }
            } else if (b == ']' || b == '}') {
                depth--;
            }
        }
        return null;
    }
}

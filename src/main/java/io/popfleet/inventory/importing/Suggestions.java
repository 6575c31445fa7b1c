package io.popfleet.inventory.importing;

import java.util.Collection;
import java.util.Map;

/** "Did you mean …?" hints for misspelt keys and group names. */
final class Suggestions {

    private Suggestions() {
    }

    /** A hint such as {@code " (did you mean ssh_port?)"}, or an empty string when nothing is close. */
    static String didYouMean(String given, Collection<String> known) {
        return didYouMean(given, known, Map.of());
    }

    /**
     * @param synonyms words an operator may reach for that are too far from the real key for edit distance
     *        ({@code port} for {@code ssh_port})
     */
    static String didYouMean(String given, Collection<String> known, Map<String, String> synonyms) {
        String lower = given.toLowerCase(java.util.Locale.ROOT);
        String synonym = synonyms.get(lower);
        if (synonym != null && known.contains(synonym)) {
            return " (did you mean " + synonym + "?)";
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(lower, candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(1, Math.min(3, given.length() / 3));
        return best != null && bestDistance <= allowed ? " (did you mean " + best + "?)" : "";
    }

    /**
     * Edit distance counting a swap of two neighbours as one edit ("hots" for "host"), the commonest typo; the
     * strings are short keys, so the quadratic table is fine.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

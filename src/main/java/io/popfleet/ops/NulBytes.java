package io.popfleet.ops;

/**
 * PostgreSQL stores no U+0000 in text or jsonb: a NUL a node printed (a raw byte in its output, an escaped U+0000 in its
 * JSON) would roll back the whole write of a target. Such characters are stored as {@link #SHOWN_AS} instead, a
 * visible sign of where each one was, and the target keeps the fact that its output held one.
 */
public final class NulBytes {

    /** U+2400 SYMBOL FOR NULL. */
    public static final char SHOWN_AS = '\u2400';

    private NulBytes() {
    }

    public static boolean in(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    /** {@code text} with every NUL shown as {@link #SHOWN_AS}; null stays null. */
    public static String replace(String text) {
        return in(text) ? text.replace('\0', SHOWN_AS) : text;
    }
}

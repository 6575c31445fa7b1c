package io.popfleet.inventory.importing;

/** A value as written in the file, with where it was written, so a later check can point back at it. */
record Located(String value, SourcePosition position) {
}

package io.popfleet.inventory.importing;

import java.math.BigInteger;

/** A Solana account address: base58 (no 0, O, I, l) text of a 32-byte public key, 32 to 44 characters. */
final class SolanaAddress {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);

    private SolanaAddress() {
    }

    static boolean isValid(String text) {
        if (text.length() < 32 || text.length() > 44) {
            return false;
        }
        BigInteger value = BigInteger.ZERO;
        int leadingZeros = 0;
        boolean leading = true;
        for (char c : text.toCharArray()) {
            int digit = ALPHABET.indexOf(c);
            if (digit < 0) {
                return false;
            }
            if (leading && digit == 0) {
                leadingZeros++;
            } else {
                leading = false;
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        // Decoding catches a well-formed string of the wrong length (a typo that drops or adds a character).
        int valueBytes = value.signum() == 0 ? 0 : (value.bitLength() + 7) / 8;
        return leadingZeros + valueBytes == 32;
    }
}

package plaza.platform.websocket;

/**
 * Incremental UTF-8 validation (RFC 3629), byte by byte across frame boundaries: refuses overlong
 * forms, surrogates (CESU-8) and code points above U+10FFFF.
 */
final class Utf8Check {

    private int needed;
    private int lower = 0x80;
    private int upper = 0xBF;

    /** False when {@code b} cannot follow what came before. */
    boolean accept(int b) {
        b &= 0xFF;
        if (needed == 0) {
            if (b < 0x80) {
                return true;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                needed = 2;
                lower = b == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                upper = b == 0xED ? 0x9F : 0xBF; // ED A0..BF are surrogates
            } else if (b >= 0xF0 && b <= 0xF4) {
                needed = 3;
                lower = b == 0xF0 ? 0x90 : 0x80; // overlong
                upper = b == 0xF4 ? 0x8F : 0xBF; // above U+10FFFF
            } else {
                return false;
            }
            return true;
        }
        if (b < lower || b > upper) {
            return false;
        }
        lower = 0x80;
        upper = 0xBF;
        needed--;
        return true;
    }

    /** True when no character is cut off. */
    boolean complete() {
        return needed == 0;
    }

    void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}

package plaza.auth.tokens;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/**
 * The public point of a P-256 private key (d·G), so a PKCS#8 file holding only the private key is enough
 * configuration. Affine double-and-add; it runs once per key at load time, never per request.
 */
final class P256 {

    static final BigInteger P = new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    static final BigInteger N = new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
    private static final BigInteger A = P.subtract(BigInteger.valueOf(3));
    private static final BigInteger GX = new BigInteger("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", 16);
    private static final BigInteger GY = new BigInteger("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", 16);
    private static final BigInteger TWO = BigInteger.TWO;
    private static final BigInteger THREE = BigInteger.valueOf(3);

    private P256() {
    }

    /** True when {@code params} describe P-256 (secp256r1). */
    static boolean is(ECParameterSpec params) {
        return params.getCurve().getField() instanceof ECFieldFp fp && fp.getP().equals(P) && params.getOrder().equals(N)
               && params.getGenerator().getAffineX().equals(GX) && params.getGenerator().getAffineY().equals(GY);
    }

    static ECPoint publicPoint(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(N) >= 0) {
            throw new IllegalArgumentException("private scalar out of range");
        }
        BigInteger[] result = null;
        BigInteger[] addend = {GX, GY};
        for (int i = 0; i < d.bitLength(); i++) {
            if (d.testBit(i)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        return new ECPoint(result[0], result[1]);
    }

    private static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
        if (p == null) {
            return q;
        }
        if (q == null) {
            return p;
        }
        BigInteger lambda;
        if (p[0].equals(q[0])) {
            if (!p[1].equals(q[1]) || p[1].signum() == 0) {
                return null; // P + (-P) = point at infinity
            }
            lambda = THREE.multiply(p[0].pow(2)).add(A).multiply(TWO.multiply(p[1]).modInverse(P)).mod(P);
        } else {
            lambda = q[1].subtract(p[1]).multiply(q[0].subtract(p[0]).modInverse(P)).mod(P);
        }
        BigInteger x = lambda.pow(2).subtract(p[0]).subtract(q[0]).mod(P);
        BigInteger y = lambda.multiply(p[0].subtract(x)).subtract(p[1]).mod(P);
        return new BigInteger[] {x, y};
    }
}

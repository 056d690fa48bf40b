package dev.jumbo.tensor;

import java.nio.ByteBuffer;

/**
 * A seeded, splittable random generator (xoshiro256**, seeded through SplitMix64). Its whole state
 * is four longs, which {@link #state()} / {@link #fromState(long[])} (or the byte forms) save and
 * restore exactly, so a checkpoint resumes the same random stream. Not thread-safe: give each
 * thread its own {@link #split()}.
 *
 * <pre>{@code
 * Rng rng = new Rng(42);
 * Tensor w = Tensor.randn(rng, 3, 2);
 * long[] saved = rng.state();          // checkpoint
 * Rng resumed = Rng.fromState(saved);  // continues exactly where rng is now
 * }</pre>
 */
public final class Rng {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /** A generator whose stream is fully determined by {@code seed}. */
    public Rng(long seed) {
        long z = seed;
        s0 = mix(z += 0x9E3779B97F4A7C15L);
        s1 = mix(z += 0x9E3779B97F4A7C15L);
        s2 = mix(z += 0x9E3779B97F4A7C15L);
        s3 = mix(z + 0x9E3779B97F4A7C15L);
    }

    private Rng(long[] state) {
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 24 random bits (every float32 step). */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), unbiased (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound " + bound + ", expected > 0");
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A standard normal sample (Box-Muller; uses two uniforms, keeps no spare). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Fills {@code out} with standard normals, two per Box-Muller pair. */
    void fillGaussian(float[] out) {
        int n = out.length;
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - nextDouble();
            double u2 = nextDouble();
            double rad = Math.sqrt(-2 * Math.log(u1));
            double ang = 2 * Math.PI * u2;
            out[i] = (float) (rad * Math.cos(ang));
            if (i + 1 < n) {
                out[i + 1] = (float) (rad * Math.sin(ang));
            }
        }
    }

    /**
     * A new generator with a statistically independent stream, seeded from this one (which
     * advances), for a worker thread or a sub-component.
     */
    public Rng split() {
        return new Rng(mix(nextLong()) ^ nextLong());
    }

    /** The full state, four longs; {@link #fromState(long[])} restores it. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /** A generator continuing exactly from a saved {@link #state()}. */
    public static Rng fromState(long[] state) {
        if (state == null || state.length != 4) {
            throw new IllegalArgumentException("Rng.fromState: " + (state == null ? "null" : state.length + " longs")
                    + ", expected the 4 longs of Rng.state()");
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("Rng.fromState: all-zero state, expected a state saved by Rng.state()");
        }
        return new Rng(state.clone());
    }

    /** The state as 32 big-endian bytes. */
    public byte[] stateBytes() {
        ByteBuffer b = ByteBuffer.allocate(32);
        for (long v : state()) {
            b.putLong(v);
        }
        return b.array();
    }

    /** A generator continuing from {@link #stateBytes()}. */
    public static Rng fromStateBytes(byte[] bytes) {
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException("Rng.fromStateBytes: " + (bytes == null ? "null" : bytes.length + " bytes")
                    + ", expected the 32 bytes of Rng.stateBytes()");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return fromState(new long[] {b.getLong(), b.getLong(), b.getLong(), b.getLong()});
    }
}

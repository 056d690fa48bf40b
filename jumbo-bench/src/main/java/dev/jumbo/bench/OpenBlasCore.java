package dev.jumbo.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import jdk.incubator.vector.FloatVector;

/**
 * Gives OpenBLAS its best kernel before the library loads. OpenBLAS picks a kernel per CPU model,
 * or takes the one named in {@code OPENBLAS_CORETYPE}. On a 2-core AMD Zen 5 machine here the
 * environment carried {@code OPENBLAS_CORETYPE=Haswell} (an image-wide setting), and OpenBLAS's AVX2
 * Haswell kernel ran at about half the speed of its AVX-512 one (115-122 against 228-237 GFLOP/s on
 * one thread). A benchmark against a peer slowed that way would flatter Jumbo, so by default, when
 * the JVM sees 512-bit vectors, this sets {@code OPENBLAS_CORETYPE=SkylakeX} (OpenBLAS's generic
 * AVX-512 kernel) in the process environment, where OpenBLAS reads it when it initializes.
 *
 * <pre>{@code
 * String core = OpenBlasCore.choose("best"); // before the first use of org.bytedeco.openblas
 * }</pre>
 */
final class OpenBlasCore {
    static final String VARIABLE = "OPENBLAS_CORETYPE";
    static final String AVX512_CORE = "SkylakeX";

    private OpenBlasCore() {}

    /**
     * Chooses the OpenBLAS kernel: {@code best} (AVX-512 where the JVM has 512-bit vectors, else
     * OpenBLAS's own choice), {@code env} (whatever the environment says, or OpenBLAS's detection),
     * or a core name such as {@code Haswell}. Returns a line saying which core OpenBLAS will use.
     */
    static String choose(String mode) {
        String inEnv = System.getenv(VARIABLE);
        boolean envSet = inEnv != null && !inEnv.isBlank();
        String left = envSet ? inEnv + " (from " + VARIABLE + ")" : "detected by OpenBLAS";
        String envNote = envSet ? "; " + VARIABLE + "=" + inEnv + " in the environment" : "";
        if (mode.equals("env")) {
            return left;
        }
        String core = mode;
        if (mode.equals("best")) {
            if (FloatVector.SPECIES_PREFERRED.length() < 16) {
                return left + "; no AVX-512 here";
            }
            core = AVX512_CORE;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT));
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) setenv.invokeExact(arena.allocateFrom(VARIABLE), arena.allocateFrom(core), 1);
                if (rc != 0) {
                    return "left to OpenBLAS (setenv " + VARIABLE + " failed" + envNote + ")";
                }
            }
            return core + (mode.equals("best") ? " (AVX-512" + envNote + " overridden; --openblas-core env keeps it)" : "");
        } catch (Throwable e) {
            return "left to OpenBLAS (could not set " + VARIABLE + ": " + e.getMessage() + envNote + ")";
        }
    }
}

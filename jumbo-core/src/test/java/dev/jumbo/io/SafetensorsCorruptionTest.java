package dev.jumbo.io;

import static dev.jumbo.io.SafetensorsTest.file;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every way a header can be wrong gets its own message naming the file (and the tensor). */
class SafetensorsCorruptionTest {

    @TempDir
    Path dir;

    private void assertRejected(byte[] bytes, String... messageParts) throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, bytes);
        for (int mode = 0; mode < 2; mode++) {
            boolean mapped = mode == 1;
            var thrown = assertThatThrownBy(() -> {
                if (mapped) {
                    Safetensors.map(p, Arena.ofAuto());
                } else {
                    Safetensors.read(p);
                }
            }).isInstanceOf(CorruptFileException.class).hasMessageStartingWith(p.toString() + ": ");
            for (String part : messageParts) {
                thrown.hasMessageContaining(part);
            }
        }
    }

    private static byte[] lengthOnly(long n, int extra) {
        return ByteBuffer.allocate(8 + extra).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    @Test
    void fileShorterThanTheLength() throws IOException {
        assertRejected(new byte[5], "5 bytes, expected at least 8");
        assertRejected(new byte[0], "0 bytes, expected at least 8");
    }

    @Test
    void headerLengthBeyondTheFileOrAbsurd() throws IOException {
        assertRejected(lengthOnly(1000, 10), "header length 1000 bytes, but only 10 bytes follow");
        assertRejected(lengthOnly(200_000_000L, 10), "header length 200000000 bytes, expected at most 100000000");
        assertRejected(lengthOnly(-1L, 10), "header length 18446744073709551615 bytes");
    }

    @Test
    void headerThatIsNotAJsonObject() throws IOException {
        assertRejected(file("{\"a\": ", new byte[0]), "header is not valid JSON");
        assertRejected(file("[1, 2]", new byte[0]), "header starts with \"[1, 2]\", expected a JSON object");
        assertRejected(file("", new byte[0]), "header starts with \"\"");
        assertRejected(file("{} {}", new byte[0]), "header is not valid JSON");
        assertRejected(file("{}\0\0\0\0\0\0", new byte[0]), "header is not valid JSON");
        byte[] badUtf8 = file("{\"\u00e9\":1}", new byte[0]);
        badUtf8[10] = (byte) 0xff;
        assertRejected(badUtf8, "header is not valid UTF-8");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}", new byte[8]), "Duplicate field 'a'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not an object      | {\"w\":5}                                                    | tensor \"w\": is NUMBER, expected an object",
        "missing dtype      | {\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}                  | tensor \"w\": dtype is missing, expected a string",
        "numeric dtype      | {\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}      | tensor \"w\": dtype is number 4",
        "unknown dtype      | {\"w\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}  | tensor \"w\": unknown dtype \"F33\": expected one of [F32",
        "unsupported dtype  | {\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}} | tensor \"w\": dtype \"F8_E4M3\" is not supported",
        "missing shape      | {\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}               | tensor \"w\": shape is missing, expected an array of non-negative integers",
        "string shape       | {\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}  | tensor \"w\": shape is string \"1\"",
        "negative dim       | {\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}  | tensor \"w\": shape is [-1], expected an array of non-negative integers",
        "fractional dim     | {\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}} | tensor \"w\": shape is [1.5]",
        "huge dim           | {\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,4]}} | has a dimension over 2147483647",
        "too many elements  | {\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}} | has more than 2147483647 elements",
        "missing offsets    | {\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}                        | tensor \"w\": data_offsets is missing, expected an array of 2 non-negative integers",
        "three offsets      | {\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}} | tensor \"w\": data_offsets is array [0,4,8]",
        "reversed offsets   | {\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}   | tensor \"w\": data_offsets [4, 0] end before they begin",
        "size mismatch      | {\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,4]}} | tensor \"w\": shape [2, 3] of F32 needs 24 bytes, data_offsets [0, 4] span 4",
        "metadata not obj   | {\"__metadata__\":[1],\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} | \"__metadata__\" is ARRAY, expected an object of strings",
        "metadata number    | {\"__metadata__\":{\"k\":1},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} | \"__metadata__\".\"k\" is NUMBER 1, expected a string",
    })
    void badTensorEntries(String what, String header, String message) throws IOException {
        assertRejected(file(header.strip(), new byte[4]), message.strip());
    }

    @Test
    void offsetsThatOverlapLeaveGapsOrRunPastTheEnd() throws IOException {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        assertRejected(file("{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "tensor \"b\": data_offsets [4, 12] overlap tensor \"a\" [0, 8]");
        assertRejected(file("{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", new byte[16]),
                "tensor \"b\": data_offsets [12, 16] leave a gap of 4 bytes after tensor \"a\" ending at 8");
        assertRejected(file("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
                "leave a gap of 4 bytes after the start of the data");
        assertRejected(file("{" + a + "}", new byte[6]),
                "truncated: tensor data ends at byte ", "(tensor \"a\"), but the file has ");
        assertRejected(file("{" + a + "}", new byte[11]), "3 bytes after the last tensor's data");
    }
}

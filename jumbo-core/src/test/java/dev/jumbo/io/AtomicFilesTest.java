package dev.jumbo.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesFiles() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "first");
        assertThat(Files.readString(f)).isEqualTo("first");
        AtomicFiles.writeBytes(f, new byte[] {1, 2, 3});
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
        AtomicFiles.write(f, out -> {
            out.write("stream ".getBytes());
            out.write('x');
            out.close(); // closing early is allowed
        });
        assertThat(Files.readString(f)).isEqualTo("stream x");
        AtomicFiles.writeChannel(f, ch -> ch.write(ByteBuffer.wrap("channel".getBytes())));
        assertThat(Files.readString(f)).isEqualTo("channel");
        assertThat(listing()).containsExactly("a.txt");
    }

    @Test
    void anIoFailureMidwayLeavesTheOldFileAndNoTempFile() throws IOException {
        Path f = dir.resolve("model.bin");
        AtomicFiles.writeString(f, "old content");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write(new byte[200_000]); // past the stream's buffer: bytes really reach the temp file
            throw new IOException("disk full (simulated)");
        })).isInstanceOf(IOException.class).hasMessage("disk full (simulated)");
        assertThat(Files.readString(f)).isEqualTo("old content");
        assertThat(listing()).containsExactly("model.bin");
    }

    @Test
    void aRuntimeFailureInAChannelWriterLeavesTheOldFileAndNoTempFile() throws IOException {
        Path f = dir.resolve("model.bin");
        AtomicFiles.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFiles.writeChannel(f, ch -> {
            ch.write(ByteBuffer.wrap(new byte[1000]));
            throw new IllegalStateException("bug in the writer");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(f)).isEqualTo("old");
        assertThat(listing()).containsExactly("model.bin");
    }

    @Test
    void aFailedFirstWriteLeavesNothing() throws IOException {
        Path f = dir.resolve("new.bin");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            throw new IOException("boom");
        })).hasMessage("boom");
        assertThat(listing()).isEmpty();
    }

    @Test
    void aMissingParentOrADirectoryTargetIsNamed() {
        assertThatThrownBy(() -> AtomicFiles.writeString(dir.resolve("nope/a.txt"), "x"))
                .isInstanceOf(IOException.class).hasMessageContaining("nope").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> AtomicFiles.writeString(dir, "x"))
                .isInstanceOf(IOException.class).hasMessageContaining("is a directory");
    }
}

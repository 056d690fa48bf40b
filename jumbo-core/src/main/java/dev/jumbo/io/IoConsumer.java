package dev.jumbo.io;

import java.io.IOException;

/** A callback that may throw {@link IOException}: what {@link AtomicFiles} hands the stream or channel to. */
@FunctionalInterface
public interface IoConsumer<T> {
    void accept(T value) throws IOException;
}

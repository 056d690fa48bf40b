/**
 * Files that hold tensors, written so nothing is lost: {@link dev.jumbo.io.AtomicFiles} (temp file,
 * fsync, atomic rename), {@link dev.jumbo.io.Safetensors} (Hugging Face's format, read, mapped and
 * written byte for byte as the reference writer does) and {@link dev.jumbo.io.ModelDirectory}
 * ({@code spec.json} + {@code model.safetensors}, replaced as a whole).
 */
package dev.jumbo.io;

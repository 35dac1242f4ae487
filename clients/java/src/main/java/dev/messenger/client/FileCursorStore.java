package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.Cursor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A cursor kept in one file (protobuf binary), replaced atomically on every save. */
public final class FileCursorStore implements CursorStore {
  private final Path file;

  public FileCursorStore(Path file) {
    this.file = requireNonNull(file, "file");
  }

  @Override
  public synchronized Cursor load() {
    if (!Files.exists(file)) {
      return Cursor.getDefaultInstance();
    }
    try {
      return Cursor.parseFrom(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cursor file " + file, e);
    }
  }

  @Override
  public synchronized void save(Cursor cursor) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.write(tmp, cursor.toByteArray());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cursor file " + file, e);
    }
  }
}

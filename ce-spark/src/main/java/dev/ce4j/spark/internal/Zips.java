package dev.ce4j.spark.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Zips a flat folder (how a BM25 index travels to the executors) and unzips it. */
public final class Zips {
  private Zips() {}

  /**
   * Zips the files of a folder (not its subfolders), in name order.
   *
   * @param folder the folder, never null
   * @param zip the zip file to write, never null
   * @throws IOException if reading or writing fails
   */
  public static void zip(Path folder, Path zip) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (Path f : files) {
        ZipEntry e = new ZipEntry(f.getFileName().toString());
        e.setTime(0);
        z.putNextEntry(e);
        Files.copy(f, z);
        z.closeEntry();
      }
    }
  }

  /**
   * Unzips a flat zip into a folder, created if missing.
   *
   * @param zip the zip, never null
   * @param folder the folder, never null
   * @throws IOException if reading or writing fails, or an entry is not a plain file name
   */
  public static void unzip(Path zip, Path folder) throws IOException {
    Files.createDirectories(folder);
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        Path target = folder.resolve(e.getName()).normalize();
        if (!target.getParent().equals(folder.normalize()) || e.isDirectory()) {
          throw new IOException("unexpected entry " + e.getName() + " in " + zip);
        }
        Files.copy(z, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}

package dev.augur.core;

import java.util.Locale;
import java.util.Optional;

/** An image format a {@link ChartRenderer} can produce. */
public enum ImageFormat {
  /** Portable Network Graphics, {@code image/png}. */
  PNG("image/png", "png"),
  /** Scalable Vector Graphics, {@code image/svg+xml}. */
  SVG("image/svg+xml", "svg"),
  /** JPEG, {@code image/jpeg}. */
  JPEG("image/jpeg", "jpeg");

  private final String mediaType;
  private final String extension;

  ImageFormat(String mediaType, String extension) {
    this.mediaType = mediaType;
    this.extension = extension;
  }

  /** The media type for a {@code Content-Type} header. */
  public String mediaType() {
    return mediaType;
  }

  /** The usual file extension, without the dot. */
  public String extension() {
    return extension;
  }

  /** Parses {@code png}, {@code svg}, {@code jpeg} or {@code jpg} (any case), or a media type. */
  public static Optional<ImageFormat> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (ImageFormat f : values()) {
      if (t.equals(f.extension) || t.equals(f.mediaType)) {
        return Optional.of(f);
      }
    }
    return t.equals("jpg") ? Optional.of(JPEG) : Optional.empty();
  }
}

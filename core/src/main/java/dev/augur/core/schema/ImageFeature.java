package dev.augur.core.schema;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An {@code image}: a base64 PNG/JPEG (optionally a {@code data:} URL) or a nested numeric array
 * {@code [H][W]} (channels 1) or {@code [H][W][C]}, encoded as float32 {@code [C, H, W]}. A decoded
 * picture is converted to the channel count (grey = 0.299 R + 0.587 G + 0.114 B) and resized to W×H
 * (bilinear) when it differs. Then {@code x * scale}, then {@code (x - mean[c]) / std[c]}.
 */
public record ImageFeature(
    String name,
    boolean nullable,
    int width,
    int height,
    int channels,
    double scale,
    double[] mean,
    double[] std,
    int maxBytes)
    implements Feature {

  /** The default bound on an encoded picture's size in bytes (base64 decoded). */
  public static final int DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

  private static final int MAX_SIDE = 4096;

  @Override
  public FeatureType type() {
    return FeatureType.IMAGE;
  }

  /** The number of floats per picture: C × H × W. */
  public int size() {
    return channels * height * width;
  }

  @Override
  public Object coerce(Object raw, boolean fromText, Violations v) {
    double[] pixels;
    if (raw instanceof String s) {
      pixels = decodePicture(s, v);
    } else if (raw instanceof List<?> rows) {
      pixels = fromNestedArray(rows, v);
    } else {
      v.add(
          name,
          "must be a base64 PNG/JPEG string or a nested numeric array, not "
              + Values.jsonType(raw));
      return null;
    }
    if (pixels == null) {
      return null;
    }
    float[] out = new float[pixels.length];
    int plane = height * width;
    for (int c = 0; c < channels; c++) {
      double m = mean == null ? 0 : mean[c];
      double sd = std == null ? 1 : std[c];
      for (int i = 0; i < plane; i++) {
        double x = pixels[c * plane + i] * scale;
        out[c * plane + i] = (float) ((x - m) / sd);
      }
    }
    return out;
  }

  /** Reads a nested array into raw CHW pixel values (before scale and normalisation). */
  private double[] fromNestedArray(List<?> rows, Violations v) {
    String expected =
        channels == 1
            ? "[" + height + "][" + width + "] (or [" + height + "][" + width + "][1])"
            : "[" + height + "][" + width + "][" + channels + "]";
    if (rows.size() != height) {
      v.add(name, "must be a nested array " + expected + "; got " + rows.size() + " rows");
      return null;
    }
    double[] px = new double[size()];
    int plane = height * width;
    for (int y = 0; y < height; y++) {
      if (!(rows.get(y) instanceof List<?> row) || row.size() != width) {
        v.add(
            name,
            "must be a nested array " + expected + "; row " + y + " is not an array of " + width);
        return null;
      }
      for (int x = 0; x < width; x++) {
        Object cell = row.get(x);
        if (cell instanceof List<?> chans) {
          if (chans.size() != channels) {
            v.add(
                name,
                "must be a nested array "
                    + expected
                    + "; pixel ["
                    + y
                    + "]["
                    + x
                    + "] has "
                    + chans.size()
                    + " channels");
            return null;
          }
          for (int c = 0; c < channels; c++) {
            Double d = number(chans.get(c));
            if (d == null) {
              v.add(name, "must hold only finite numbers; pixel [" + y + "][" + x + "] does not");
              return null;
            }
            px[c * plane + y * width + x] = d;
          }
        } else {
          Double d = number(cell);
          if (d == null || channels != 1) {
            v.add(
                name,
                d == null
                    ? "must hold only finite numbers; pixel [" + y + "][" + x + "] does not"
                    : "must be a nested array " + expected);
            return null;
          }
          px[y * width + x] = d;
        }
      }
    }
    return px;
  }

  private static Double number(Object o) {
    if (o instanceof Number n && !(o instanceof Boolean)) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    return null;
  }

  /** Decodes a base64 PNG/JPEG to raw CHW pixel values in 0..255, converted and resized. */
  private double[] decodePicture(String s, Violations v) {
    String b64 = s.trim();
    if (b64.startsWith("data:")) {
      int comma = b64.indexOf(',');
      b64 = comma < 0 ? "" : b64.substring(comma + 1);
    }
    if ((long) b64.length() * 3 / 4 > maxBytes) {
      v.add(name, "is too large: at most " + maxBytes + " bytes of image data");
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      v.add(name, "is not valid base64");
      return null;
    }
    BufferedImage img;
    try {
      img = decodeBounded(bytes, name, v);
    } catch (IOException | RuntimeException e) {
      v.add(name, "cannot be decoded as a PNG or JPEG image");
      return null;
    }
    if (img == null) {
      return null;
    }
    double[] src = toChannels(img);
    return resize(src, img.getWidth(), img.getHeight());
  }

  /**
   * Decodes a picture after checking the size its header declares, so a small file declaring a huge
   * picture (a decompression bomb) is refused before any pixel is allocated. Null (with the
   * violation added) when it is refused.
   */
  static BufferedImage decodeBounded(byte[] bytes, String name, Violations v) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        v.add(name, "cannot be decoded as a PNG or JPEG image");
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) {
          v.add(
              name,
              "is too large: " + w + "x" + h + " pixels; at most " + MAX_SIDE + "x" + MAX_SIDE);
          return null;
        }
        BufferedImage img = reader.read(0);
        if (img == null) {
          v.add(name, "cannot be decoded as a PNG or JPEG image");
        }
        return img;
      } finally {
        reader.dispose();
      }
    }
  }

  /**
   * The picture's pixels as {@code channels} planes, reading raw samples (no colour management).
   */
  private double[] toChannels(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    Raster r = img.getRaster();
    int bands = r.getNumBands();
    boolean direct = !(img.getColorModel() instanceof IndexColorModel);
    boolean grey = direct && bands <= 2;
    int depthMax = (1 << img.getColorModel().getComponentSize(0)) - 1;
    double norm = direct ? 255.0 / depthMax : 1;
    double[] out = new double[channels * h * w];
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double rr;
        double gg;
        double bb;
        if (grey) {
          rr = gg = bb = r.getSampleDouble(x, y, 0) * norm;
        } else if (direct) {
          rr = r.getSampleDouble(x, y, 0) * norm;
          gg = r.getSampleDouble(x, y, 1) * norm;
          bb = r.getSampleDouble(x, y, 2) * norm;
        } else {
          int argb = img.getRGB(x, y);
          rr = (argb >> 16) & 0xff;
          gg = (argb >> 8) & 0xff;
          bb = argb & 0xff;
        }
        int i = y * w + x;
        if (channels == 1) {
          out[i] = grey ? rr : 0.299 * rr + 0.587 * gg + 0.114 * bb;
        } else {
          out[i] = rr;
          out[plane + i] = gg;
          out[2 * plane + i] = bb;
        }
      }
    }
    return out;
  }

  /** Bilinear resize of CHW planes to this feature's size (half-pixel centres, edge clamped). */
  private double[] resize(double[] src, int sw, int sh) {
    if (sw == width && sh == height) {
      return src;
    }
    double[] out = new double[size()];
    double fx = (double) sw / width;
    double fy = (double) sh / height;
    for (int c = 0; c < channels; c++) {
      int so = c * sw * sh;
      int oo = c * width * height;
      for (int y = 0; y < height; y++) {
        double sy = Math.max(0, (y + 0.5) * fy - 0.5);
        int y0 = Math.min((int) sy, sh - 1);
        int y1 = Math.min(y0 + 1, sh - 1);
        double wy = sy - y0;
        for (int x = 0; x < width; x++) {
          double sx = Math.max(0, (x + 0.5) * fx - 0.5);
          int x0 = Math.min((int) sx, sw - 1);
          int x1 = Math.min(x0 + 1, sw - 1);
          double wx = sx - x0;
          double top = src[so + y0 * sw + x0] * (1 - wx) + src[so + y0 * sw + x1] * wx;
          double bottom = src[so + y1 * sw + x0] * (1 - wx) + src[so + y1 * sw + x1] * wx;
          out[oo + y * width + x] = top * (1 - wy) + bottom * wy;
        }
      }
    }
    return out;
  }

  @Override
  public Map<String, Object> jsonSchema() {
    Map<String, Object> s = new LinkedHashMap<>();
    List<Object> oneOf = new ArrayList<>();
    oneOf.add(
        Map.of("type", "string", "contentEncoding", "base64", "contentMediaType", "image/png"));
    oneOf.add(
        Map.of(
            "type",
            "array",
            "minItems",
            height,
            "maxItems",
            height,
            "items",
            Map.of("type", "array", "minItems", width, "maxItems", width)));
    s.put("oneOf", oneOf);
    s.put("description", "a " + width + "x" + height + " picture with " + channels + " channel(s)");
    return s;
  }

  @Override
  public Object exampleValue() {
    List<Object> rows = new ArrayList<>();
    for (int y = 0; y < height; y++) {
      List<Object> row = new ArrayList<>();
      for (int x = 0; x < width; x++) {
        row.add(channels == 1 ? (Object) 0 : java.util.Collections.nCopies(channels, 0));
      }
      rows.add(row);
    }
    return rows;
  }
}

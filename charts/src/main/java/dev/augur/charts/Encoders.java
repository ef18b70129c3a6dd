package dev.augur.charts;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dev.augur.core.ImageFormat;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Paints a chart onto a bitmap (PNG, JPEG) or vector (SVG) graphics context and encodes it. Each
 * call uses its own image, writer and streams, so calls may run in parallel.
 */
final class Encoders {
  private static final float JPEG_QUALITY = 0.92f;

  /** ImageIO's PNG "quality": lossless either way; 0.75 deflates ~30% faster, ~10% larger. */
  private static final float PNG_QUALITY = 0.75f;

  private Encoders() {}

  static byte[] encode(Painter painter, int width, int height, ImageFormat format)
      throws IOException {
    return switch (format) {
      case PNG -> bitmap(painter, width, height, "png", PNG_QUALITY);
      case JPEG -> bitmap(painter, width, height, "jpeg", JPEG_QUALITY);
      case SVG -> svg(painter, width, height);
    };
  }

  /** The chart as a bitmap of exactly width × height pixels. */
  static BufferedImage image(Painter painter, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      Drawing.begin(g, width, height);
      painter.paint(g, width, height);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static byte[] bitmap(Painter painter, int width, int height, String format, float quality)
      throws IOException {
    BufferedImage image = image(painter, width, height);
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IOException("no ImageIO writer for " + format);
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(width * height / 4);
    // an in-memory stream: ImageIO's default may cache through temporary files
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static byte[] svg(Painter painter, int width, int height) throws IOException {
    VectorGraphics2D g = new VectorGraphics2D();
    Drawing.begin(g, width, height);
    painter.paint(g, width, height);
    Document document =
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    document.writeTo(bytes);
    return pixelSized(bytes.toString(StandardCharsets.UTF_8), width, height)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** VectorGraphics2D sizes the document in millimetres; a chart is sized in pixels. */
  static String pixelSized(String svg, int width, int height) {
    int start = svg.indexOf("<svg");
    int end = start < 0 ? -1 : svg.indexOf('>', start);
    if (end < 0) {
      return svg;
    }
    String tag = svg.substring(start, end);
    String fixed =
        tag.replaceFirst("\\swidth=\"[^\"]*\"", " width=\"" + width + "\"")
            .replaceFirst("\\sheight=\"[^\"]*\"", " height=\"" + height + "\"");
    return svg.substring(0, start) + fixed + svg.substring(end);
  }
}

package dev.augur.core.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an ONNX file says about itself, read from its protobuf without the runtime: the opsets it
 * imports, its graph's input and output names and the operators it uses. Loading errors use it to
 * say what to do (an opset newer than the runtime's, a ZipMap output, an output that does not
 * exist). Weights are skipped, never read into memory.
 *
 * @param irVersion the ONNX IR version
 * @param producer who wrote the file ({@code pytorch 1.13.1}, {@code skl2onnx 1.16.0}), or empty
 * @param opsets imported opset version by domain ({@code ai.onnx} for the default domain)
 * @param inputs the graph's input names, in order (initializers excluded)
 * @param outputs the graph's output names, in order
 * @param operators the operator types its nodes use
 */
record OnnxGraph(
    long irVersion,
    String producer,
    Map<String, Long> opsets,
    List<String> inputs,
    List<String> outputs,
    Set<String> operators) {

  /**
   * Reads {@code file}.
   *
   * @throws IOException when it cannot be read or is not an ONNX model
   */
  static OnnxGraph read(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      Builder b = new Builder();
      b.model(new Wire(in, Files.size(file)));
      if (b.opsets.isEmpty() && b.outputs.isEmpty()) {
        throw new IOException("no ONNX graph found");
      }
      List<String> in2 = new ArrayList<>(b.inputs);
      in2.removeAll(b.initializers);
      return new OnnxGraph(
          b.irVersion,
          (b.producer + " " + b.producerVersion).trim(),
          b.opsets,
          in2,
          b.outputs,
          b.operators);
    }
  }

  /** The imported opsets as {@code ai.onnx 17, ai.onnx.ml 3}. */
  String opsetText() {
    StringBuilder sb = new StringBuilder();
    opsets.forEach(
        (d, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(d).append(' ').append(v));
    return sb.toString();
  }

  private static final class Builder {
    long irVersion;
    String producer = "";
    String producerVersion = "";
    final Map<String, Long> opsets = new LinkedHashMap<>();
    final List<String> inputs = new ArrayList<>();
    final List<String> outputs = new ArrayList<>();
    final Set<String> initializers = new HashSet<>();
    final Set<String> operators = new HashSet<>();

    /** ModelProto: 1 ir_version, 2 producer_name, 3 producer_version, 7 graph, 8 opset_import. */
    void model(Wire w) throws IOException {
      while (w.more()) {
        int tag = w.tag();
        switch (tag) {
          case (1 << 3) -> irVersion = w.varint();
          case (2 << 3) | 2 -> producer = w.string();
          case (3 << 3) | 2 -> producerVersion = w.string();
          case (7 << 3) | 2 -> graph(w.sub());
          case (8 << 3) | 2 -> opset(w.sub());
          default -> w.skip(tag);
        }
      }
    }

    /** OperatorSetIdProto: 1 domain, 2 version. */
    void opset(Wire w) throws IOException {
      String domain = "";
      long version = 0;
      while (w.more()) {
        int tag = w.tag();
        switch (tag) {
          case (1 << 3) | 2 -> domain = w.string();
          case (2 << 3) -> version = w.varint();
          default -> w.skip(tag);
        }
      }
      opsets.put(domain.isEmpty() ? "ai.onnx" : domain, version);
    }

    /** GraphProto: 1 node, 5 initializer, 11 input, 12 output. */
    void graph(Wire w) throws IOException {
      while (w.more()) {
        int tag = w.tag();
        switch (tag) {
          case (1 << 3) | 2 -> node(w.sub());
          case (5 << 3) | 2 -> initializers.add(field(w.sub(), 8));
          case (11 << 3) | 2 -> inputs.add(field(w.sub(), 1));
          case (12 << 3) | 2 -> outputs.add(field(w.sub(), 1));
          default -> w.skip(tag);
        }
      }
    }

    /** NodeProto: 4 op_type. */
    void node(Wire w) throws IOException {
      String op = field(w, 4);
      if (!op.isEmpty()) {
        operators.add(op);
      }
    }

    /** The string field {@code number} of a message (its name), skipping everything else. */
    static String field(Wire w, int number) throws IOException {
      String value = "";
      while (w.more()) {
        int tag = w.tag();
        if (tag == ((number << 3) | 2)) {
          value = w.string();
        } else {
          w.skip(tag);
        }
      }
      return value;
    }
  }

  /** A bounded view of a protobuf stream: reads tags, varints, strings; skips the rest. */
  private static final class Wire {
    private static final int MAX_STRING = 1 << 20;
    private final InputStream in;
    private final long[] pos;
    private final long end;

    Wire(InputStream in, long length) {
      this(in, new long[1], length);
    }

    private Wire(InputStream in, long[] pos, long end) {
      this.in = in;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos[0] < end;
    }

    int tag() throws IOException {
      long t = varint();
      if (t <= 0 || t > Integer.MAX_VALUE) {
        throw new IOException("not an ONNX model (bad protobuf tag)");
      }
      return (int) t;
    }

    long varint() throws IOException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = read();
        v |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new IOException("not an ONNX model (bad varint)");
    }

    Wire sub() throws IOException {
      long n = length();
      return new Wire(in, pos, pos[0] + n);
    }

    String string() throws IOException {
      long n = length();
      if (n > MAX_STRING) {
        skipBytes(n);
        return "";
      }
      byte[] b = new byte[(int) n];
      int off = 0;
      while (off < b.length) {
        int r = in.read(b, off, b.length - off);
        if (r < 0) {
          throw new EOFException("truncated ONNX file");
        }
        off += r;
      }
      pos[0] += n;
      return new String(b, StandardCharsets.UTF_8);
    }

    void skip(int tag) throws IOException {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> skipBytes(8);
        case 2 -> skipBytes(length());
        case 5 -> skipBytes(4);
        default -> throw new IOException("not an ONNX model (wire type " + (tag & 7) + ")");
      }
    }

    private long length() throws IOException {
      long n = varint();
      if (n < 0 || pos[0] + n > end) {
        throw new IOException("not an ONNX model (a field runs past its end)");
      }
      return n;
    }

    private void skipBytes(long n) throws IOException {
      in.skipNBytes(n);
      pos[0] += n;
    }

    private int read() throws IOException {
      if (pos[0] >= end) {
        throw new EOFException("truncated ONNX file");
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException("truncated ONNX file");
      }
      pos[0]++;
      return b;
    }
  }
}

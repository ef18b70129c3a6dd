package dev.augur.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.OverloadedException;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading requests and writing answers; the only code that touches bodies and parameters. */
final class Http {
  static final String JSON = "application/json";
  static final String PROBLEM_JSON = "application/problem+json";

  /** The longest window or bucket: a hundred years. */
  static final Duration MAX_DURATION = Duration.ofDays(36_525);

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d|w)");

  private Http() {}

  /**
   * Reads a JSON body of at most {@code limit} bytes.
   *
   * @throws HttpProblem 413 over the limit, 415 for a non-JSON content type, 400 for malformed JSON
   */
  static JsonNode readJson(HttpServerExchange ex, long limit) {
    String type = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (type != null && !isJson(type)) {
      throw new HttpProblem(
          415, "Unsupported media type", "send the body as application/json, not " + type);
    }
    byte[] body = readBody(ex, limit);
    if (body.length == 0) {
      throw HttpProblem.malformed("the request body is empty; send a JSON object");
    }
    try {
      JsonNode node = Json.mapper().readTree(body);
      if (node == null || node.isMissingNode()) {
        throw HttpProblem.malformed("the request body is empty; send a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw HttpProblem.malformed(
          "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw HttpProblem.malformed("the body could not be read");
    }
  }

  static boolean isJson(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
    // curl -d sends a JSON body as application/x-www-form-urlencoded unless told otherwise
    return t.equals(JSON)
        || t.endsWith("+json")
        || t.isEmpty()
        || t.equals("application/x-www-form-urlencoded");
  }

  /** How much of an oversized chunked body is read and dropped so the client can see the 413. */
  static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  static byte[] readBody(HttpServerExchange ex, long limit) {
    BodyReader.Body read = ex.getAttachment(BodyReader.BODY);
    if (read != null) {
      return switch (read.outcome()) {
        case READ -> read.bytes();
        case TOO_BIG -> throw tooBig(limit);
        case OVER_BUDGET ->
            throw new OverloadedException(
                "the server is reading as many request bodies as it can hold; retry shortly");
        case TIMED_OUT ->
            throw new HttpProblem(
                408, "Request timeout", "the request body did not arrive in time; send it again");
      };
    }
    if (!BodyReader.hasBody(ex)) {
      return new byte[0];
    }
    // not read ahead (a handler outside AugurServer's): read it here, still never pre-sized
    long declared = ex.getRequestContentLength();
    if (declared > limit) {
      ex.setPersistent(false);
      throw tooBig(limit);
    }
    try (InputStream in = ex.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      byte[] buf = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limit) {
          ex.setPersistent(false);
          throw tooBig(limit);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (RequestTooBigException e) {
      ex.setPersistent(false);
      throw tooBig(limit);
    } catch (IOException e) {
      throw HttpProblem.malformed("the body could not be read");
    }
  }

  private static HttpProblem tooBig(long limit) {
    return new HttpProblem(
        413,
        "Payload too large",
        "the body is over the limit of " + limit / (1024 * 1024) + " MiB");
  }

  static void send(HttpServerExchange ex, int status, Object body) {
    sendJson(ex, status, JSON, body);
  }

  static void sendJson(HttpServerExchange ex, int status, String type, Object body) {
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the answer as JSON", e);
    }
    sendBytes(ex, status, type, bytes);
  }

  /**
   * Sends a whole answer. On a worker, the answer is handed to the I/O thread to write as the
   * client reads it, so that a client reading slowly holds no worker: the exchange leaves blocking
   * mode (nothing was written through its streams; the body, if any, was read on the I/O thread),
   * and the worker returns once the socket has taken what it can. The bytes are held until the
   * client has them, within the server's {@link ByteBudget#ANSWERS} bound; beyond it, a large
   * answer gets 503 + Retry-After, and a small one is written by the worker, which waits for the
   * client while the socket cannot take it.
   */
  static void sendBytes(HttpServerExchange ex, int status, String type, byte[] bytes) {
    ByteBudget answers = ex.getAttachment(ByteBudget.ANSWERS);
    if (ex.isBlocking()
        && answers != null
        && !ex.isInIoThread()
        && ex.isResponseChannelAvailable()) {
      if (answers.takeUntilTheEnd(ex, bytes.length)) {
        ex.startBlocking(null);
      } else if (bytes.length > SLICE) {
        refuse(
            ex,
            Problems.of(
                new OverloadedException(
                    "the server holds as many answers for slow clients as it can; retry"
                        + " shortly")));
        return;
      }
    }
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
    if (bytes.length <= SLICE) {
      ex.getResponseSender().send(ByteBuffer.wrap(bytes));
    } else {
      new Slices(bytes).send(ex.getResponseSender());
    }
  }

  /** The largest piece of an answer handed to the socket at once. */
  static final int SLICE = 64 * 1024;

  /**
   * A large answer, written a slice at a time: each slice is sent when the one before it has gone,
   * from the I/O thread once the socket is full.
   *
   * <p>Why slices: the JDK writes a heap buffer to a socket through a temporary direct buffer of
   * the buffer's size, and keeps that buffer in the writing thread's cache for the thread's life.
   * Written whole, a page of 10,000 predictions left megabytes of native memory in every worker and
   * I/O thread that ever sent one; written in slices, at most a slice.
   */
  private static final class Slices implements IoCallback {
    private final byte[] bytes;
    private int sent;

    Slices(byte[] bytes) {
      this.bytes = bytes;
    }

    void send(Sender sender) {
      int n = Math.min(SLICE, bytes.length - sent);
      ByteBuffer slice = ByteBuffer.wrap(bytes, sent, n);
      sent += n;
      sender.send(slice, this);
    }

    @Override
    public void onComplete(HttpServerExchange ex, Sender sender) {
      if (sent < bytes.length) {
        send(sender); // re-entrant calls are queued by the sender, not nested
      } else {
        IoCallback.END_EXCHANGE.onComplete(ex, sender);
      }
    }

    @Override
    public void onException(HttpServerExchange ex, Sender sender, IOException e) {
      IoCallback.END_EXCHANGE.onException(ex, sender, e);
    }
  }

  static void sendText(HttpServerExchange ex, int status, String type, String text) {
    sendBytes(ex, status, type, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A refusal (503) in the route's own error form: the V2 protocol's {@code {error}} under /v2. */
  static void refuse(HttpServerExchange ex, Problems.Problem p) {
    if (ex.getRequestPath().startsWith("/v2/")) {
      p.retryAfter().ifPresent(s -> ex.getResponseHeaders().put(Headers.RETRY_AFTER, s));
      send(ex, p.status(), V2.error(p));
    } else {
      sendProblem(ex, p);
    }
  }

  static void sendProblem(HttpServerExchange ex, Problems.Problem p) {
    p.retryAfter().ifPresent(s -> ex.getResponseHeaders().put(Headers.RETRY_AFTER, s));
    sendJson(ex, p.status(), PROBLEM_JSON, p.body());
  }

  /** A browser asking for a page ({@code Accept: text/html}), not a client asking for JSON. */
  static boolean wantsPage(HttpServerExchange ex) {
    String accept = ex.getRequestHeaders().getFirst(Headers.ACCEPT);
    return accept != null && accept.contains("text/html");
  }

  static Optional<String> param(HttpServerExchange ex, String name) {
    Deque<String> v = ex.getQueryParameters().get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
  }

  static String pathParam(HttpServerExchange ex, String name) {
    PathTemplateMatch match = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    String v = match == null ? null : match.getParameters().get(name);
    if (v == null) {
      throw new IllegalStateException("no path parameter " + name);
    }
    return v;
  }

  static int intParam(HttpServerExchange ex, String name, int min, int max, int dflt) {
    Optional<String> v = param(ex, name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get().trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw HttpProblem.badParameter(name, name + " must be an integer in " + min + "…" + max);
  }

  /**
   * {@code window}: an ISO-8601 duration ({@code PT24H}, {@code P7D}) or {@code 30m}, {@code 24h},
   * {@code 7d}, {@code 2w}.
   */
  static Optional<Duration> window(HttpServerExchange ex) {
    return duration(ex, "window");
  }

  /**
   * A duration parameter: ISO-8601 ({@code PT24H}) or {@code 90s}, {@code 30m}, {@code 24h}, {@code
   * 7d}, {@code 2w}.
   */
  static Optional<Duration> duration(HttpServerExchange ex, String name) {
    Optional<String> v = param(ex, name);
    if (v.isEmpty() || v.get().isBlank()) {
      return Optional.empty();
    }
    String s = v.get().trim();
    Duration d = null;
    Matcher m = SHORT_DURATION.matcher(s.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
    } else {
      try {
        d = Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // answered below
      }
    }
    if (d == null || d.isNegative() || d.isZero()) {
      throw HttpProblem.badParameter(
          name, name + " must be a positive duration such as 24h, 7d or PT30M");
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      // beyond it, "now minus the window" leaves the range of instants the history can hold
      throw HttpProblem.badParameter(
          name, name + " must be at most " + MAX_DURATION.toDays() + " days (P36525D)");
    }
    return Optional.of(d);
  }
}

package dev.augur.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.AugurException;
import dev.augur.core.Violation;
import dev.augur.core.config.EnvReferences;
import dev.augur.core.model.Batching;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The server config file ({@code --config augur.json} or {@code AUGUR_CONFIG}): the settings that
 * flags do not cover, read once at start-up. Flags win over the environment, which wins over this
 * file, which wins over the defaults; every setting here is therefore optional.
 *
 * <pre>{@code
 * {
 *   "api_key": "${env:AUGUR_API_KEY}",
 *   "access_log": "text",
 *   "retention": "P90D",
 *   "limits": {"max_body_mb": 16, "max_in_flight": 256, "extra_fields_kib": 64},
 *   "models": {
 *     "titanic": {
 *       "default_version": "1", "keep_versions": 2,
 *       "traffic": {"1": 90, "2": 10}, "shadow": "2",
 *       "pool_size": 2, "batching": {"max_batch_size": 32, "max_delay_ms": 2}
 *     }
 *   }
 * }
 * }</pre>
 *
 * {@code ${env:NAME}} anywhere in a string value is replaced by that environment variable. Unknown
 * keys, wrong types, values out of range and variables that are not set are all errors, reported
 * together by {@link #read(Path)}, each naming its key. Immutable and thread-safe.
 *
 * @param apiKey the API key ({@code api_key})
 * @param accessLog the access log format ({@code access_log})
 * @param retention how long the history keeps records ({@code retention}, an ISO-8601 duration)
 * @param limits request limits ({@code limits})
 * @param models per-model settings by model name ({@code models}), sorted by name
 */
public record ServerConfig(
    Optional<String> apiKey,
    Optional<AccessLogFormat> accessLog,
    Optional<Duration> retention,
    Limits limits,
    Map<String, ModelSettings> models) {

  /** The keys a config file may hold at its top level. */
  static final Set<String> KEYS = Set.of("api_key", "access_log", "retention", "limits", "models");

  private static final Set<String> LIMIT_KEYS =
      Set.of(
          "max_body_mb",
          "max_in_flight",
          "extra_fields_kib",
          "bodies_in_flight_mb",
          "body_timeout_seconds");
  private static final Set<String> MODEL_KEYS =
      Set.of("default_version", "keep_versions", "traffic", "shadow", "pool_size", "batching");
  private static final Set<String> BATCHING_KEYS = Set.of("max_batch_size", "max_delay_ms");

  /** Checks that every part is present and copies the map. */
  public ServerConfig {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(accessLog, "accessLog");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(limits, "limits");
    models = Collections.unmodifiableMap(new TreeMap<>(models));
  }

  /**
   * Request limits; each empty when the file does not set it.
   *
   * @param maxBodyMb the largest request body in MiB ({@code max_body_mb}, 1..1024)
   * @param maxInFlight predictions served at once before 503 ({@code max_in_flight}, 1..100000)
   * @param extraFieldsKib unknown observation fields kept per observation, in KiB ({@code
   *     extra_fields_kib}, 0..16384)
   * @param bodiesInFlightMb bytes of request bodies held at once, in MiB ({@code
   *     bodies_in_flight_mb}, 1..65536)
   * @param bodyTimeoutSeconds how long a body may take to arrive ({@code body_timeout_seconds},
   *     1..3600)
   */
  public record Limits(
      OptionalInt maxBodyMb,
      OptionalInt maxInFlight,
      OptionalInt extraFieldsKib,
      OptionalInt bodiesInFlightMb,
      OptionalInt bodyTimeoutSeconds) {
    /** Checks that every part is present. */
    public Limits {
      Objects.requireNonNull(maxBodyMb, "maxBodyMb");
      Objects.requireNonNull(maxInFlight, "maxInFlight");
      Objects.requireNonNull(extraFieldsKib, "extraFieldsKib");
      Objects.requireNonNull(bodiesInFlightMb, "bodiesInFlightMb");
      Objects.requireNonNull(bodyTimeoutSeconds, "bodyTimeoutSeconds");
    }

    /** No limit set. */
    public static Limits none() {
      return new Limits(
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty());
    }
  }

  /**
   * One model's settings; each empty when the file does not set it.
   *
   * @param defaultVersion the version used when a request names none ({@code default_version})
   * @param keepVersions how many of the highest versions to load ({@code keep_versions}, ≥ 1)
   * @param traffic weights per version for requests that name no version ({@code traffic}), in the
   *     file's order; empty when not set
   * @param shadow a version that also predicts every observation, off the request path ({@code
   *     shadow})
   * @param poolSize DJL predictors serving unbatched calls at once ({@code pool_size}, 1..256)
   * @param batching micro-batching in place of the manifest's ({@code batching})
   */
  public record ModelSettings(
      Optional<String> defaultVersion,
      OptionalInt keepVersions,
      Map<String, Integer> traffic,
      Optional<String> shadow,
      OptionalInt poolSize,
      Optional<Batching> batching) {
    /** Checks that every part is present and copies the map. */
    public ModelSettings {
      Objects.requireNonNull(defaultVersion, "defaultVersion");
      Objects.requireNonNull(keepVersions, "keepVersions");
      Objects.requireNonNull(shadow, "shadow");
      Objects.requireNonNull(poolSize, "poolSize");
      Objects.requireNonNull(batching, "batching");
      traffic = Collections.unmodifiableMap(new LinkedHashMap<>(traffic));
    }
  }

  /** No settings: every value comes from flags, the environment or the defaults. */
  public static ServerConfig empty() {
    return new ServerConfig(
        Optional.empty(), Optional.empty(), Optional.empty(), Limits.none(), Map.of());
  }

  /**
   * Reads a config file, replacing {@code ${env:NAME}} from the process environment.
   *
   * @throws InvalidConfigException naming every problem: unknown keys, wrong types or ranges, unset
   *     environment variables, malformed JSON, an unreadable file
   */
  public static ServerConfig read(Path file) {
    return read(file, System::getenv);
  }

  /**
   * Reads a config file, looking {@code ${env:NAME}} up with {@code env}.
   *
   * @throws InvalidConfigException naming every problem found
   */
  public static ServerConfig read(Path file, Function<String, String> env) {
    Objects.requireNonNull(file, "file");
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(
          file,
          List.of(
              new Violation(
                  "",
                  "not valid JSON"
                      + (e.getLocation() == null
                          ? ""
                          : " at line "
                              + e.getLocation().getLineNr()
                              + ", column "
                              + e.getLocation().getColumnNr())
                      + ": "
                      + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new InvalidConfigException(
          file, List.of(new Violation("", "cannot be read: " + e.getMessage())));
    }
    return parse(root, file, env);
  }

  /** Parses a config tree; {@code file} only names it in errors. */
  static ServerConfig parse(JsonNode root, Path file, Function<String, String> env) {
    List<Violation> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new InvalidConfigException(
          file, List.of(new Violation("", "must be a JSON object such as {\"limits\": {…}}")));
    }
    try {
      root =
          Json.mapper()
              .valueToTree(
                  EnvReferences.resolve(Json.mapper().convertValue(root, Object.class), env));
    } catch (EnvReferences.UnresolvedException e) {
      e.problems().forEach(p -> problems.add(new Violation(p.path(), p.message())));
    }
    Reader r = new Reader(problems);
    r.unknown(root, "", KEYS);
    Optional<String> apiKey = r.text(root, "api_key", "");
    Optional<AccessLogFormat> accessLog =
        r.text(root, "access_log", "")
            .flatMap(
                s -> {
                  Optional<AccessLogFormat> f = AccessLogFormat.parse(s);
                  if (f.isEmpty()) {
                    problems.add(new Violation("access_log", "must be text, json or off"));
                  }
                  return f;
                });
    Optional<Duration> retention = r.text(root, "retention", "").flatMap(r::duration);
    Limits limits = Limits.none();
    JsonNode l = r.object(root, "limits", "");
    if (l != null) {
      r.unknown(l, "limits.", LIMIT_KEYS);
      limits =
          new Limits(
              r.integer(l, "max_body_mb", "limits.", 1, 1024),
              r.integer(l, "max_in_flight", "limits.", 1, 100_000),
              r.integer(l, "extra_fields_kib", "limits.", 0, 16_384),
              r.integer(l, "bodies_in_flight_mb", "limits.", 1, 65_536),
              r.integer(l, "body_timeout_seconds", "limits.", 1, 3600));
    }
    Map<String, ModelSettings> models = new TreeMap<>();
    JsonNode m = r.object(root, "models", "");
    if (m != null) {
      for (Map.Entry<String, JsonNode> e : m.properties()) {
        String at = "models." + e.getKey();
        if (!e.getValue().isObject()) {
          problems.add(new Violation(at, "must be an object of settings"));
          continue;
        }
        models.put(e.getKey(), r.model(e.getValue(), at + "."));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(file, problems);
    }
    return new ServerConfig(apiKey, accessLog, retention, limits, models);
  }

  /** Reads values and collects problems; names keys by their dotted path. */
  private record Reader(List<Violation> problems) {
    void unknown(JsonNode node, String prefix, Set<String> known) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (known.contains(k)) {
          continue;
        }
        problems.add(
            new Violation(
                prefix + k,
                "unknown key; known keys here: "
                    + known.stream().sorted().collect(Collectors.joining(", "))));
      }
    }

    JsonNode object(JsonNode node, String key, String prefix) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isObject()) {
        problems.add(new Violation(prefix + key, "must be an object"));
        return null;
      }
      return v;
    }

    Optional<String> text(JsonNode node, String key, String prefix) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return Optional.empty();
      }
      if (!v.isTextual() || v.textValue().isBlank()) {
        problems.add(new Violation(prefix + key, "must be a non-empty string"));
        return Optional.empty();
      }
      return Optional.of(v.textValue());
    }

    OptionalInt integer(JsonNode node, String key, String prefix, int min, int max) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return OptionalInt.empty();
      }
      if (!v.isIntegralNumber()
          || !v.canConvertToInt()
          || v.intValue() < min
          || v.intValue() > max) {
        problems.add(new Violation(prefix + key, "must be an integer in " + min + ".." + max));
        return OptionalInt.empty();
      }
      return OptionalInt.of(v.intValue());
    }

    Optional<Duration> duration(String s) {
      try {
        Duration d = Duration.parse(s.trim().toUpperCase(Locale.ROOT));
        if (!d.isNegative() && !d.isZero()) {
          return Optional.of(d);
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
      problems.add(
          new Violation("retention", "must be a positive ISO-8601 duration such as P90D or PT12H"));
      return Optional.empty();
    }

    ModelSettings model(JsonNode node, String prefix) {
      unknown(node, prefix, MODEL_KEYS);
      Optional<String> defaultVersion = version(node, "default_version", prefix);
      OptionalInt keep = integer(node, "keep_versions", prefix, 1, 10_000);
      Optional<String> shadow = version(node, "shadow", prefix);
      OptionalInt pool = integer(node, "pool_size", prefix, 1, 256);
      Map<String, Integer> traffic = new LinkedHashMap<>();
      JsonNode t = object(node, "traffic", prefix);
      if (t != null) {
        long total = 0;
        for (Map.Entry<String, JsonNode> e : t.properties()) {
          OptionalInt w = integer(t, e.getKey(), prefix + "traffic.", 0, 1_000_000);
          if (w.isPresent()) {
            traffic.put(e.getKey(), w.getAsInt());
            total += w.getAsInt();
          }
        }
        if (traffic.size() == t.size() && total == 0) {
          problems.add(
              new Violation(prefix + "traffic", "must give at least one version a weight above 0"));
        }
      }
      Optional<Batching> batching = Optional.empty();
      JsonNode b = object(node, "batching", prefix);
      if (b != null) {
        unknown(b, prefix + "batching.", BATCHING_KEYS);
        OptionalInt size = integer(b, "max_batch_size", prefix + "batching.", 1, 4096);
        JsonNode delay = b.get("max_delay_ms");
        double delayMs = 0;
        boolean ok = size.isPresent();
        if (size.isEmpty() && !b.has("max_batch_size")) {
          problems.add(new Violation(prefix + "batching.max_batch_size", "is required"));
        }
        if (delay != null && !delay.isNull()) {
          if (!delay.isNumber() || delay.doubleValue() < 0 || delay.doubleValue() > 1000) {
            problems.add(
                new Violation(prefix + "batching.max_delay_ms", "must be a number in 0..1000"));
            ok = false;
          } else {
            delayMs = delay.doubleValue();
          }
        }
        if (ok) {
          batching = Optional.of(new Batching(size.getAsInt(), delayMs));
        }
      }
      return new ModelSettings(defaultVersion, keep, traffic, shadow, pool, batching);
    }

    /** A version: a string, or a whole number written without quotes. */
    Optional<String> version(JsonNode node, String key, String prefix) {
      JsonNode v = node.get(key);
      if (v != null && v.isIntegralNumber()) {
        return Optional.of(v.asText());
      }
      return text(node, key, prefix);
    }
  }

  /** A config file is invalid: carries every problem found, each naming its key. */
  public static final class InvalidConfigException extends AugurException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    /** Creates the exception for {@code file} with at least one violation. */
    public InvalidConfigException(Path file, List<Violation> violations) {
      super(
          "invalid config file "
              + file
              + ": "
              + violations.stream()
                  .map(v -> v.field().isEmpty() ? v.message() : v.toString())
                  .collect(Collectors.joining("; ")));
      this.violations = List.copyOf(violations);
    }

    /** Every problem found. */
    public List<Violation> violations() {
      return violations;
    }
  }
}

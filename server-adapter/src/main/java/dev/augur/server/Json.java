package dev.augur.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

/**
 * The server's one Jackson configuration: instants as ISO-8601 text, trailing tokens after a JSON
 * value refused. The same settings as core's and persistence's own mappers, so that what the server
 * writes reads back the same everywhere; each module keeps its own, because a mapper is no part of
 * core's public API.
 */
final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** The shared, thread-safe mapper. */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A JSON object as a map of plain values (String, Number, Boolean, null, List, Map). */
  static Map<String, Object> toMap(JsonNode node) {
    return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {});
  }
}

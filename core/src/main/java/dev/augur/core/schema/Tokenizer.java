package dev.augur.core.schema;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The word tokenizer of a {@code text} feature: lower-case when asked, split on every character
 * that is not a Unicode letter or digit, drop empty pieces, map unknown words to {@code unknownId},
 * truncate to {@code maxLength}, pad at the end with {@code padId}. Immutable and thread-safe.
 */
public final class Tokenizer {
  private final Map<String, Integer> vocabulary;
  private final boolean lowercase;
  private final int maxLength;
  private final int padId;
  private final int unknownId;
  private final String vocabularyFile;

  Tokenizer(
      Map<String, Integer> vocabulary,
      String vocabularyFile,
      boolean lowercase,
      int maxLength,
      int padId,
      int unknownId) {
    this.vocabulary = Map.copyOf(vocabulary);
    this.vocabularyFile = vocabularyFile;
    this.lowercase = lowercase;
    this.maxLength = maxLength;
    this.padId = padId;
    this.unknownId = unknownId;
  }

  /** The number of token ids produced for every text. */
  public int maxLength() {
    return maxLength;
  }

  /** The vocabulary file name, relative to the model folder. */
  public String vocabularyFile() {
    return vocabularyFile;
  }

  /** How many tokens the vocabulary holds. */
  public int vocabularySize() {
    return vocabulary.size();
  }

  /** The token ids of a text, exactly {@link #maxLength()} of them. */
  public long[] encode(String text) {
    String s = lowercase ? text.toLowerCase(Locale.ROOT) : text;
    long[] ids = new long[maxLength];
    Arrays.fill(ids, padId);
    int n = 0;
    int start = -1;
    for (int i = 0; i <= s.length() && n < maxLength; ) {
      int cp = i < s.length() ? s.codePointAt(i) : ' ';
      boolean word = i < s.length() && Character.isLetterOrDigit(cp);
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        ids[n++] = vocabulary.getOrDefault(s.substring(start, i), unknownId);
        start = -1;
      }
      i += i < s.length() ? Character.charCount(cp) : 1;
    }
    return ids;
  }
}

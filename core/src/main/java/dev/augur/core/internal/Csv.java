package dev.augur.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: quoted fields, doubled quotes, line breaks inside quotes. Stateless. */
public final class Csv {
  private Csv() {}

  /** Completes {@code first} with further lines while a quoted field is open; null at the end. */
  public static String readRecord(BufferedReader r, String first) throws IOException {
    if (first == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(first);
    while (quotes(sb) % 2 == 1) {
      String more = r.readLine();
      if (more == null) {
        break;
      }
      sb.append('\n').append(more);
    }
    return sb.toString();
  }

  private static int quotes(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '"') {
        n++;
      }
    }
    return n;
  }

  /** The fields of one record. */
  public static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else if (c != '\r') {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}

package dev.augur.persistence;

import dev.augur.core.history.BinaryQuality;
import dev.augur.core.history.ConfusionMatrix;
import dev.augur.core.history.ForecastQuality;
import dev.augur.core.history.MulticlassQuality;
import dev.augur.core.history.QualityMetrics;
import dev.augur.core.history.QualitySpec;
import dev.augur.core.history.RegressionQuality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes quality metrics over labelled predictions in one pass (plus a sort for ROC AUC). Not
 * thread-safe: one per computation.
 */
final class QualityAccumulator {
  private static final double EPS = 1e-15;

  private final QualitySpec spec;
  private final Map<String, Integer> labelIndex = new HashMap<>();
  private final int positiveIndex;
  private long n;
  // classification
  private long correct;
  private double logLoss;
  private boolean logLossKnown = true;
  private double brier;
  private long[][] confusion;
  private double[] scores = new double[1024];
  private boolean[] positives = new boolean[1024];
  // regression
  private double absErr;
  private double sqErr;
  private double apeSum;
  private long apeCount;
  private double ySum;
  private double ySqSum;
  // forecast, per step
  private double[] stepAbs;
  private double[] stepSq;
  private double[] stepApe;
  private long[] stepN;
  private long[] stepApeN;

  QualityAccumulator(QualitySpec spec) {
    this.spec = spec;
    List<String> labels = spec.labels();
    for (int i = 0; i < labels.size(); i++) {
      labelIndex.put(labels.get(i), i);
    }
    confusion = new long[labels.size()][labels.size()];
    positiveIndex = spec.positive().map(p -> labelIndex.getOrDefault(p, -1)).orElse(-1);
    int h = Math.max(spec.horizon(), 0);
    stepAbs = new double[h];
    stepSq = new double[h];
    stepApe = new double[h];
    stepN = new long[h];
    stepApeN = new long[h];
  }

  long count() {
    return n;
  }

  /** A binary prediction: the chosen label, the positive probability, the true label. */
  void addBinary(String predicted, double proba, String truth) {
    Integer t = labelIndex.get(truth);
    Integer p = labelIndex.get(predicted);
    if (t == null || p == null) {
      return;
    }
    addBinary(t, p, proba);
  }

  /** The index of a label in the spec's label order, or -1 for an unknown one. */
  int labelIndex(String label) {
    return labelIndex.getOrDefault(label, -1);
  }

  /**
   * A binary prediction by label indices (as the database computes them): the true label's and the
   * chosen label's index, and the positive probability. Unknown labels (-1) are skipped.
   */
  void addBinary(int t, int p, double proba) {
    if (t < 0 || p < 0) {
      return;
    }
    boolean y = t == positiveIndex;
    if (n == scores.length) {
      scores = Arrays.copyOf(scores, scores.length * 2);
      positives = Arrays.copyOf(positives, positives.length * 2);
    }
    scores[(int) n] = proba;
    positives[(int) n] = y;
    n++;
    if (t == p) {
      correct++;
    }
    confusion[t][p]++;
    double q = Math.min(1 - EPS, Math.max(EPS, proba));
    logLoss += y ? -Math.log(q) : -Math.log(1 - q);
    brier += (proba - (y ? 1 : 0)) * (proba - (y ? 1 : 0));
  }

  /**
   * A multiclass prediction: the chosen label, the probability given to the true label (or NaN).
   */
  void addMulticlass(String predicted, double probaOfTruth, String truth) {
    Integer t = labelIndex.get(truth);
    Integer p = labelIndex.get(predicted);
    if (t == null || p == null) {
      return;
    }
    n++;
    if (t.equals(p)) {
      correct++;
    }
    confusion[t][p]++;
    if (Double.isNaN(probaOfTruth)) {
      logLossKnown = false;
    } else {
      logLoss += -Math.log(Math.min(1 - EPS, Math.max(EPS, probaOfTruth)));
    }
  }

  void addRegression(double predicted, double truth) {
    n++;
    double e = predicted - truth;
    absErr += Math.abs(e);
    sqErr += e * e;
    if (truth != 0) {
      apeSum += Math.abs(e / truth);
      apeCount++;
    }
    ySum += truth;
    ySqSum += truth * truth;
  }

  void addForecast(List<Double> predicted, List<Double> truth) {
    n++;
    int k = Math.min(Math.min(predicted.size(), truth.size()), stepN.length);
    for (int i = 0; i < k; i++) {
      double e = predicted.get(i) - truth.get(i);
      stepAbs[i] += Math.abs(e);
      stepSq[i] += e * e;
      stepN[i]++;
      if (truth.get(i) != 0) {
        stepApe[i] += Math.abs(e / truth.get(i));
        stepApeN[i]++;
      }
    }
  }

  /** The metrics of the task; null where they cannot be computed yet. */
  QualityMetrics metrics() {
    return switch (spec.task()) {
      case BINARY_CLASSIFICATION ->
          new BinaryQuality(
              n == 0 ? null : (double) correct / n,
              n == 0 ? null : logLoss / n,
              n == 0 ? null : brier / n,
              rocAuc(),
              new ConfusionMatrix(confusionList()));
      case MULTICLASS_CLASSIFICATION ->
          new MulticlassQuality(
              n == 0 ? null : (double) correct / n,
              n == 0 || !logLossKnown ? null : logLoss / n,
              n == 0 ? null : macroF1(),
              new ConfusionMatrix(confusionList()));
      case REGRESSION -> {
        double ssTot = ySqSum - ySum * ySum / Math.max(n, 1);
        yield new RegressionQuality(
            n == 0 ? null : absErr / n,
            n == 0 ? null : Math.sqrt(sqErr / n),
            apeCount == 0 ? null : apeSum / apeCount,
            n < 2 || ssTot <= 1e-12 * Math.max(1, ySqSum) ? null : 1 - sqErr / ssTot);
      }
      case FORECAST -> {
        List<Double> mae = new ArrayList<>();
        List<Double> rmse = new ArrayList<>();
        List<Double> mape = new ArrayList<>();
        double abs = 0;
        long cnt = 0;
        for (int i = 0; i < stepN.length; i++) {
          mae.add(stepN[i] == 0 ? null : stepAbs[i] / stepN[i]);
          rmse.add(stepN[i] == 0 ? null : Math.sqrt(stepSq[i] / stepN[i]));
          mape.add(stepApeN[i] == 0 ? null : stepApe[i] / stepApeN[i]);
          abs += stepAbs[i];
          cnt += stepN[i];
        }
        yield new ForecastQuality(mae, rmse, mape, cnt == 0 ? null : abs / cnt);
      }
    };
  }

  /** One number summarising quality, for charts of a metric over time. */
  Double scalar(String metric) {
    Object v = metrics().asMap().get(metric);
    if (v instanceof Double d) {
      return d;
    }
    return null;
  }

  private List<List<Long>> confusionList() {
    List<List<Long>> rows = new ArrayList<>();
    for (long[] row : confusion) {
      List<Long> r = new ArrayList<>();
      for (long c : row) {
        r.add(c);
      }
      rows.add(r);
    }
    return rows;
  }

  private Double macroF1() {
    int k = confusion.length;
    double sum = 0;
    int classes = 0;
    for (int c = 0; c < k; c++) {
      long tp = confusion[c][c];
      long actual = 0;
      long predicted = 0;
      for (int j = 0; j < k; j++) {
        actual += confusion[c][j];
        predicted += confusion[j][c];
      }
      if (actual == 0 && predicted == 0) {
        continue;
      }
      classes++;
      sum += actual + predicted == 0 ? 0 : 2.0 * tp / (actual + predicted);
    }
    return classes == 0 ? null : sum / classes;
  }

  /**
   * ROC AUC as the probability that a positive outranks a negative, ties counting one half (equal
   * to the rank-sum statistic), by sorting each class's scores and merging: O(n log n), primitive.
   */
  private Double rocAuc() {
    int size = (int) n;
    int pos = 0;
    for (int i = 0; i < size; i++) {
      if (positives[i]) {
        pos++;
      }
    }
    int neg = size - pos;
    if (pos == 0 || neg == 0) {
      return null;
    }
    double[] p = new double[pos];
    double[] q = new double[neg];
    for (int i = 0, a = 0, b = 0; i < size; i++) {
      if (positives[i]) {
        p[a++] = scores[i];
      } else {
        q[b++] = scores[i];
      }
    }
    Arrays.sort(p);
    Arrays.sort(q);
    double wins = 0;
    int less = 0;
    int lessOrEqual = 0;
    for (double x : p) {
      while (less < neg && q[less] < x) {
        less++;
      }
      if (lessOrEqual < less) {
        lessOrEqual = less;
      }
      while (lessOrEqual < neg && q[lessOrEqual] <= x) {
        lessOrEqual++;
      }
      wins += less + 0.5 * (lessOrEqual - less);
    }
    return wins / ((double) pos * neg);
  }
}

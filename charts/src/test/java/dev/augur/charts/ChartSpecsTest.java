package dev.augur.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.ChartException;
import dev.augur.core.chart.ChartSpec;
import dev.augur.core.chart.ChartSpecs;
import dev.augur.core.chart.ForecastChart;
import dev.augur.core.chart.ForecastPoint;
import dev.augur.core.chart.HistogramChart;
import dev.augur.core.chart.LineChart;
import dev.augur.core.chart.ProbabilitiesChart;
import dev.augur.core.chart.Series;
import dev.augur.core.source.Point;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON forms of chart specs (DESIGN.md, "Chart specs") read and written by ChartSpecs. */
class ChartSpecsTest {

  private static ChartSpec read(String json) throws Exception {
    return ChartSpecs.fromJson(json.replace('\'', '"'));
  }

  @Test
  void readsTheForecastForm() throws Exception {
    ChartSpec spec =
        read(
            "{'kind': 'forecast', 'title': 'ACME',"
                + " 'history': [{'t': '2008-09-01', 'y': 5123.4}, {'t': '2008-09-02', 'y': 5130}],"
                + " 'forecast': [{'t': '2008-09-03', 'y': 5140, 'lower': 5100, 'upper': 5180},"
                + "              {'t': '2008-09-04', 'y': 5150}]}");
    assertThat(spec)
        .isEqualTo(
            new ForecastChart(
                "ACME",
                List.of(
                    new Point(LocalDate.parse("2008-09-01"), 5123.4),
                    new Point(LocalDate.parse("2008-09-02"), 5130)),
                List.of(
                    new ForecastPoint(LocalDate.parse("2008-09-03"), 5140, 5100.0, 5180.0),
                    new ForecastPoint(LocalDate.parse("2008-09-04"), 5150))));
  }

  @Test
  void readsTheProbabilitiesFormKeepingOrder() throws Exception {
    ChartSpec spec =
        read("{'kind': 'probabilities', 'probabilities': {'died': 0.83, 'survived': 0.17}}");
    assertThat(spec).isEqualTo(new ProbabilitiesChart(Map.of("died", 0.83, "survived", 0.17)));
    assertThat(((ProbabilitiesChart) spec).probabilities().keySet())
        .containsExactly("died", "survived");
  }

  @Test
  void readsTheLineFormWithEveryTimeType() throws Exception {
    ChartSpec spec =
        read(
            "{'kind': 'line', 'width': 640, 'height': 480, 'series': ["
                + "{'name': 'a', 'points': [{'t': '2008-09-01T10:15:00', 'y': 1},"
                + "                         {'t': '2008-09-01 11:15', 'y': 2}]},"
                + "{'name': 'b', 'points': [{'t': '2008-09-01T10:15:00Z', 'y': 1},"
                + "                         {'t': '2008-09-01T12:15:00+02:00', 'y': 3}]}]}");
    assertThat(spec)
        .isEqualTo(
            new LineChart(
                "",
                640,
                480,
                List.of(
                    new Series(
                        "a",
                        List.of(
                            new Point(LocalDateTime.parse("2008-09-01T10:15:00"), 1),
                            new Point(LocalDateTime.parse("2008-09-01T11:15"), 2))),
                    new Series(
                        "b",
                        List.of(
                            new Point(OffsetDateTime.parse("2008-09-01T10:15:00Z"), 1),
                            new Point(OffsetDateTime.parse("2008-09-01T12:15:00+02:00"), 3))))));
  }

  @Test
  void readsNumericTimesAndTheHistogramForm() throws Exception {
    assertThat(read("{'kind': 'line', 'series': [{'name': 's', 'points': [{'t': 1, 'y': 2}]}]}"))
        .isEqualTo(new LineChart(List.of(new Series("s", List.of(new Point(1.0, 2))))));
    assertThat(read("{'kind': 'histogram', 'values': [1, 2.5, 3], 'bins': 7}"))
        .isEqualTo(new HistogramChart("", 800, 500, List.of(1.0, 2.5, 3.0), 7));
    assertThat(((HistogramChart) read("{'kind': 'histogram', 'values': [1]}")).bins())
        .isEqualTo(20);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'kind': 'forecast', 'title': 'T', 'width': 300, 'height': 200,"
            + " 'history': [{'t': '2008-09-01', 'y': 1.5}],"
            + " 'forecast': [{'t': '2008-09-02', 'y': 2.0, 'lower': 1.0, 'upper': 3.0},"
            + "              {'t': '2008-09-03', 'y': 2.5}]}",
        "{'kind': 'forecast', 'forecast': [{'t': 3, 'y': 1}]}",
        "{'kind': 'probabilities', 'probabilities': {'b': 0.4, 'a': 0.6}}",
        "{'kind': 'line', 'series': [{'name': 'x', 'points': [{'t': '2008-09-01T10:00', 'y': 1}]},"
            + " {'name': 'y', 'points': [{'t': '2008-09-01T10:00:00+02:00', 'y': 2}]}]}",
        "{'kind': 'histogram', 'values': [1, 2, 3], 'bins': 3}"
      })
  void roundTripsThroughJson(String json) throws Exception {
    ChartSpec spec = read(json);
    String written = ChartSpecs.toJson(spec);
    assertThat(ChartSpecs.fromJson(written)).isEqualTo(spec);
    assertThat(ChartSpecs.toJson(ChartSpecs.fromJson(written))).isEqualTo(written);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'kind': 'pie'}|kind 'pie' is unknown; known kinds: forecast, probabilities, line,"
            + " histogram",
        "{'kind': 'volume'}|a model chart",
        "{'title': 'x'}|kind is missing",
        "[1, 2]|must be a JSON object",
        "{'kind': 'forecast', 'history': []}|forecast is missing",
        "{'kind': 'forecast', 'forecast': []}|forecast is empty",
        "{'kind': 'forecast', 'forecast': [{'t': 'tomorrow', 'y': 1}]}|forecast[0].t is not an ISO"
            + " date",
        "{'kind': 'forecast', 'forecast': [{'t': '2008-09-01', 'y': 1}, {'t': '2008-09-02', 'y':"
            + " 'x'}]}|forecast[1].y must be a number",
        "{'kind': 'forecast', 'forecast': [{'y': 1}]}|forecast[0].t is missing",
        "{'kind': 'forecast', 'forecast': [{'t': 1, 'y': 1, 'lower': 0}]}|forecast[0] has only"
            + " lower",
        "{'kind': 'probabilities', 'probabilities': {'a': 'high'}}|probabilities[a] must be a"
            + " number",
        "{'kind': 'probabilities', 'probabilities': [0.5]}|probabilities must be an object",
        "{'kind': 'line', 'series': [{'name': 'a'}]}|series[0].points is missing",
        "{'kind': 'line', 'series': [{'name': 'a', 'points': [{'t': 1, 'y': 1}, {'t': '2008-09-01',"
            + " 'y': 2}]}]}|series[0].points[1].t is a date/time but series[0].points[0].t is a"
            + " number",
        "{'kind': 'histogram', 'values': [1], 'bins': 2.5}|bins must be an integer",
        "{'kind': 'histogram', 'values': [1], 'width': '800'}|width must be an integer",
        "{'kind': 'histogram', 'values': [1], 'width': 99}|width is 99; expected 100 to 4000",
        "{'kind': 'histogram', 'values': [1], 'height': 4001}|height is 4001",
        "{'kind': 'histogram', 'values': []}|values is empty",
        "{'kind': 'histogram', 'values': [1, null]}|values[1] is missing",
        "{'kind': 'histogram', 'values': [1], 'title': 5}|title must be a string",
      })
  void refusesBadJsonNamingTheField(String json, String message) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(ChartException.class)
        .hasMessageContaining(message);
  }

  @Test
  void modelChartsHaveNoJsonForm() {
    assertThatThrownBy(() -> ChartSpecs.toJson(ChartFixtures.volume(800, 500)))
        .isInstanceOf(ChartException.class)
        .hasMessageContaining("no JSON form");
  }

  @Test
  void recordsCopyTheirListsAndRefuseNulls() {
    List<Double> values = new java.util.ArrayList<>(List.of(1.0, 2.0));
    HistogramChart chart = new HistogramChart(values);
    values.add(3.0);
    assertThat(chart.values()).containsExactly(1.0, 2.0);
    java.util.ArrayList<Double> withNull = new java.util.ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> new HistogramChart(withNull))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("values[0]");
  }
}

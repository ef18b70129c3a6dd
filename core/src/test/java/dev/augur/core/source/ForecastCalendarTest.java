package dev.augur.core.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ForecastCalendarTest {
  private static List<Point> dated(String... days) {
    return java.util.Arrays.stream(days).map(d -> new Point(LocalDate.parse(d), 1)).toList();
  }

  @Test
  void businessDaysWhenTheInputHasNoWeekends() {
    // Thu, Fri, Mon
    List<Object> next = ForecastCalendar.next(dated("2008-10-16", "2008-10-17", "2008-10-20"), 4);
    assertThat(next)
        .containsExactly(
            LocalDate.parse("2008-10-21"), LocalDate.parse("2008-10-22"),
            LocalDate.parse("2008-10-23"), LocalDate.parse("2008-10-24"));
    assertThat(ForecastCalendar.next(dated("2008-10-16", "2008-10-17"), 1))
        .containsExactly(LocalDate.parse("2008-10-20"));
  }

  @Test
  void dailyWhenWeekendsArePresent() {
    assertThat(ForecastCalendar.next(dated("2024-01-05", "2024-01-06", "2024-01-07"), 2))
        .containsExactly(LocalDate.parse("2024-01-08"), LocalDate.parse("2024-01-09"));
  }

  @Test
  void weeklyAndMonthlySteps() {
    assertThat(ForecastCalendar.next(dated("2024-01-07", "2024-01-14", "2024-01-21"), 1))
        .containsExactly(LocalDate.parse("2024-01-28"));
    assertThat(ForecastCalendar.next(dated("2023-11-30", "2023-12-31", "2024-01-31"), 2))
        .containsExactly(LocalDate.parse("2024-02-29"), LocalDate.parse("2024-03-31"));
  }

  @Test
  void numericSteps() {
    List<Point> h = IntStream.range(0, 5).mapToObj(i -> new Point(10 + 5 * i, 1)).toList();
    assertThat(ForecastCalendar.next(h, 2)).containsExactly(35L, 40L);
  }
}

# The seed's chart service without its HTTP layer: ggplot2 draws the forecast chart (history as a
# line, the forecast as a dashed line with points) to an 800x500 PNG, as its plumber endpoint does.
# Usage: Rscript forecast_plot.R POINTS.csv OUT.png N  -> prints the median render time of N
# renders after 5 warm-up renders (the package is loaded and warm, as in a long-running service).
suppressPackageStartupMessages(library(ggplot2))
args <- commandArgs(trailingOnly = TRUE)
points <- read.csv(args[1], stringsAsFactors = FALSE)
points$t <- as.Date(points$t)
out <- args[2]
n <- as.integer(args[3])

draw <- function() {
  history <- points[points$part == "history", ]
  forecast <- rbind(history[nrow(history), ], points[points$part == "forecast", ])
  forecast$part <- "forecast"
  p <- ggplot() +
    geom_line(data = history, aes(t, y, colour = "history"), linewidth = 0.8) +
    geom_line(data = forecast, aes(t, y, colour = "forecast"), linewidth = 0.8, linetype = "dashed") +
    geom_point(data = forecast[-1, ], aes(t, y, colour = "forecast"), size = 1.5) +
    scale_colour_manual(values = c(history = "#1f77b4", forecast = "#ff7f0e")) +
    labs(title = "Forecast", x = NULL, y = NULL, colour = NULL) +
    theme_minimal()
  png(out, width = 800, height = 500, type = "cairo")
  print(p)
  invisible(dev.off())
}

for (i in 1:5) draw()
times <- numeric(n)
for (i in 1:n) {
  t0 <- proc.time()[["elapsed"]]
  draw()
  times[i] <- (proc.time()[["elapsed"]] - t0) * 1000
}
cat(sprintf("median_ms=%.1f renders=%d\n", median(times), n))

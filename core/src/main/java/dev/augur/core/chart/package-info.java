/** Chart specifications: what a {@link dev.augur.core.ChartRenderer} draws. */
package dev.augur.core.chart;

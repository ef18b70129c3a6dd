/** Value types of the prediction history: pages, quality reports, chart series. */
package dev.augur.core.history;

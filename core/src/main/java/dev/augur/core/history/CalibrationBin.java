package dev.augur.core.history;

/**
 * One bin of a reliability diagram for a binary classifier.
 *
 * @param lower the bin's lower bound of predicted probability (inclusive)
 * @param upper the bin's upper bound (exclusive, except 1.0)
 * @param meanPredicted the mean predicted probability of the positive label in the bin
 * @param observedRate the fraction of the bin's records whose outcome is the positive label
 * @param count how many labelled records fell in the bin
 */
public record CalibrationBin(
    double lower, double upper, double meanPredicted, double observedRate, long count) {}

/** Micro-batching: concurrent single predictions merged into one forward pass. */
package dev.augur.core.batch;

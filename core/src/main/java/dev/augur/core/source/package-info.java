/** Data sources: where model inputs come from when a caller gives only a key. */
package dev.augur.core.source;

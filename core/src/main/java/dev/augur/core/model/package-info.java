/** Model packages: manifests, output decoding, loading options and the model registry. */
package dev.augur.core.model;

/**
 * Input schemas: the feature types of the model package format, their validation and their exact
 * preprocessing into tensors.
 */
package dev.augur.core.schema;

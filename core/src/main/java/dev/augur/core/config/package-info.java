/**
 * Rules shared by Augur's configuration files (the server's config file, {@code sources.json}), on
 * plain JSON values so that they do not tie a caller to a JSON library.
 */
package dev.augur.core.config;

/**
 * The prediction history on JDBI: SQLite embedded by default, PostgreSQL in production; group
 * commit, migrations, queries and live quality metrics. Start at {@link
 * dev.augur.persistence.HistoryStores}.
 */
package dev.augur.persistence;

package dev.augur.persistence;

/** The databases the history supports, with what differs between them. */
enum Dialect {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  private final String migrations;

  Dialect(String migrations) {
    this.migrations = migrations;
  }

  /** The Flyway location of this database's migrations. */
  String migrationLocation() {
    return "classpath:db/augur/" + migrations;
  }

  static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database URL '"
            + DatabaseUrl.redact(jdbcUrl)
            + "'; expected jdbc:sqlite:FILE, jdbc:postgresql://… or postgres://user:pass@host:port/db");
  }
}

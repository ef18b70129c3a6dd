package dev.augur.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Security review L8: passwords with raw '/', '@', ':' or '+' are read whole and never shown. */
class DatabaseUrlTest {

  @Test
  void aPasswordWithRawSlashAtColonAndPlusIsReadWhole() {
    DatabaseUrl d =
        DatabaseUrl.parse("postgres://augur:p/a@s:s+w%2Fd@db.example:6543/augur?ssl=true");
    assertThat(d.user()).hasValue("augur");
    assertThat(d.password()).hasValue("p/a@s:s+w/d");
    assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/augur?ssl=true");
  }

  @Test
  void theUsualFormStillParses() {
    DatabaseUrl d = DatabaseUrl.parse("postgresql://u:secret@localhost/db");
    assertThat(d.user()).hasValue("u");
    assertThat(d.password()).hasValue("secret");
    assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/db");
    assertThat(DatabaseUrl.parse("postgres://localhost").user()).isEmpty();
  }

  @Test
  void redactHidesEveryPartOfThePassword() {
    for (String secret : new String[] {"s3cret", "a/b", "a@b", "a:b", "x+y", "p/a@s:s"}) {
      String r = DatabaseUrl.redact("postgres://augur:" + secret + "@db.example:5432/augur");
      assertThat(r).as(secret).isEqualTo("postgres://augur:****@db.example:5432/augur");
    }
    assertThat(DatabaseUrl.redact("jdbc:postgresql://h/db?user=u&password=p/w@x"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=****");
    assertThat(DatabaseUrl.redact("jdbc:sqlite:/data/history.db"))
        .isEqualTo("jdbc:sqlite:/data/history.db");
  }

  @Test
  void errorMessagesNeverCarryThePassword() {
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:p/w@s@h/db"))
        .hasMessageNotContaining("p/w")
        .hasMessageNotContaining("w@s");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://root:p/w@s@"))
        .hasMessageNotContaining("p/w")
        .hasMessageNotContaining("w@s");
  }
}

package io.popfleet.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresTest {

    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestartAndTheServerRunsDurable() throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(dir, true);
                Connection c = connect(first)) {
            c.createStatement().execute("create table kept (v text)");
            c.createStatement().execute("insert into kept values ('still here')");
            var fsync = c.createStatement().executeQuery("show fsync");
            fsync.next();
            assertThat(fsync.getString(1)).isEqualTo("on");
        }
        try (EmbeddedPostgres second = EmbeddedPostgres.start(dir, true);
                Connection c = connect(second)) {
            var rows = c.createStatement().executeQuery("select v from kept");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void aSecondStartOnTheSameDataDirFailsWithOneClearLineAndLeavesTheFirstServerRunning() throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(dir, false)) {
            assertThatThrownBy(() -> EmbeddedPostgres.start(dir, false))
                    .isInstanceOf(DataDirInUseException.class)
                    .hasMessageContaining("another PoP Fleet controller is already using the data directory " + dir)
                    .hasMessageContaining("controller.lock")
                    .hasMessageNotContaining("\n");
            try (Connection c = connect(first)) {
                assertThat(c.isValid(5)).as("the first controller's database still answers").isTrue();
            }
        }
        // Once the first one stopped, the directory is free again.
        try (EmbeddedPostgres again = EmbeddedPostgres.start(dir, false); Connection c = connect(again)) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void passwordIsRequiredAndKeptInAPrivateFile() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, false)) {
            Path passwordFile = dir.resolve("postgres.password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(pg.password()).hasSizeGreaterThan(30);
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.username(), "wrong").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThat(pg.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
        }
    }

    @Test
    void aServerLeftRunningByAKilledControllerIsTakenOver() throws Exception {
        EmbeddedPostgres orphan = EmbeddedPostgres.start(dir, false);
        // No close(): as after kill -9 of the controller, the server keeps running with its pid file, and the
        // operating system has released the dead controller's lock.
        orphan.releaseLockAsIfKilled();
        assertThat(dir.resolve("pgdata/postmaster.pid")).exists();
        try (EmbeddedPostgres next = EmbeddedPostgres.start(dir, false); Connection c = connect(next)) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> connect(orphan).close()).isInstanceOf(SQLException.class);
    }

    private static Connection connect(EmbeddedPostgres pg) throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
    }
}

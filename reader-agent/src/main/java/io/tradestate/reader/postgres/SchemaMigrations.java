package io.tradestate.reader.postgres;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Brings the database schema to the version this agent was built with, at every start: Flyway applies the
 * migrations under {@code classpath:db/migration} that the database lacks, each in its own transaction, and records
 * them in {@code flyway_schema_history}.
 * <p>
 * <b>Design note.</b> A first start on an empty database creates everything; later starts upgrade in place, and do
 * nothing when the schema is current. Three states stop the agent with a message instead, because writing into them
 * could lose or corrupt data: a database whose schema is <em>newer</em> than the agent (an older agent restarted
 * after an upgrade; Flyway would only skip such migrations by default), a migration recorded as failed, and a
 * non-empty schema without Flyway's history table (not a TradeState database). Validation on migrate also fails
 * when an applied script was edited since, so the history stays a contract. {@code clean} stays disabled.
 */
public final class SchemaMigrations
{
    /**
     * Where the migration scripts are, {@code V<version>__<description>.sql}.
     */
    public static final String LOCATION = "classpath:db/migration";

    /**
     * The newest schema version this agent knows: the highest {@code V<version>} script in {@link #LOCATION}
     * ({@code SchemaMigrationsTest} keeps the two equal).
     */
    public static final int LATEST_VERSION = 14;

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations()
    {
    }

    /**
     * Outcome of {@link #migrate(DataSource)}.
     *
     * @param versionBefore      schema version found, or {@code null} for an empty database.
     * @param versionAfter       schema version now, the newest this agent knows.
     * @param migrationsExecuted how many migrations were applied; 0 when the schema was current.
     */
    public record Result(String versionBefore, String versionAfter, int migrationsExecuted)
    {
    }

    /**
     * Apply the pending migrations, or fail if the database cannot be brought to the version this agent knows.
     *
     * @param dataSource of the database; connections are opened and closed by Flyway.
     * @return the versions before and after, and how many migrations ran.
     * @throws IllegalStateException if the schema is newer than this agent or a migration is recorded as failed.
     * @throws org.flywaydb.core.api.FlywayException if a migration fails (it is rolled back) or validation fails.
     */
    public static Result migrate(final DataSource dataSource)
    {
        if (null == dataSource)
        {
            throw new IllegalArgumentException("dataSource must be set");
        }

        final Flyway flyway = flyway(dataSource);
        final MigrationInfoService info = flyway.info();
        final String versionBefore = version(info.current());
        final String newestKnown = newestKnown(info);
        checkNotNewer(info, versionBefore, newestKnown);
        LOG.info("Database schema at version {}; this agent knows up to version {}",
            null == versionBefore ? "none (empty database)" : versionBefore, newestKnown);

        final MigrateResult result = flyway.migrate();
        final String versionAfter = version(flyway.info().current());
        if (result.migrationsExecuted > 0)
        {
            LOG.info("Database schema migrated from version {} to {} ({} migrations in {} ms)",
                null == versionBefore ? "none" : versionBefore, versionAfter, result.migrationsExecuted,
                result.getTotalMigrationTime());
        }
        else
        {
            LOG.info("Database schema is current at version {}", versionAfter);
        }
        return new Result(versionBefore, versionAfter, result.migrationsExecuted);
    }

    private static Flyway flyway(final DataSource dataSource)
    {
        return Flyway.configure()
            .dataSource(dataSource)
            .locations(LOCATION)
            .failOnMissingLocations(true)
            .validateMigrationNaming(true)
            .validateOnMigrate(true)
            .baselineOnMigrate(false)
            .outOfOrder(false)
            .cleanDisabled(true)
            .loggers("slf4j")
            .load();
    }

    /**
     * Flyway's default ({@code ignoreMigrationPatterns = *:future}) would start an old agent on a newer schema;
     * refuse, naming both versions.
     */
    private static void checkNotNewer(
        final MigrationInfoService info, final String versionBefore, final String newestKnown)
    {
        final String unknown = Arrays.stream(info.applied())
            .filter((migration) -> migration.getState() == MigrationState.FUTURE_SUCCESS ||
                migration.getState() == MigrationState.FUTURE_FAILED)
            .map((migration) -> migration.getVersion() + " (" + migration.getDescription() + ")")
            .collect(Collectors.joining(", "));
        if (!unknown.isEmpty())
        {
            throw new IllegalStateException("The database schema is at version " + versionBefore +
                ", newer than this agent knows (up to " + newestKnown + "); unknown migrations applied: " + unknown +
                ". Run the agent version that made it, or point this agent at another database");
        }

        final String failed = Arrays.stream(info.applied())
            .filter((migration) -> migration.getState().isFailed())
            .map((migration) -> migration.getVersion() + " (" + migration.getDescription() + ")")
            .collect(Collectors.joining(", "));
        if (!failed.isEmpty())
        {
            throw new IllegalStateException("Migrations recorded as failed in flyway_schema_history: " + failed +
                ". Repair the database by hand before starting the agent");
        }
    }

    private static String newestKnown(final MigrationInfoService info)
    {
        return Arrays.stream(info.all())
            .filter((migration) -> migration.getState().isResolved() && null != migration.getVersion())
            .map(MigrationInfo::getVersion)
            .max(MigrationVersion::compareTo)
            .map(MigrationVersion::getVersion)
            .orElseThrow(() -> new IllegalStateException("no migration found at " + LOCATION));
    }

    private static String version(final MigrationInfo migration)
    {
        return null == migration || null == migration.getVersion() ? null : migration.getVersion().getVersion();
    }
}

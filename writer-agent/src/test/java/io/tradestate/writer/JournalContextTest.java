package io.tradestate.writer;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.tradestate.writer.JournalConfiguration.BLOCK_SIZE_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.HEARTBEAT_INTERVAL_MS_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.JOURNAL_ROOT_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.KEEP_WARM_INTERVAL_US_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.MAINTENANCE_IDLE_MS_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.PRETOUCH_AHEAD_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.PRETOUCH_ENABLED_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.ROLL_CYCLE_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.SOURCE_ID_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.SYNC_EVERY_APPENDS_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.SYNC_INTERVAL_MS_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.SYNC_POLICY_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.WARM_UP_APPENDS_PROP_NAME;
import static io.tradestate.writer.JournalConfiguration.WARM_UP_DIR_PROP_NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal context is configured once, from system properties or code, validated as a whole by
 * {@link JournalContext#conclude()} with a message naming the property of the bad setting, then sealed.
 */
class JournalContextTest
{
    private static final String[] KEYS =
    {
        JOURNAL_ROOT_PROP_NAME, SOURCE_ID_PROP_NAME, ROLL_CYCLE_PROP_NAME, BLOCK_SIZE_PROP_NAME, SYNC_POLICY_PROP_NAME,
        SYNC_EVERY_APPENDS_PROP_NAME, SYNC_INTERVAL_MS_PROP_NAME, PRETOUCH_ENABLED_PROP_NAME, PRETOUCH_AHEAD_PROP_NAME,
        HEARTBEAT_INTERVAL_MS_PROP_NAME, MAINTENANCE_IDLE_MS_PROP_NAME, WARM_UP_APPENDS_PROP_NAME,
        WARM_UP_DIR_PROP_NAME, KEEP_WARM_INTERVAL_US_PROP_NAME,
    };

    private final Map<String, String> savedProperties = new HashMap<>();

    @TempDir
    Path root;

    @BeforeEach
    void clearProperties()
    {
        for (final String key : KEYS)
        {
            final String value = System.clearProperty(key);
            if (null != value)
            {
                savedProperties.put(key, value);
            }
        }
    }

    @AfterEach
    void restoreProperties()
    {
        for (final String key : KEYS)
        {
            System.clearProperty(key);
        }
        savedProperties.forEach(System::setProperty);
    }

    @Test
    void shouldApplyTheDocumentedDefaultsWhenNoPropertyIsSet()
    {
        final JournalContext context = new JournalContext().sourceId("s").conclude();

        assertEquals(Paths.get(JournalConfiguration.JOURNAL_ROOT_DEFAULT), context.journalRoot());
        assertEquals(Paths.get(JournalConfiguration.JOURNAL_ROOT_DEFAULT, "s"), context.queueDirectory());
        assertEquals(RollCycles.FAST_DAILY, context.rollCycle());
        assertEquals(JournalConfiguration.BLOCK_SIZE_DEFAULT, context.blockSizeBytes());
        assertEquals(64L * 1024 * 1024, context.blockSizeBytes());
        assertEquals(SyncPolicy.NONE, context.syncPolicy());
        assertEquals(JournalConfiguration.SYNC_EVERY_APPENDS_DEFAULT, context.syncEveryAppends());
        assertEquals(JournalConfiguration.SYNC_INTERVAL_MS_DEFAULT, context.syncIntervalMs());
        assertTrue(context.pretouchEnabled());
        assertEquals(JournalConfiguration.PRETOUCH_AHEAD_DEFAULT, context.pretouchAheadBytes());
        assertEquals(JournalConfiguration.HEARTBEAT_INTERVAL_MS_DEFAULT, context.heartbeatIntervalMs());
        assertEquals(JournalConfiguration.MAINTENANCE_IDLE_MS_DEFAULT, context.maintenanceIdleMs());
        assertEquals(JournalConfiguration.WARM_UP_APPENDS_DEFAULT, context.warmUpAppends());
        assertEquals(Paths.get(System.getProperty("java.io.tmpdir")), context.warmUpDirectory());
        assertEquals(JournalConfiguration.KEEP_WARM_INTERVAL_US_DEFAULT, context.keepWarmIntervalUs());
        assertNotNull(context.epochNanoClock());
        assertSame(SystemTimeProvider.INSTANCE, context.timeProvider());
        assertPrintableHost(context.host());
    }

    @Test
    void shouldReadEverySettingFromSystemPropertiesWhenTheyAreSet()
    {
        System.setProperty(JOURNAL_ROOT_PROP_NAME, root.toString());
        System.setProperty(SOURCE_ID_PROP_NAME, "from-properties");
        System.setProperty(ROLL_CYCLE_PROP_NAME, "FAST_HOURLY");
        System.setProperty(BLOCK_SIZE_PROP_NAME, "2m");
        System.setProperty(SYNC_POLICY_PROP_NAME, "EVERY_N_APPENDS");
        System.setProperty(SYNC_EVERY_APPENDS_PROP_NAME, "7");
        System.setProperty(SYNC_INTERVAL_MS_PROP_NAME, "25");
        System.setProperty(PRETOUCH_ENABLED_PROP_NAME, "false");
        System.setProperty(PRETOUCH_AHEAD_PROP_NAME, "8k");
        System.setProperty(HEARTBEAT_INTERVAL_MS_PROP_NAME, "0");
        System.setProperty(MAINTENANCE_IDLE_MS_PROP_NAME, "5");
        System.setProperty(WARM_UP_APPENDS_PROP_NAME, "250");
        System.setProperty(WARM_UP_DIR_PROP_NAME, root.resolve("warm-up").toString());
        System.setProperty(KEEP_WARM_INTERVAL_US_PROP_NAME, "100");

        final JournalContext context = new JournalContext().conclude();

        assertEquals(root, context.journalRoot());
        assertEquals("from-properties", context.sourceId());
        assertEquals(root.resolve("from-properties"), context.queueDirectory());
        assertEquals(RollCycles.FAST_HOURLY, context.rollCycle());
        assertEquals(2L * 1024 * 1024, context.blockSizeBytes());
        assertEquals(SyncPolicy.EVERY_N_APPENDS, context.syncPolicy());
        assertEquals(7, context.syncEveryAppends());
        assertEquals(25, context.syncIntervalMs());
        assertFalse(context.pretouchEnabled());
        assertEquals(8 * 1024, context.pretouchAheadBytes());
        assertEquals(0, context.heartbeatIntervalMs());
        assertEquals(5, context.maintenanceIdleMs());
        assertEquals(250, context.warmUpAppends());
        assertEquals(root.resolve("warm-up"), context.warmUpDirectory());
        assertEquals(100, context.keepWarmIntervalUs());
    }

    @Test
    void shouldOpenAJournalConfiguredOnlyBySystemPropertiesWhenTheyAreValid()
    {
        System.setProperty(JOURNAL_ROOT_PROP_NAME, root.toString());
        System.setProperty(SOURCE_ID_PROP_NAME, "by-props");
        System.setProperty(HEARTBEAT_INTERVAL_MS_PROP_NAME, "0");
        System.setProperty(PRETOUCH_ENABLED_PROP_NAME, "false");

        try (TradeJournal journal = TradeJournal.open(new JournalContext()))
        {
            assertEquals("by-props", journal.sourceId());
            assertEquals(root.resolve("by-props"), journal.queueDirectory());
        }

        assertTrue(Files.isDirectory(root.resolve("by-props")));
        assertEquals(1, JournalExcerpts.readAll(root.resolve("by-props")).size());
    }

    @Test
    void shouldPreferValuesSetInCodeWhenPropertiesAreAlsoSet()
    {
        System.setProperty(JOURNAL_ROOT_PROP_NAME, "/nowhere");
        System.setProperty(SOURCE_ID_PROP_NAME, "from-properties");
        System.setProperty(ROLL_CYCLE_PROP_NAME, "NOT_A_ROLL_CYCLE");
        System.setProperty(BLOCK_SIZE_PROP_NAME, "3m");
        System.setProperty(SYNC_POLICY_PROP_NAME, "NOT_A_POLICY");
        System.setProperty(SYNC_EVERY_APPENDS_PROP_NAME, "0");
        System.setProperty(SYNC_INTERVAL_MS_PROP_NAME, "0");
        System.setProperty(PRETOUCH_ENABLED_PROP_NAME, "true");
        System.setProperty(PRETOUCH_AHEAD_PROP_NAME, "1k");
        System.setProperty(HEARTBEAT_INTERVAL_MS_PROP_NAME, "-1");
        System.setProperty(MAINTENANCE_IDLE_MS_PROP_NAME, "0");
        System.setProperty(WARM_UP_APPENDS_PROP_NAME, "-1");
        System.setProperty(KEEP_WARM_INTERVAL_US_PROP_NAME, "-1");

        final JournalContext context = new JournalContext()
            .journalRoot(root)
            .sourceId("from-code")
            .rollCycle(RollCycles.FAST_HOURLY)
            .blockSizeBytes(1024 * 1024)
            .syncPolicy(SyncPolicy.INTERVAL)
            .syncEveryAppends(3)
            .syncIntervalMs(10)
            .pretouchEnabled(false)
            .pretouchAheadBytes(4096)
            .heartbeatIntervalMs(250)
            .maintenanceIdleMs(1000)
            .warmUpAppends(0)
            .keepWarmIntervalUs(60_000_000L)
            .conclude();

        assertEquals(root, context.journalRoot());
        assertEquals("from-code", context.sourceId());
        assertEquals(RollCycles.FAST_HOURLY, context.rollCycle());
        assertEquals(1024 * 1024, context.blockSizeBytes());
        assertEquals(SyncPolicy.INTERVAL, context.syncPolicy());
        assertEquals(3, context.syncEveryAppends());
        assertEquals(10, context.syncIntervalMs());
        assertFalse(context.pretouchEnabled());
        assertEquals(4096, context.pretouchAheadBytes());
        assertEquals(250, context.heartbeatIntervalMs());
        assertEquals(1000, context.maintenanceIdleMs());
        assertEquals(0, context.warmUpAppends());
        assertEquals(60_000_000L, context.keepWarmIntervalUs());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        SOURCE_ID_PROP_NAME + "|''",
        SOURCE_ID_PROP_NAME + "|-leading-dash",
        SOURCE_ID_PROP_NAME + "|.hidden",
        SOURCE_ID_PROP_NAME + "|_underscore",
        SOURCE_ID_PROP_NAME + "|..",
        SOURCE_ID_PROP_NAME + "|has space",
        SOURCE_ID_PROP_NAME + "|slash/inside",
        SOURCE_ID_PROP_NAME + "|back\\slash",
        SOURCE_ID_PROP_NAME + "|colon:inside",
        SOURCE_ID_PROP_NAME + "|caf\u00E9",
        SOURCE_ID_PROP_NAME + "|a23456789012345678901234567890123",
        ROLL_CYCLE_PROP_NAME + "|NOT_A_ROLL_CYCLE",
        ROLL_CYCLE_PROP_NAME + "|fast_daily",
        ROLL_CYCLE_PROP_NAME + "|''",
        BLOCK_SIZE_PROP_NAME + "|3m",
        BLOCK_SIZE_PROP_NAME + "|1000000",
        BLOCK_SIZE_PROP_NAME + "|1048575",
        BLOCK_SIZE_PROP_NAME + "|512k",
        BLOCK_SIZE_PROP_NAME + "|0",
        SYNC_POLICY_PROP_NAME + "|ALWAYS",
        SYNC_POLICY_PROP_NAME + "|none",
        SYNC_POLICY_PROP_NAME + "|''",
        SYNC_EVERY_APPENDS_PROP_NAME + "|0",
        SYNC_EVERY_APPENDS_PROP_NAME + "|-5",
        SYNC_INTERVAL_MS_PROP_NAME + "|0",
        SYNC_INTERVAL_MS_PROP_NAME + "|-1",
        PRETOUCH_AHEAD_PROP_NAME + "|4095",
        PRETOUCH_AHEAD_PROP_NAME + "|0",
        PRETOUCH_AHEAD_PROP_NAME + "|128m",
        HEARTBEAT_INTERVAL_MS_PROP_NAME + "|-1",
        HEARTBEAT_INTERVAL_MS_PROP_NAME + "|" + Long.MIN_VALUE,
        MAINTENANCE_IDLE_MS_PROP_NAME + "|0",
        MAINTENANCE_IDLE_MS_PROP_NAME + "|1001",
        MAINTENANCE_IDLE_MS_PROP_NAME + "|-1",
        WARM_UP_APPENDS_PROP_NAME + "|-1",
        KEEP_WARM_INTERVAL_US_PROP_NAME + "|-1",
        KEEP_WARM_INTERVAL_US_PROP_NAME + "|60000001",
    })
    void shouldRejectWithThePropertyNameWhenASystemPropertyIsInvalid(final String key, final String value)
    {
        System.setProperty(SOURCE_ID_PROP_NAME, "valid-source");
        System.setProperty(key, value);
        final JournalContext context = new JournalContext().journalRoot(root);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(ex.getMessage().contains(key), ex.getMessage());
        assertFalse(Files.exists(root.resolve("valid-source")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void shouldRejectWithThePropertyNameWhenASettingInCodeIsInvalid(final Setting setting)
    {
        final JournalContext context = new JournalContext().journalRoot(root).sourceId("valid-source");
        setting.apply.accept(context);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(ex.getMessage().contains(setting.key), ex.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEdgeSettings")
    void shouldConcludeWhenASettingIsAtTheEdgeOfItsRange(final Setting setting)
    {
        final JournalContext context = new JournalContext().journalRoot(root).sourceId("valid-source");
        setting.apply.accept(context);

        context.conclude();
    }

    @Test
    void shouldRejectWithThePropertyNameWhenNoSourceIdIsGiven()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new JournalContext().journalRoot(root).conclude());
        assertTrue(ex.getMessage().contains(SOURCE_ID_PROP_NAME), ex.getMessage());
    }

    @Test
    void shouldRejectWithThePropertyNameWhenTheJournalRootIsNull()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> new JournalContext().journalRoot(null).sourceId("s").conclude());
        assertTrue(ex.getMessage().contains(JOURNAL_ROOT_PROP_NAME), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "-1m", "-4096" })
    void shouldRejectWithThePropertyNameWhenASizePropertyIsNegative(final String value)
    {
        System.setProperty(BLOCK_SIZE_PROP_NAME, value);
        final IllegalArgumentException blockSize = assertThrows(IllegalArgumentException.class, JournalContext::new);
        assertTrue(blockSize.getMessage().contains(BLOCK_SIZE_PROP_NAME), blockSize.getMessage());

        System.clearProperty(BLOCK_SIZE_PROP_NAME);
        System.setProperty(PRETOUCH_AHEAD_PROP_NAME, value);
        final IllegalArgumentException ahead = assertThrows(IllegalArgumentException.class, JournalContext::new);
        assertTrue(ahead.getMessage().contains(PRETOUCH_AHEAD_PROP_NAME), ahead.getMessage());
    }

    @Test
    void shouldRefuseEverySetterWhenConcluded()
    {
        final JournalContext context = new JournalContext().journalRoot(root).sourceId("sealed").conclude();

        assertSealed(context);
    }

    @Test
    void shouldRefuseASecondConcludeWhenConcluded()
    {
        final JournalContext context = new JournalContext().journalRoot(root).sourceId("sealed").conclude();

        assertThrows(IllegalStateException.class, context::conclude);
        assertEquals("sealed", context.sourceId());
    }

    @Test
    void shouldConcludeTheContextWhenAJournalIsOpenedWithIt()
    {
        final JournalContext context = new JournalContext()
            .journalRoot(root).sourceId("opened").heartbeatIntervalMs(0).pretouchEnabled(false);

        try (TradeJournal journal = TradeJournal.open(context))
        {
            assertSame(context, journal.context());
            assertSealed(context);
            assertThrows(IllegalStateException.class, () -> TradeJournal.open(context));
        }
    }

    @Test
    void shouldStayOpenToChangesWhenConcludeFails()
    {
        final JournalContext context = new JournalContext().journalRoot(root).sourceId("bad id");
        assertThrows(IllegalArgumentException.class, context::conclude);

        context.sourceId("good-id").heartbeatIntervalMs(-1);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);
        assertTrue(ex.getMessage().contains(HEARTBEAT_INTERVAL_MS_PROP_NAME), ex.getMessage());

        context.heartbeatIntervalMs(0).conclude();
        assertEquals("good-id", context.sourceId());
        assertSealed(context);
    }

    @Test
    void shouldCreateNothingWhenTheContextIsInvalid()
    {
        final JournalContext context = new JournalContext().journalRoot(root).sourceId("never").blockSizeBytes(3);

        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> TradeJournal.open(context));
        assertTrue(ex.getMessage().contains(BLOCK_SIZE_PROP_NAME), ex.getMessage());
        final File[] created = root.toFile().listFiles();
        assertNotNull(created);
        assertEquals(0, created.length);
    }

    @Test
    void shouldAcceptEverySourceIdCharacterWhenTheIdMatchesThePattern()
    {
        for (final String sourceId : List.of(
            "a", "Z", "0", "a23456789012345678901234567890ab", "Mom-1.v2_final", "9.-_", "a..b"))
        {
            assertEquals(sourceId, new JournalContext().journalRoot(root).sourceId(sourceId).conclude().sourceId());
        }
    }

    @Test
    void shouldMakeTheHostNamePrintableWhenItHasSpacesOrControlOrNonAsciiCharacters()
    {
        final JournalContext context = new JournalContext()
            .journalRoot(root).sourceId("s").host("my host\u00E9\t'quoted'\"").conclude();

        assertEquals("my?host??'quoted'\"", context.host());
    }

    @Test
    void shouldCutTheHostNameWhenItIsLongerThanTheSchemaField()
    {
        final String longHost = "h".repeat(64) + "-cut-off";
        final JournalContext context = new JournalContext().journalRoot(root).sourceId("s").host(longHost).conclude();

        assertEquals("h".repeat(64), context.host());
    }

    @Test
    void shouldFallBackToUnknownWhenTheHostNameIsEmpty()
    {
        assertEquals("unknown", new JournalContext().journalRoot(root).sourceId("s").host("").conclude().host());
    }

    @Test
    void shouldKeepTheClockAndTimeProviderWhenSetInCode()
    {
        final SystemEpochNanoClock clock = new SystemEpochNanoClock();
        final JournalContext context = new JournalContext()
            .journalRoot(root).sourceId("s").epochNanoClock(clock).timeProvider(SystemTimeProvider.INSTANCE)
            .conclude();

        assertSame(clock, context.epochNanoClock());
        assertSame(SystemTimeProvider.INSTANCE, context.timeProvider());
    }

    static List<Setting> invalidSettings()
    {
        return List.of(
            new Setting(SOURCE_ID_PROP_NAME, "sourceId null", (context) -> context.sourceId(null)),
            new Setting(SOURCE_ID_PROP_NAME, "sourceId empty", (context) -> context.sourceId("")),
            new Setting(SOURCE_ID_PROP_NAME, "sourceId 33 characters", (context) -> context.sourceId("a".repeat(33))),
            new Setting(SOURCE_ID_PROP_NAME, "sourceId with a path", (context) -> context.sourceId("../etc")),
            new Setting(SOURCE_ID_PROP_NAME, "sourceId with a newline", (context) -> context.sourceId("a\nb")),
            new Setting(BLOCK_SIZE_PROP_NAME, "blockSizeBytes 3 MiB", (context) -> context.blockSizeBytes(3 << 20)),
            new Setting(BLOCK_SIZE_PROP_NAME, "blockSizeBytes 512 KiB", (context) -> context.blockSizeBytes(1 << 19)),
            new Setting(BLOCK_SIZE_PROP_NAME, "blockSizeBytes 0", (context) -> context.blockSizeBytes(0)),
            new Setting(BLOCK_SIZE_PROP_NAME, "blockSizeBytes -1 MiB", (context) -> context.blockSizeBytes(-(1 << 20))),
            new Setting(BLOCK_SIZE_PROP_NAME, "blockSizeBytes Long.MIN_VALUE",
                (context) -> context.blockSizeBytes(Long.MIN_VALUE)),
            new Setting(SYNC_EVERY_APPENDS_PROP_NAME, "syncEveryAppends 0", (context) -> context.syncEveryAppends(0)),
            new Setting(SYNC_INTERVAL_MS_PROP_NAME, "syncIntervalMs 0", (context) -> context.syncIntervalMs(0)),
            new Setting(PRETOUCH_AHEAD_PROP_NAME, "pretouchAheadBytes 4095",
                (context) -> context.pretouchAheadBytes(4095)),
            new Setting(PRETOUCH_AHEAD_PROP_NAME, "pretouchAheadBytes above the block size",
                (context) -> context.blockSizeBytes(1 << 20).pretouchAheadBytes((1 << 20) + 1)),
            new Setting(HEARTBEAT_INTERVAL_MS_PROP_NAME, "heartbeatIntervalMs -1",
                (context) -> context.heartbeatIntervalMs(-1)),
            new Setting(MAINTENANCE_IDLE_MS_PROP_NAME, "maintenanceIdleMs 0",
                (context) -> context.maintenanceIdleMs(0)),
            new Setting(MAINTENANCE_IDLE_MS_PROP_NAME, "maintenanceIdleMs 1001",
                (context) -> context.maintenanceIdleMs(1001)),
            new Setting(WARM_UP_APPENDS_PROP_NAME, "warmUpAppends -1", (context) -> context.warmUpAppends(-1)),
            new Setting(WARM_UP_DIR_PROP_NAME, "warmUpDirectory null with the warm-up on",
                (context) -> context.warmUpAppends(1).warmUpDirectory(null)),
            new Setting(KEEP_WARM_INTERVAL_US_PROP_NAME, "keepWarmIntervalUs -1",
                (context) -> context.keepWarmIntervalUs(-1)),
            new Setting(KEEP_WARM_INTERVAL_US_PROP_NAME, "keepWarmIntervalUs above 60 s",
                (context) -> context.keepWarmIntervalUs(60_000_001L)));
    }

    static List<Setting> validEdgeSettings()
    {
        return List.of(
            new Setting(SOURCE_ID_PROP_NAME, "sourceId 32 characters", (context) -> context.sourceId("a".repeat(32))),
            new Setting(BLOCK_SIZE_PROP_NAME, "blockSizeBytes 1 MiB with 1 MiB ahead",
                (context) -> context.blockSizeBytes(1 << 20).pretouchAheadBytes(1 << 20)),
            new Setting(BLOCK_SIZE_PROP_NAME, "blockSizeBytes 1 GiB", (context) -> context.blockSizeBytes(1 << 30)),
            new Setting(SYNC_EVERY_APPENDS_PROP_NAME, "syncEveryAppends 1", (context) -> context.syncEveryAppends(1)),
            new Setting(SYNC_INTERVAL_MS_PROP_NAME, "syncIntervalMs 1", (context) -> context.syncIntervalMs(1)),
            new Setting(PRETOUCH_AHEAD_PROP_NAME, "pretouchAheadBytes 4096",
                (context) -> context.pretouchAheadBytes(4096)),
            new Setting(PRETOUCH_AHEAD_PROP_NAME, "pretouchAheadBytes above a 1 MiB block with pretouch off",
                (context) -> context.pretouchEnabled(false).blockSizeBytes(1 << 20).pretouchAheadBytes(2 << 20)),
            new Setting(PRETOUCH_AHEAD_PROP_NAME, "pretouchAheadBytes equal to the block size",
                (context) -> context.pretouchAheadBytes(context.blockSizeBytes())),
            new Setting(HEARTBEAT_INTERVAL_MS_PROP_NAME, "heartbeatIntervalMs 0 (off)",
                (context) -> context.heartbeatIntervalMs(0)),
            new Setting(MAINTENANCE_IDLE_MS_PROP_NAME, "maintenanceIdleMs 1",
                (context) -> context.maintenanceIdleMs(1)),
            new Setting(MAINTENANCE_IDLE_MS_PROP_NAME, "maintenanceIdleMs 1000",
                (context) -> context.maintenanceIdleMs(1000)),
            new Setting(WARM_UP_APPENDS_PROP_NAME, "warmUpAppends 0 (off) without a folder",
                (context) -> context.warmUpAppends(0).warmUpDirectory(null)),
            new Setting(KEEP_WARM_INTERVAL_US_PROP_NAME, "keepWarmIntervalUs 0",
                (context) -> context.keepWarmIntervalUs(0)),
            new Setting(KEEP_WARM_INTERVAL_US_PROP_NAME, "keepWarmIntervalUs 60 s",
                (context) -> context.keepWarmIntervalUs(60_000_000L)));
    }

    private static void assertSealed(final JournalContext context)
    {
        assertThrows(IllegalStateException.class, () -> context.journalRoot(Paths.get("/tmp")));
        assertThrows(IllegalStateException.class, () -> context.sourceId("other"));
        assertThrows(IllegalStateException.class, () -> context.rollCycle(RollCycles.FAST_HOURLY));
        assertThrows(IllegalStateException.class, () -> context.blockSizeBytes(1 << 20));
        assertThrows(IllegalStateException.class, () -> context.syncPolicy(SyncPolicy.EVERY_APPEND));
        assertThrows(IllegalStateException.class, () -> context.syncEveryAppends(1));
        assertThrows(IllegalStateException.class, () -> context.syncIntervalMs(1));
        assertThrows(IllegalStateException.class, () -> context.pretouchEnabled(true));
        assertThrows(IllegalStateException.class, () -> context.pretouchAheadBytes(4096));
        assertThrows(IllegalStateException.class, () -> context.heartbeatIntervalMs(1));
        assertThrows(IllegalStateException.class, () -> context.maintenanceIdleMs(1));
        assertThrows(IllegalStateException.class, () -> context.warmUpAppends(1));
        assertThrows(IllegalStateException.class, () -> context.warmUpDirectory(Paths.get("/tmp")));
        assertThrows(IllegalStateException.class, () -> context.keepWarmIntervalUs(1));
        assertThrows(IllegalStateException.class, () -> context.epochNanoClock(new SystemEpochNanoClock()));
        assertThrows(IllegalStateException.class, () -> context.timeProvider(SystemTimeProvider.INSTANCE));
        assertThrows(IllegalStateException.class, () -> context.host("other"));
    }

    private static void assertPrintableHost(final String host)
    {
        assertNotNull(host);
        assertFalse(host.isEmpty());
        assertTrue(host.length() <= 64, host);
        for (int i = 0; i < host.length(); i++)
        {
            final char c = host.charAt(i);
            assertTrue(c > 0x20 && c <= 0x7E, host);
        }
    }

    static final class Setting
    {
        private final String key;
        private final String description;
        private final Consumer<JournalContext> apply;

        Setting(final String key, final String description, final Consumer<JournalContext> apply)
        {
            this.key = key;
            this.description = description;
            this.apply = apply;
        }

        public String toString()
        {
            return description;
        }
    }
}

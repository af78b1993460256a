package io.tradestate.writer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules that protect the database downstream: text PostgreSQL cannot store, and events that make no sense.
 */
class JournalEventRulesTest
{
    @TempDir
    Path root;

    private TradeJournal journal;

    @BeforeEach
    void open()
    {
        journal = TradeJournal.open(new JournalContext().journalRoot(root).sourceId("rules").heartbeatIntervalMs(0));
    }

    @AfterEach
    void close()
    {
        journal.close();
    }

    @Test
    void shouldRefuseANulCharacterInFreeText()
    {
        final PairLockEvent lock = journal.pairLock().pair("BTC/USDT");
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> lock.reason("stop\u0000loss"));
        assertTrue(ex.getMessage().contains("PairLock.reason"), ex.getMessage());
        assertFalse(lock.isOpen());
    }

    @Test
    void shouldRefuseAnUnlockByAnEmptyReason()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> journal.pairUnlock().reason("").commit());
        assertTrue(ex.getMessage().contains("PairUnlock.reason"), ex.getMessage());
    }

    @Test
    void shouldRefuseALockEndingBeforeTheAppendTimeWhenNoLockTimeIsSet()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> journal.pairLock().pair("BTC/USDT").lockEndTimeMs(0).commit());
        assertTrue(ex.getMessage().contains("PairLock.lockEndTimeMs"), ex.getMessage());
        assertEquals(1, JournalExcerpts.readAll(root.resolve("rules")).size(), "only SourceStarted");
    }

    @Test
    void shouldAcceptALockEndingInTheFutureWhenNoLockTimeIsSet()
    {
        journal.pairLock().pair("*").lockEndTimeMs(System.currentTimeMillis() + 60_000).commit();
        assertEquals(2, JournalExcerpts.readAll(root.resolve("rules")).size());
    }
}

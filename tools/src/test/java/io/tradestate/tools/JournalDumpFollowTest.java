package io.tradestate.tools;

import io.tradestate.codecs.Side;
import io.tradestate.writer.TradeJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.tradestate.tools.TestJournals.T0_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --follow} on a live journal: the dump runs on its own thread while the test appends. Every wait is for a
 * line or for the dump to end, never for a fixed time.
 */
class JournalDumpFollowTest
{
    @TempDir
    Path root;

    private final ManualEpochNanoClock clock = new ManualEpochNanoClock(T0_NS);
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final LineQueueWriter out = new LineQueueWriter();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private TradeJournal journal;

    @AfterEach
    void close() throws InterruptedException
    {
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        if (null != journal)
        {
            journal.close();
        }
    }

    @Test
    void shouldPrintAnEventAppendedAfterItStartedWhenFollowing() throws Exception
    {
        journal = TestJournals.open(root, clock);
        final JournalDumpTool tool = tool("--follow");
        final Future<Integer> exitCode = start(tool);

        assertEquals("SourceStarted", type(out.nextLine()));
        final long fillIndex = fill("f-1");
        final Map<String, Object> line = JsonLine.parse(out.nextLine());
        assertEquals(fillIndex, line.get("index"));
        assertEquals("f-1", line.get("fillId"));
        final long heartbeatIndex = journal.heartbeat();
        assertEquals(heartbeatIndex, JsonLine.parse(out.nextLine()).get("index"));

        tool.requestStop();
        assertEquals(JournalDumpTool.EXIT_OK, exitCode.get(30, TimeUnit.SECONDS));
        assertEquals(0, out.pendingLines());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldApplyFiltersToNewEventsWhenFollowing() throws Exception
    {
        journal = TestJournals.open(root, clock);
        final Future<Integer> exitCode = start(tool("--follow", "--type", "Fill", "--limit", "2"));

        journal.heartbeat();
        final long first = fill("f-1");
        journal.heartbeat();
        final long second = fill("f-2");
        fill("f-3");

        assertEquals(first, JsonLine.parse(out.nextLine()).get("index"));
        assertEquals(second, JsonLine.parse(out.nextLine()).get("index"));
        assertEquals(JournalDumpTool.EXIT_OK, exitCode.get(30, TimeUnit.SECONDS), "the limit ends a follow");
        assertEquals(0, out.pendingLines());
    }

    @Test
    void shouldEndWithExitOkWhenStoppedWhileWaitingForEvents() throws Exception
    {
        journal = TestJournals.open(root, clock);
        final JournalDumpTool tool = tool("--follow");
        final Future<Integer> exitCode = start(tool);
        assertEquals("SourceStarted", type(out.nextLine()));

        tool.requestStop();

        assertEquals(JournalDumpTool.EXIT_OK, exitCode.get(30, TimeUnit.SECONDS).intValue());
    }

    private Future<Integer> start(final JournalDumpTool tool)
    {
        return executor.submit((Callable<Integer>)tool::run);
    }

    private JournalDumpTool tool(final String... options)
    {
        final String[] args = new String[options.length + 1];
        args[0] = TestJournals.queueDirectory(root).toString();
        System.arraycopy(options, 0, args, 1, options.length);
        return new JournalDumpTool(DumpOptions.parse(args), out, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private long fill(final String fillId)
    {
        return journal.fill()
            .exchange("binance").symbol("BTC/USDT").fillId(fillId).orderId("o-1").side(Side.BUY).price(1, 0)
            .amount(1, 0)
            .commit();
    }

    private static String type(final String line)
    {
        return (String)JsonLine.parse(line).get("type");
    }
}

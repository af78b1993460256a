package io.tradestate.reader.drain;

import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.JournalEvent;
import io.tradestate.writer.TradeJournal;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The writer API fuzzed with random arguments: every public setter of every event type, called through reflection
 * on an otherwise valid event with nulls, empty, huge, non-ASCII, control-character and unpaired-surrogate strings,
 * decimals at and beyond the exponent range and mantissa bounds, {@code BigDecimal}s too precise or too large,
 * negative and far-future times, and {@code null} or {@code NULL_VAL} enums. Each event is either refused with an
 * {@link IllegalArgumentException} that names the event and the field, or appended.
 * <p>
 * Then the queue is read back: it holds exactly the {@code SourceStarted} and the appended events, each at the
 * index its commit returned, and the reader agent's own decoder ({@link HistoryRowEncoder}) accepts every one of
 * them: whatever the writer lets in, the drain stores, so a strategy's bug does not become a dead letter.
 * <p>
 * System properties: {@code tradestate.writerfuzz.events} (default {@value #DEFAULT_EVENTS}) and
 * {@code tradestate.writerfuzz.seed} (default: the clock; printed).
 */
class WriterArgumentFuzzTest
{
    private static final int DEFAULT_EVENTS = 20_000;
    private static final String[] EVENT_TYPES =
    {
        "OrderUpdate", "Fill", "TradeUpdate", "PairLock", "PairUnlock", "BalanceUpdate",
    };
    private static final Set<String> NOT_SETTERS = Set.of("commit", "abandon", "isOpen");
    private static final String[] STRINGS =
    {
        "", "*", " ", "BTC/USDT", "x".repeat(15), "x".repeat(16), "x".repeat(17), "x".repeat(32), "x".repeat(33),
        "x".repeat(64), "x".repeat(65), "x".repeat(1024), "x".repeat(1025), "x".repeat(100_000), "é", "€uro", "😀",
        "😀".repeat(256), "😀".repeat(256) + "a", "\u0000", "a\u0000b", "\ud800", "\udc00x", "tab\there",
        "new\nline", "cr\rlf\r\n", "back\\slash", "quote'\"", "'); DROP TABLE orders; --", "\\.", "\\N", "\\\\N",
        "COPY\tTEXT\r\n\\.\n", "\u007f", "\u0085", "\u2028", "\ufeff", "\uffff",
    };
    private static final long[] LONGS =
    {
        0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 253_402_300_799_999L, 253_402_300_800_000L, 1_700_000_000_000L,
        Long.MIN_VALUE + 1, Integer.MAX_VALUE, 1L << 62,
    };
    private static final int[] EXPONENTS = { 0, -18, 18, -19, 19, -128, 127, Integer.MIN_VALUE, Integer.MAX_VALUE };
    private static final String[] DECIMALS =
    {
        "0", "1e-18", "1e-19", "1e18", "1e19", "123456789012345678901234567890", "-9223372036854775808",
        "9223372036854775807", "9223372036854775808", "0.1000000000000000000000", "1E+400", "-1E-400", "0.00",
        "-0", "1.5",
    };

    @TempDir
    Path root;

    private Random random;

    @Test
    void shouldRefuseBadArgumentsNamingTheFieldAndAppendOnlyEventsTheAgentStores() throws Exception
    {
        final long seed = Long.getLong("tradestate.writerfuzz.seed", System.nanoTime());
        final int events = Integer.getInteger("tradestate.writerfuzz.events", DEFAULT_EVENTS);
        System.out.println("seed " + seed + " (-Dtradestate.writerfuzz.seed=" + seed + " repeats the run)");
        random = new Random(seed);

        final TreeMap<Long, String> appended = new TreeMap<>();
        final TreeMap<String, Integer> refusedByField = new TreeMap<>();
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(root).sourceId("writer-fuzz").heartbeatIntervalMs(0).pretouchEnabled(false)))
        {
            for (int i = 0; i < events; i++)
            {
                final String type = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
                final JournalEvent event = validEvent(journal, type, i);
                final List<Method> setters = setters(event.getClass());
                final int calls = 1 + random.nextInt(3);
                String call = null;
                try
                {
                    for (int c = 0; c < calls; c++)
                    {
                        final Method setter = setters.get(random.nextInt(setters.size()));
                        final Object[] arguments = arguments(setter.getParameterTypes());
                        call = type + "." + setter.getName() + describe(arguments);
                        invoke(setter, event, arguments, type);
                    }
                    call = type + ".commit()";
                    appended.put(event.commit(), call);
                }
                catch (final IllegalArgumentException ex)
                {
                    final String field = fieldNamed(ex.getMessage(), type, call);
                    refusedByField.merge(type + "." + field, 1, Integer::sum);
                    assertTrue(!event.isOpen(), "a refused event stays open: " + call);
                }
            }
            final long index = journal.balanceUpdate().exchange("after").asset("FUZZ").total(1, 0).commit();
            appended.put(index, "a valid event after the fuzzing");
        }

        final int excerpts = readBack(appended);
        System.out.printf("%,d events fuzzed: %,d appended, all accepted by the agent's decoder; %,d refused with " +
            "the field named: %s%n", events, appended.size() - 1, events + 1 - appended.size(), refusedByField);
        assertEquals(appended.size() + 1, excerpts, "the queue holds the SourceStarted and the appended events");
    }

    private JournalEvent validEvent(final TradeJournal journal, final String type, final int i)
    {
        switch (type)
        {
            case "OrderUpdate":
                return journal.orderUpdate().exchange("binance").symbol("BTC/USDT").orderId("o" + i).side(Side.BUY)
                    .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).price(6412350, -2).amount(15, -3);
            case "Fill":
                return journal.fill().exchange("binance").symbol("BTC/USDT").fillId("f" + i).orderId("o" + i)
                    .side(Side.SELL).price(6412350, -2).amount(15, -3);
            case "TradeUpdate":
                return journal.tradeUpdate().tradeId(i).openTimeMs(1_700_000_000_000L).strategy("fuzz")
                    .exchange("okx").pair("ETH/USDT").tradingMode(TradingMode.SPOT).openRate(1, 0).amount(2, 0)
                    .stakeAmount(2, 0).isOpen(true);
            case "PairLock":
                return journal.pairLock().pair("BTC/USDT").side(LockSide.LONG).lockTimeMs(1_700_000_000_000L)
                    .lockEndTimeMs(1_700_000_060_000L);
            case "PairUnlock":
                return journal.pairUnlock().pair("BTC/USDT").side(LockSide.ANY).unlockTimeMs(1_700_000_000_000L);
            default:
                return journal.balanceUpdate().exchange("bybit").asset("USDT").total(5, 0);
        }
    }

    private static List<Method> setters(final Class<?> type)
    {
        final List<Method> setters = new ArrayList<>();
        for (final Method method : type.getMethods())
        {
            if (method.getDeclaringClass() == type && !Modifier.isStatic(method.getModifiers()) &&
                method.getReturnType() == type && !NOT_SETTERS.contains(method.getName()))
            {
                setters.add(method);
            }
        }
        setters.sort(Comparator.comparing(Method::toString));
        return setters;
    }

    private Object[] arguments(final Class<?>[] types)
    {
        final Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++)
        {
            final Class<?> type = types[i];
            if (CharSequence.class == type)
            {
                arguments[i] = 0 == random.nextInt(12) ? null : randomString();
            }
            else if (long.class == type)
            {
                arguments[i] = 0 == random.nextInt(4) ? random.nextLong() : LONGS[random.nextInt(LONGS.length)];
            }
            else if (int.class == type)
            {
                arguments[i] = 0 == random.nextInt(4) ? random.nextInt(41) - 20 :
                    EXPONENTS[random.nextInt(EXPONENTS.length)];
            }
            else if (boolean.class == type)
            {
                arguments[i] = random.nextBoolean();
            }
            else if (BigDecimal.class == type)
            {
                arguments[i] = 0 == random.nextInt(10) ? null : 0 == random.nextInt(3) ?
                    new BigDecimal(random.nextLong()).scaleByPowerOfTen(random.nextInt(60) - 30) :
                    new BigDecimal(DECIMALS[random.nextInt(DECIMALS.length)]);
            }
            else if (type.isEnum())
            {
                final Object[] constants = type.getEnumConstants();
                arguments[i] = 0 == random.nextInt(6) ? null : constants[random.nextInt(constants.length)];
            }
            else
            {
                throw new IllegalStateException("no argument of " + type);
            }
        }
        return arguments;
    }

    private String randomString()
    {
        if (random.nextInt(3) > 0)
        {
            return STRINGS[random.nextInt(STRINGS.length)];
        }
        final StringBuilder builder = new StringBuilder();
        final int length = random.nextInt(80);
        for (int i = 0; i < length; i++)
        {
            final int kind = random.nextInt(4);
            builder.append((char)(0 == kind ? random.nextInt(0x80) : 1 == kind ? 0x20 + random.nextInt(0x5F) :
                2 == kind ? random.nextInt(0x800) : random.nextInt(0x10000)));
        }
        return builder.toString();
    }

    private static void invoke(final Method setter, final Object event, final Object[] arguments, final String type)
        throws Exception
    {
        try
        {
            setter.invoke(event, arguments);
        }
        catch (final InvocationTargetException ex)
        {
            if (ex.getCause() instanceof IllegalArgumentException)
            {
                final String message = ex.getCause().getMessage();
                assertTrue(null != message && message.contains(type + "." + setter.getName()), "refusing " +
                    type + "." + setter.getName() + Arrays.toString(arguments) + ", the message must name the " +
                    "field: " + message);
                throw (IllegalArgumentException)ex.getCause();
            }
            fail("not an IllegalArgumentException from " + type + "." + setter.getName() + describe(arguments),
                ex.getCause());
        }
    }

    private static String fieldNamed(final String message, final String type, final String call)
    {
        final String prefix = type + ".";
        final int start = null == message ? -1 : message.indexOf(prefix);
        if (start < 0)
        {
            fail("refusing " + call + ", the message does not name the field: " + message);
        }
        int end = start + prefix.length();
        while (end < message.length() && Character.isLetterOrDigit(message.charAt(end)))
        {
            end++;
        }
        return message.substring(start + prefix.length(), end);
    }

    /**
     * Read every excerpt back and run the agent's decoder on it.
     *
     * @return the number of excerpts.
     */
    private int readBack(final TreeMap<Long, String> appended)
    {
        final HistoryTables tables = new HistoryTables();
        final HistoryRowEncoder decoder = new HistoryRowEncoder(tables, WriterArgumentFuzzTest::ignoreStatus);
        final Set<Long> found = new HashSet<>();
        final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
        int excerpts = 0;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(root.resolve("writer-fuzz").toFile())
            .readOnly(true).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    excerpts++;
                    final Bytes<?> bytes = context.wire().bytes();
                    final int length = (int)bytes.readRemaining();
                    buffer.wrap(bytes.addressForRead(bytes.readPosition()), length);
                    final String reason = decoder.encode("writer-fuzz", context.index(), buffer, 0, length);
                    final String call = appended.get(context.index());
                    if (null != reason)
                    {
                        fail("the writer appended an event the agent would dead-letter (" + reason + "), after " +
                            call);
                    }
                    tables.reset();
                    if (null != call)
                    {
                        found.add(context.index());
                    }
                }
            }
        }
        assertEquals(appended.keySet(), new java.util.TreeSet<>(found), "every appended event at its index");
        return excerpts;
    }

    private static String describe(final Object[] arguments)
    {
        final StringBuilder builder = new StringBuilder("(");
        for (final Object argument : arguments)
        {
            final String text = String.valueOf(argument);
            builder.append(builder.length() > 1 ? ", " : "")
                .append(text.length() > 40 ? text.substring(0, 40) + "...(" + text.length() + " chars)" : text);
        }
        return builder.append(')').toString();
    }

    private static void ignoreStatus(
        final CharSequence sourceId, final boolean started, final DirectBuffer buffer, final int hostOffset,
        final int hostLength, final long pid, final int schemaVersion, final long startTimeNs, final long appendTimeNs)
    {
    }
}

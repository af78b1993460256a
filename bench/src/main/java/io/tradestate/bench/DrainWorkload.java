package io.tradestate.bench;

import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradingMode;
import io.tradestate.writer.JournalContext;
import io.tradestate.writer.TradeJournal;

import java.nio.file.Path;

/**
 * The pre-filled journals of {@link DrainThroughputHarness}, and the events of {@link LoadWriterMain}: one journal
 * per source, each appended through the real {@link TradeJournal} API, with the mix a busy strategy produces.
 * <p>
 * Per 32 events: 16 {@code OrderUpdate}s (an order every 16 events, updated 8 times: open, partially filled, then
 * closed or canceled, so the {@code orders} upsert folds several updates of one key in every batch), 7 {@code Fill}s
 * of the current order, 4 {@code TradeUpdate}s (a trade every 64 orders, updated 128 times), 4
 * {@code BalanceUpdate}s (12 assets per source) and one pair lock or unlock, alternating. Some optional fields are
 * left NULL in turn. Every value follows from the source number and the sequence, so two runs append the same
 * events; only the append times differ.
 * <p>
 * Heartbeats are off, so that each queue holds exactly the {@code SourceStarted} excerpt of its journal and the
 * events: the last index a {@link #fill} returns is the index the drain must reach.
 */
final class DrainWorkload
{
    private static final String[] PATTERN_TYPES = { "O", "F", "O", "B", "O", "F", "T", "O", "O", "F", "O", "B",
        "O", "F", "L", "O", "O", "F", "O", "B", "O", "T", "F", "O", "O", "T", "O", "B", "O", "F", "T", "O" };
    private static final long BASE_TIME_MS = 1_763_700_000_000L;
    private static final int UPDATES_PER_ORDER = 8;
    private static final int SEQUENCES_PER_ORDER = 16;
    private static final int ORDERS_PER_TRADE = 64;
    private static final int ASSETS = 12;
    private static final String[] SYMBOLS = { "BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT", "DOGE/USDT",
        "ADA/USDT", "AVAX/USDT", "LINK/USDT" };
    private static final String[] ASSET_NAMES = { "USDT", "BTC", "ETH", "SOL", "XRP", "DOGE", "ADA", "AVAX", "LINK",
        "BNB", "USDC", "DOT" };
    private static final String[] EXIT_REASONS = { "roi", "stop_loss", "exit_signal", "trailing_stop_loss" };

    private final StringBuilder scratch = new StringBuilder(64);

    /**
     * Append {@code events} events of source number {@code source} to a new journal under {@code journalRoot}.
     *
     * @param journalRoot folder of the journals.
     * @param sourceId    folder and source id of the journal.
     * @param source      number of the source, from 1; keys never cross sources.
     * @param events      to append.
     * @return the queue index of the last event.
     */
    long fill(final Path journalRoot, final String sourceId, final int source, final int events)
    {
        long lastIndex = -1;
        try (TradeJournal journal = TradeJournal.open(new JournalContext()
            .journalRoot(journalRoot)
            .sourceId(sourceId)
            .heartbeatIntervalMs(0)))
        {
            for (int sequence = 0; sequence < events; sequence++)
            {
                lastIndex = append(journal, source, sequence);
            }
        }
        return lastIndex;
    }

    /**
     * Append event number {@code sequence} of source number {@code source}: the next event of the mix.
     *
     * @param journal  the source's journal.
     * @param source   number of the source, from 1.
     * @param sequence the event's number in its source, from 0.
     * @return its queue index.
     */
    long append(final TradeJournal journal, final int source, final long sequence)
    {
        final long cycle = sequence / PATTERN_TYPES.length;
        switch (PATTERN_TYPES[(int)(sequence % PATTERN_TYPES.length)])
        {
            case "O":
                return orderUpdate(journal, source, sequence);
            case "F":
                return fill(journal, source, sequence);
            case "T":
                return tradeUpdate(journal, source, sequence);
            case "B":
                return balanceUpdate(journal, source, sequence);
            default:
                return 0 == cycle % 2 ? pairLock(journal, sequence) : pairUnlock(journal, sequence);
        }
    }

    private long orderUpdate(final TradeJournal journal, final int source, final long sequence)
    {
        final long order = sequence / SEQUENCES_PER_ORDER;
        final int update = (int)(sequence % SEQUENCES_PER_ORDER / 2);
        final OrderStatus status = 0 == update ? OrderStatus.OPEN :
            UPDATES_PER_ORDER - 1 == update ? (0 == order % 5 ? OrderStatus.CANCELED : OrderStatus.CLOSED) :
            OrderStatus.PARTIALLY_FILLED;
        final long amount = 1_000 + order % 9_000;
        final long filled = OrderStatus.CLOSED == status ? amount : amount * update / UPDATES_PER_ORDER;
        final var event = journal.orderUpdate()
            .exchange("binance")
            .symbol(SYMBOLS[(int)(order % SYMBOLS.length)])
            .orderId(id('o', source, order))
            .tradeId((long)source << 32 | order / ORDERS_PER_TRADE)
            .side(0 == order % 2 ? Side.BUY : Side.SELL)
            .orderType(0 == order % 3 ? OrderType.MARKET : OrderType.LIMIT)
            .timeInForce(0 == order % 3 ? TimeInForce.IOC : TimeInForce.GTC)
            .status(status)
            .reduceOnly(0 == order % 7)
            .price(6_412_350 + order % 1_000, -2)
            .amount(amount, -4)
            .filled(filled, -4)
            .remaining(amount - filled, -4)
            .average(6_412_300 + sequence % 100, -2)
            .cost(filled * 6_412, -2)
            .feeCost(filled, -7)
            .feeCurrency("USDT")
            .exchangeTimeMs(BASE_TIME_MS + sequence)
            .receiveTimeNs(BASE_TIME_MS * 1_000_000L + sequence * 1_000);
        if (0 != order % 4)
        {
            event.clientOrderId(id('c', source, order));
        }
        return event.commit();
    }

    private long fill(final TradeJournal journal, final int source, final long sequence)
    {
        final long order = sequence / SEQUENCES_PER_ORDER;
        return journal.fill()
            .exchange("binance")
            .symbol(SYMBOLS[(int)(order % SYMBOLS.length)])
            .fillId(id('f', source, sequence))
            .orderId(id('o', source, order))
            .tradeId((long)source << 32 | order / ORDERS_PER_TRADE)
            .side(0 == order % 2 ? Side.BUY : Side.SELL)
            .liquidity(0 == sequence % 3 ? Liquidity.MAKER : Liquidity.TAKER)
            .price(6_412_350 + sequence % 1_000, -2)
            .amount(100 + sequence % 900, -4)
            .feeCost(sequence % 50, -7)
            .feeCurrency(0 == sequence % 10 ? "BNB" : "USDT")
            .exchangeTimeMs(BASE_TIME_MS + sequence)
            .commit();
    }

    private long tradeUpdate(final TradeJournal journal, final int source, final long sequence)
    {
        final long trade = sequence / SEQUENCES_PER_ORDER / ORDERS_PER_TRADE;
        final boolean open = 0 != sequence % 5;
        final int mode = (int)(trade % 3);
        scratch.setLength(0);
        scratch.append("momentum-").append(source);
        final var event = journal.tradeUpdate()
            .tradeId((long)source << 32 | trade)
            .openTimeMs(BASE_TIME_MS + trade * 60_000)
            .strategy(scratch)
            .exchange("binance")
            .pair(SYMBOLS[(int)(trade % SYMBOLS.length)])
            .stakeCurrency("USDT")
            .isShort(1 == trade % 4)
            .isOpen(open)
            .isTrailingStop(0 == trade % 6)
            .tradingMode(0 == mode ? TradingMode.SPOT : 1 == mode ? TradingMode.MARGIN : TradingMode.FUTURES)
            .leverage(0 == mode ? 1 : 3, 0)
            .openRate(6_412_350 + trade % 1_000, -2)
            .amount(1_000 + sequence % 9_000, -4)
            .stakeAmount(100_000 + sequence % 50_000, -2)
            .stopLoss(6_000_000 + trade % 1_000, -2)
            .stopLossPct(-5, -2)
            .maxRate(6_600_000 + sequence % 1_000, -2)
            .minRate(6_300_000 + sequence % 1_000, -2)
            .feeOpen(1, -3)
            .enterTag("breakout");
        if (!open)
        {
            event.closeTimeMs(BASE_TIME_MS + sequence).closeRate(6_500_000 + sequence % 1_000, -2).feeClose(1, -3)
                .realizedProfit(sequence % 2_000 - 1_000, -4).exitReason(EXIT_REASONS[(int)(trade % 4)]);
        }
        if (2 == mode)
        {
            event.fundingFees(-(sequence % 1_000), -8);
        }
        return event.commit();
    }

    private long balanceUpdate(final TradeJournal journal, final int source, final long sequence)
    {
        final long total = 5_000_000 + sequence % 1_000_000;
        final long used = sequence % 3 == 0 ? Long.MIN_VALUE : total / 4;
        final var event = journal.balanceUpdate()
            .exchange("binance")
            .asset(ASSET_NAMES[(int)((sequence / 8 + source) % ASSETS)])
            .free(Long.MIN_VALUE == used ? total : total - used, -6)
            .total(total, -6)
            .exchangeTimeMs(BASE_TIME_MS + sequence);
        if (Long.MIN_VALUE != used)
        {
            event.used(used, -6);
        }
        return event.commit();
    }

    private long pairLock(final TradeJournal journal, final long sequence)
    {
        return journal.pairLock()
            .pair(SYMBOLS[(int)(sequence / 64 % SYMBOLS.length)])
            .side(0 == sequence % 3 ? LockSide.ANY : LockSide.LONG)
            .lockTimeMs(BASE_TIME_MS + sequence)
            .lockEndTimeMs(BASE_TIME_MS + sequence + 300_000)
            .reason("cooldown")
            .commit();
    }

    private long pairUnlock(final TradeJournal journal, final long sequence)
    {
        return journal.pairUnlock()
            .pair(SYMBOLS[(int)((sequence - 32) / 64 % SYMBOLS.length)])
            .side(LockSide.ANY)
            .unlockTimeMs(BASE_TIME_MS + sequence)
            .commit();
    }

    private CharSequence id(final char prefix, final int source, final long number)
    {
        scratch.setLength(0);
        return scratch.append(prefix).append(source).append('-').append(number);
    }
}

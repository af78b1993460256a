package io.tradestate.writer;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.BooleanType;
import io.tradestate.codecs.DecimalDecoder;
import io.tradestate.codecs.FillDecoder;
import io.tradestate.codecs.HeartbeatDecoder;
import io.tradestate.codecs.Liquidity;
import io.tradestate.codecs.LockSide;
import io.tradestate.codecs.MessageHeaderDecoder;
import io.tradestate.codecs.OrderStatus;
import io.tradestate.codecs.OrderType;
import io.tradestate.codecs.OrderUpdateDecoder;
import io.tradestate.codecs.PairLockDecoder;
import io.tradestate.codecs.PairUnlockDecoder;
import io.tradestate.codecs.Side;
import io.tradestate.codecs.SourceStartedDecoder;
import io.tradestate.codecs.TimeInForce;
import io.tradestate.codecs.TradeUpdateDecoder;
import io.tradestate.codecs.TradingMode;
import io.tradestate.codecs.UnlockScope;
import io.tradestate.writer.JournalExcerpts.Excerpt;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every event type, every field, written through the public append API and read back from the queue with the
 * generated SBE decoders: what a strategy sets is exactly what the reader agent will see, boundaries included.
 */
class TradeJournalRoundTripTest
{
    private static final String SOURCE_ID = "round-trip.1";
    private static final String HOST = "host-a.example";
    private static final long CLOCK_TOLERANCE_NS = TimeUnit.SECONDS.toNanos(2);

    private static final String EXCHANGE_16 = printable(16, 0);
    private static final String SYMBOL_32 = printable(32, 16);
    private static final String ORDER_ID_64 = printable(64, 48);
    private static final String CLIENT_ORDER_ID_64 = printable(64, 31);
    private static final String ASSET_16 = printable(16, 79);
    private static final String STRATEGY_32 = printable(32, 60);
    private static final String TEXT_1024 = utf8Of1024Bytes();
    private static final int[] EDGE_CODE_POINTS =
    {
        0x01, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF,
    };

    @TempDir
    Path root;

    private TradeJournal journal;

    @AfterEach
    void close()
    {
        if (null != journal)
        {
            journal.close();
        }
    }

    @Test
    void shouldWriteSourceStartedWhenJournalOpens()
    {
        final String sourceId = "S0urce_id-with.32.characters-max";
        assertEquals(32, sourceId.length());
        final long beforeNs = nowNs();
        journal = TradeJournal.open(context().sourceId(sourceId));
        final long afterNs = nowNs();
        final long startTimeNs = journal.startTimeNs();
        journal.close();

        final List<Excerpt> excerpts = JournalExcerpts.readAll(root.resolve(sourceId));
        assertEquals(1, excerpts.size());
        final Excerpt excerpt = excerpts.get(0);
        assertHeader(excerpt, SourceStartedDecoder.TEMPLATE_ID, SourceStartedDecoder.BLOCK_LENGTH);
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + SourceStartedDecoder.BLOCK_LENGTH, excerpt.bytes.length);

        final SourceStartedDecoder decoder =
            new SourceStartedDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
        assertNear(beforeNs, afterNs, decoder.appendTimeNs());
        assertNear(beforeNs, afterNs, decoder.startTimeNs());
        assertEquals(startTimeNs, decoder.startTimeNs());
        assertTrue(decoder.appendTimeNs() >= decoder.startTimeNs());
        assertEquals(ProcessHandle.current().pid(), decoder.pid());
        assertEquals(SourceStartedDecoder.SCHEMA_VERSION, decoder.schemaVersion());
        assertEquals(sourceId, decoder.sourceId());
        assertEquals(HOST, decoder.host());
        assertAsciiBytes(HOST, excerpt.buffer, headerAndOffset(SourceStartedDecoder.hostEncodingOffset()), 64);
    }

    @Test
    void shouldWriteHeartbeatWithTheSourceIdentityWhenHeartbeatIsCalled()
    {
        journal = open();
        final long beforeNs = nowNs();
        final long index = journal.heartbeat();
        final long afterNs = nowNs();
        final long startTimeNs = journal.startTimeNs();
        final List<Excerpt> excerpts = closeAndRead();

        assertEquals(2, excerpts.size());
        final Excerpt excerpt = excerpts.get(1);
        assertEquals(index, excerpt.index);
        assertHeader(excerpt, HeartbeatDecoder.TEMPLATE_ID, HeartbeatDecoder.BLOCK_LENGTH);
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + HeartbeatDecoder.BLOCK_LENGTH, excerpt.bytes.length);

        final SourceStartedDecoder started =
            new SourceStartedDecoder().wrapAndApplyHeader(excerpts.get(0).buffer, 0, new MessageHeaderDecoder());
        final HeartbeatDecoder decoder =
            new HeartbeatDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
        assertNear(beforeNs, afterNs, decoder.appendTimeNs());
        assertTrue(decoder.appendTimeNs() >= started.appendTimeNs());
        assertEquals(startTimeNs, decoder.startTimeNs());
        assertEquals(started.startTimeNs(), decoder.startTimeNs());
        assertEquals(ProcessHandle.current().pid(), decoder.pid());
        assertEquals(HeartbeatDecoder.SCHEMA_VERSION, decoder.schemaVersion());
        assertEquals(SOURCE_ID, decoder.sourceId());
        assertEquals(HOST, decoder.host());
    }

    @Test
    void shouldRoundTripEveryOrderUpdateFieldWhenSetToUpperBoundaries()
    {
        journal = open();
        final long beforeNs = nowNs();
        final long index = journal.orderUpdate()
            .exchange(EXCHANGE_16)
            .symbol(SYMBOL_32)
            .orderId(ORDER_ID_64)
            .clientOrderId(CLIENT_ORDER_ID_64)
            .tradeId(Long.MAX_VALUE)
            .side(Side.SELL)
            .orderType(OrderType.TAKE_PROFIT_LIMIT)
            .timeInForce(TimeInForce.GTD)
            .status(OrderStatus.PARTIALLY_FILLED)
            .reduceOnly(true)
            .price(Long.MAX_VALUE, -18)
            .stopPrice(Long.MAX_VALUE, 18)
            .amount(Long.MAX_VALUE, 0)
            .filled(1, 18)
            .remaining(1, -18)
            .average(123456789, -8)
            .cost(987654321, 3)
            .feeCost(Long.MIN_VALUE + 1, -18)
            .feeCurrency(ASSET_16)
            .leverage(125, 0)
            .exchangeTimeMs(JournalEvent.MAX_EPOCH_MS)
            .receiveTimeNs(Long.MAX_VALUE)
            .commit();
        final long afterNs = nowNs();
        final List<Excerpt> excerpts = closeAndRead();

        assertEquals(2, excerpts.size());
        final Excerpt excerpt = excerpts.get(1);
        assertEquals(index, excerpt.index);
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + OrderUpdateDecoder.BLOCK_LENGTH, excerpt.bytes.length);
        final OrderUpdateDecoder decoder = orderUpdate(excerpt);
        assertNear(beforeNs, afterNs, decoder.appendTimeNs());
        assertEquals(JournalEvent.MAX_EPOCH_MS, decoder.exchangeTimeMs());
        assertEquals(Long.MAX_VALUE, decoder.receiveTimeNs());
        assertEquals(Long.MAX_VALUE, decoder.tradeId());
        assertEquals(EXCHANGE_16, decoder.exchange());
        assertEquals(SYMBOL_32, decoder.symbol());
        assertEquals(ORDER_ID_64, decoder.orderId());
        assertEquals(CLIENT_ORDER_ID_64, decoder.clientOrderId());
        assertEquals(Side.SELL, decoder.side());
        assertEquals(OrderType.TAKE_PROFIT_LIMIT, decoder.orderType());
        assertEquals(TimeInForce.GTD, decoder.timeInForce());
        assertEquals(OrderStatus.PARTIALLY_FILLED, decoder.status());
        assertEquals(BooleanType.TRUE, decoder.reduceOnly());
        assertDecimal(Long.MAX_VALUE, -18, decoder.price());
        assertDecimal(Long.MAX_VALUE, 18, decoder.stopPrice());
        assertDecimal(Long.MAX_VALUE, 0, decoder.amount());
        assertDecimal(1, 18, decoder.filled());
        assertDecimal(1, -18, decoder.remaining());
        assertDecimal(123456789, -8, decoder.average());
        assertDecimal(987654321, 3, decoder.cost());
        assertDecimal(Long.MIN_VALUE + 1, -18, decoder.feeCost());
        assertEquals(ASSET_16, decoder.feeCurrency());
        assertDecimal(125, 0, decoder.leverage());
    }

    @Test
    void shouldRoundTripEveryOrderUpdateFieldWhenSetToLowerBoundaries()
    {
        journal = open();
        journal.orderUpdate()
            .exchange("b")
            .symbol("B")
            .orderId("0")
            .clientOrderId("~")
            .tradeId(0)
            .side(Side.BUY)
            .orderType(OrderType.MARKET)
            .timeInForce(TimeInForce.GTC)
            .status(OrderStatus.OPEN)
            .reduceOnly(false)
            .price(0, 0)
            .stopPrice(0, -18)
            .amount(0, 18)
            .filled(0, 0)
            .remaining(0, 0)
            .average(0, 0)
            .cost(0, 0)
            .feeCost(0, 0)
            .feeCurrency("X")
            .leverage(0, 0)
            .exchangeTimeMs(0)
            .receiveTimeNs(0)
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        final OrderUpdateDecoder decoder = orderUpdate(excerpt);
        assertEquals(0, decoder.exchangeTimeMs());
        assertEquals(0, decoder.receiveTimeNs());
        assertEquals(0, decoder.tradeId());
        assertEquals("b", decoder.exchange());
        assertAsciiBytes("b", excerpt.buffer, headerAndOffset(OrderUpdateDecoder.exchangeEncodingOffset()), 16);
        assertEquals("B", decoder.symbol());
        assertEquals("0", decoder.orderId());
        assertEquals("~", decoder.clientOrderId());
        assertEquals(Side.BUY, decoder.side());
        assertEquals(OrderType.MARKET, decoder.orderType());
        assertEquals(TimeInForce.GTC, decoder.timeInForce());
        assertEquals(OrderStatus.OPEN, decoder.status());
        assertEquals(BooleanType.FALSE, decoder.reduceOnly());
        assertDecimal(0, 0, decoder.price());
        assertDecimal(0, -18, decoder.stopPrice());
        assertDecimal(0, 18, decoder.amount());
        assertDecimal(0, 0, decoder.filled());
        assertDecimal(0, 0, decoder.remaining());
        assertDecimal(0, 0, decoder.average());
        assertDecimal(0, 0, decoder.cost());
        assertDecimal(0, 0, decoder.feeCost());
        assertEquals("X", decoder.feeCurrency());
        assertDecimal(0, 0, decoder.leverage());
    }

    @Test
    void shouldReadSbeNullsWhenOptionalOrderUpdateFieldsAreUnset()
    {
        journal = open();
        journal.orderUpdate()
            .exchange("binance").symbol("BTC/USDT").orderId("42").side(Side.BUY)
            .orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(15, -3)
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        final OrderUpdateDecoder decoder = orderUpdate(excerpt);
        assertEquals(Long.MIN_VALUE, OrderUpdateDecoder.exchangeTimeMsNullValue());
        assertEquals(OrderUpdateDecoder.exchangeTimeMsNullValue(), decoder.exchangeTimeMs());
        assertEquals(OrderUpdateDecoder.receiveTimeNsNullValue(), decoder.receiveTimeNs());
        assertEquals(OrderUpdateDecoder.tradeIdNullValue(), decoder.tradeId());
        assertEquals(Long.MIN_VALUE, decoder.tradeId());
        assertEquals("", decoder.clientOrderId());
        assertAsciiBytes("", excerpt.buffer, headerAndOffset(OrderUpdateDecoder.clientOrderIdEncodingOffset()), 64);
        assertEquals(TimeInForce.NULL_VAL, decoder.timeInForce());
        assertEquals(BooleanType.FALSE, decoder.reduceOnly());
        assertNullDecimal(decoder.price());
        assertNullDecimal(decoder.stopPrice());
        assertDecimal(15, -3, decoder.amount());
        assertNullDecimal(decoder.filled());
        assertNullDecimal(decoder.remaining());
        assertNullDecimal(decoder.average());
        assertNullDecimal(decoder.cost());
        assertNullDecimal(decoder.feeCost());
        assertEquals("", decoder.feeCurrency());
        assertAsciiBytes("", excerpt.buffer, headerAndOffset(OrderUpdateDecoder.feeCurrencyEncodingOffset()), 16);
        assertNullDecimal(decoder.leverage());
    }

    @Test
    void shouldRoundTripEveryFillFieldWhenAllAreSet()
    {
        journal = open();
        final long beforeNs = nowNs();
        final long index = journal.fill()
            .exchangeTimeMs(1_700_000_000_123L)
            .tradeId(Long.MAX_VALUE)
            .exchange(EXCHANGE_16)
            .symbol(SYMBOL_32)
            .fillId(CLIENT_ORDER_ID_64)
            .orderId(ORDER_ID_64)
            .side(Side.SELL)
            .liquidity(Liquidity.TAKER)
            .price(Long.MAX_VALUE, 18)
            .amount(1, -18)
            .feeCost(Long.MIN_VALUE + 1, 18)
            .feeCurrency(ASSET_16)
            .commit();
        final long afterNs = nowNs();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        assertEquals(index, excerpt.index);
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + FillDecoder.BLOCK_LENGTH, excerpt.bytes.length);
        final FillDecoder decoder = fill(excerpt);
        assertNear(beforeNs, afterNs, decoder.appendTimeNs());
        assertEquals(1_700_000_000_123L, decoder.exchangeTimeMs());
        assertEquals(Long.MAX_VALUE, decoder.tradeId());
        assertEquals(EXCHANGE_16, decoder.exchange());
        assertEquals(SYMBOL_32, decoder.symbol());
        assertEquals(CLIENT_ORDER_ID_64, decoder.fillId());
        assertEquals(ORDER_ID_64, decoder.orderId());
        assertEquals(Side.SELL, decoder.side());
        assertEquals(Liquidity.TAKER, decoder.liquidity());
        assertDecimal(Long.MAX_VALUE, 18, decoder.price());
        assertDecimal(1, -18, decoder.amount());
        assertDecimal(Long.MIN_VALUE + 1, 18, decoder.feeCost());
        assertEquals(ASSET_16, decoder.feeCurrency());
    }

    @Test
    void shouldReadSbeNullsWhenOptionalFillFieldsAreUnset()
    {
        journal = open();
        journal.fill()
            .exchange("kraken").symbol("ETH/USD").fillId("f-1").orderId("o-1").side(Side.BUY)
            .price(0, 0).amount(0, 0)
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final FillDecoder decoder = fill(excerpts.get(1));
        assertEquals(FillDecoder.exchangeTimeMsNullValue(), decoder.exchangeTimeMs());
        assertEquals(Long.MIN_VALUE, decoder.exchangeTimeMs());
        assertEquals(FillDecoder.tradeIdNullValue(), decoder.tradeId());
        assertEquals("kraken", decoder.exchange());
        assertEquals("ETH/USD", decoder.symbol());
        assertEquals("f-1", decoder.fillId());
        assertEquals("o-1", decoder.orderId());
        assertEquals(Side.BUY, decoder.side());
        assertEquals(Liquidity.NULL_VAL, decoder.liquidity());
        assertDecimal(0, 0, decoder.price());
        assertDecimal(0, 0, decoder.amount());
        assertNullDecimal(decoder.feeCost());
        assertEquals("", decoder.feeCurrency());
    }

    @Test
    void shouldRoundTripEveryTradeUpdateFieldWhenAllAreSet()
    {
        final String enterTag = "enter 'tag' \"€\" – 😀 " + TEXT_1024.substring(0, 100);
        journal = open();
        final long beforeNs = nowNs();
        final long index = journal.tradeUpdate()
            .tradeId(Long.MAX_VALUE)
            .openTimeMs(0)
            .closeTimeMs(JournalEvent.MAX_EPOCH_MS)
            .strategy(STRATEGY_32)
            .exchange(EXCHANGE_16)
            .pair(SYMBOL_32)
            .stakeCurrency(ASSET_16)
            .isShort(true)
            .isOpen(false)
            .isTrailingStop(true)
            .tradingMode(TradingMode.FUTURES)
            .leverage(10, 0)
            .openRate(Long.MAX_VALUE, -18)
            .amount(Long.MAX_VALUE, 18)
            .stakeAmount(1, 18)
            .stopLoss(2, -1)
            .stopLossPct(Long.MIN_VALUE + 1, -18)
            .initialStopLoss(3, -2)
            .initialStopLossPct(-5, -2)
            .maxRate(4, -3)
            .minRate(5, -4)
            .closeRate(6, -5)
            .liquidationPrice(7, -6)
            .interestRate(8, -7)
            .fundingFees(Long.MIN_VALUE + 1, 18)
            .feeOpen(9, -8)
            .feeClose(10, -9)
            .realizedProfit(-11, -10)
            .exitReason(TEXT_1024)
            .enterTag(enterTag)
            .commit();
        final long afterNs = nowNs();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        assertEquals(index, excerpt.index);
        final TradeUpdateDecoder decoder = tradeUpdate(excerpt);
        assertNear(beforeNs, afterNs, decoder.appendTimeNs());
        assertEquals(Long.MAX_VALUE, decoder.tradeId());
        assertEquals(0, decoder.openTimeMs());
        assertEquals(JournalEvent.MAX_EPOCH_MS, decoder.closeTimeMs());
        assertEquals(STRATEGY_32, decoder.strategy());
        assertEquals(EXCHANGE_16, decoder.exchange());
        assertEquals(SYMBOL_32, decoder.pair());
        assertEquals(ASSET_16, decoder.stakeCurrency());
        assertEquals(BooleanType.TRUE, decoder.isShort());
        assertEquals(BooleanType.FALSE, decoder.isOpen());
        assertEquals(BooleanType.TRUE, decoder.isTrailingStop());
        assertEquals(TradingMode.FUTURES, decoder.tradingMode());
        assertDecimal(10, 0, decoder.leverage());
        assertDecimal(Long.MAX_VALUE, -18, decoder.openRate());
        assertDecimal(Long.MAX_VALUE, 18, decoder.amount());
        assertDecimal(1, 18, decoder.stakeAmount());
        assertDecimal(2, -1, decoder.stopLoss());
        assertDecimal(Long.MIN_VALUE + 1, -18, decoder.stopLossPct());
        assertDecimal(3, -2, decoder.initialStopLoss());
        assertDecimal(-5, -2, decoder.initialStopLossPct());
        assertDecimal(4, -3, decoder.maxRate());
        assertDecimal(5, -4, decoder.minRate());
        assertDecimal(6, -5, decoder.closeRate());
        assertDecimal(7, -6, decoder.liquidationPrice());
        assertDecimal(8, -7, decoder.interestRate());
        assertDecimal(Long.MIN_VALUE + 1, 18, decoder.fundingFees());
        assertDecimal(9, -8, decoder.feeOpen());
        assertDecimal(10, -9, decoder.feeClose());
        assertDecimal(-11, -10, decoder.realizedProfit());
        assertArrayEquals(TEXT_1024.getBytes(StandardCharsets.UTF_8), exitReasonBytes(decoder));
        assertArrayEquals(enterTag.getBytes(StandardCharsets.UTF_8), enterTagBytes(decoder));
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength(), excerpt.bytes.length);
    }

    @Test
    void shouldApplyDefaultsAndSbeNullsWhenOptionalTradeUpdateFieldsAreUnset()
    {
        journal = open();
        journal.tradeUpdate()
            .tradeId(0).openTimeMs(1_700_000_000_000L).strategy("Momentum").exchange("binance").pair("BTC/USDT")
            .openRate(6412350, -2).amount(15, -3).stakeAmount(9618525, -4)
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        final TradeUpdateDecoder decoder = tradeUpdate(excerpt);
        assertEquals(0, decoder.tradeId());
        assertEquals(1_700_000_000_000L, decoder.openTimeMs());
        assertEquals(TradeUpdateDecoder.closeTimeMsNullValue(), decoder.closeTimeMs());
        assertEquals(Long.MIN_VALUE, decoder.closeTimeMs());
        assertEquals("Momentum", decoder.strategy());
        assertEquals("binance", decoder.exchange());
        assertEquals("BTC/USDT", decoder.pair());
        assertEquals("", decoder.stakeCurrency());
        assertEquals(BooleanType.FALSE, decoder.isShort());
        assertEquals(BooleanType.TRUE, decoder.isOpen());
        assertEquals(BooleanType.FALSE, decoder.isTrailingStop());
        assertEquals(TradingMode.SPOT, decoder.tradingMode());
        assertNullDecimal(decoder.leverage());
        assertDecimal(6412350, -2, decoder.openRate());
        assertDecimal(15, -3, decoder.amount());
        assertDecimal(9618525, -4, decoder.stakeAmount());
        assertNullDecimal(decoder.stopLoss());
        assertNullDecimal(decoder.stopLossPct());
        assertNullDecimal(decoder.initialStopLoss());
        assertNullDecimal(decoder.initialStopLossPct());
        assertNullDecimal(decoder.maxRate());
        assertNullDecimal(decoder.minRate());
        assertNullDecimal(decoder.closeRate());
        assertNullDecimal(decoder.liquidationPrice());
        assertNullDecimal(decoder.interestRate());
        assertNullDecimal(decoder.fundingFees());
        assertNullDecimal(decoder.feeOpen());
        assertNullDecimal(decoder.feeClose());
        assertNullDecimal(decoder.realizedProfit());
        assertEquals(0, exitReasonBytes(decoder).length);
        assertEquals(0, enterTagBytes(decoder).length);
        assertEquals(
            MessageHeaderDecoder.ENCODED_LENGTH + TradeUpdateDecoder.BLOCK_LENGTH +
            TradeUpdateDecoder.exitReasonHeaderLength() + TradeUpdateDecoder.enterTagHeaderLength(),
            excerpt.bytes.length);
    }

    @Test
    void shouldRoundTripEveryPairLockFieldWhenAllAreSet()
    {
        journal = open();
        final long index = journal.pairLock()
            .lockTimeMs(0)
            .lockEndTimeMs(JournalEvent.MAX_EPOCH_MS)
            .pair(SYMBOL_32)
            .side(LockSide.SHORT)
            .allSources(true)
            .reason(TEXT_1024)
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        assertEquals(index, excerpt.index);
        final PairLockDecoder decoder = pairLock(excerpt);
        assertEquals(0, decoder.lockTimeMs());
        assertEquals(JournalEvent.MAX_EPOCH_MS, decoder.lockEndTimeMs());
        assertEquals(SYMBOL_32, decoder.pair());
        assertEquals(LockSide.SHORT, decoder.side());
        assertEquals(BooleanType.TRUE, decoder.allSources());
        assertArrayEquals(TEXT_1024.getBytes(StandardCharsets.UTF_8), reasonBytes(decoder));
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength(), excerpt.bytes.length);
    }

    @Test
    void shouldDefaultLockTimeToAppendTimeAndSideToAnyWhenPairLockLeavesThemUnset()
    {
        journal = open();
        final long beforeNs = nowNs();
        journal.pairLock().pair("*").lockEndTimeMs(JournalEvent.MAX_EPOCH_MS).commit();
        final long afterNs = nowNs();
        final List<Excerpt> excerpts = closeAndRead();

        final PairLockDecoder decoder = pairLock(excerpts.get(1));
        assertNear(beforeNs, afterNs, decoder.appendTimeNs());
        assertEquals(decoder.appendTimeNs() / 1_000_000L, decoder.lockTimeMs());
        assertEquals(JournalEvent.MAX_EPOCH_MS, decoder.lockEndTimeMs());
        assertEquals("*", decoder.pair());
        assertEquals(LockSide.ANY, decoder.side());
        assertEquals(BooleanType.FALSE, decoder.allSources());
        assertEquals(0, reasonBytes(decoder).length);
    }

    @Test
    void shouldLockAPairForAllSourcesWithTheConvenienceCall()
    {
        journal = open();
        final long ownIndex = journal.lockPair("BTC/USDT", JournalEvent.MAX_EPOCH_MS, "own", LockSide.LONG);
        final long allIndex =
            journal.lockPairForAllSources("BTC/USDT", JournalEvent.MAX_EPOCH_MS, "risk", LockSide.ANY);
        final List<Excerpt> excerpts = closeAndRead();

        assertEquals(ownIndex, excerpts.get(1).index);
        assertEquals(BooleanType.FALSE, pairLock(excerpts.get(1)).allSources());
        assertEquals(allIndex, excerpts.get(2).index);
        final PairLockDecoder risk = pairLock(excerpts.get(2));
        assertEquals(BooleanType.TRUE, risk.allSources());
        assertEquals(LockSide.ANY, risk.side());
        assertEquals("BTC/USDT", risk.pair());
        assertArrayEquals("risk".getBytes(StandardCharsets.UTF_8), reasonBytes(risk));
    }

    @Test
    void shouldWritePairScopeWhenPairUnlockSetsPair()
    {
        journal = open();
        final long index = journal.pairUnlock()
            .unlockTimeMs(JournalEvent.MAX_EPOCH_MS)
            .pair(SYMBOL_32)
            .side(LockSide.LONG)
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        assertEquals(index, excerpt.index);
        final PairUnlockDecoder decoder = pairUnlock(excerpt);
        assertEquals(JournalEvent.MAX_EPOCH_MS, decoder.unlockTimeMs());
        assertEquals(UnlockScope.PAIR, decoder.scope());
        assertEquals(SYMBOL_32, decoder.pair());
        assertEquals(LockSide.LONG, decoder.side());
        assertEquals(0, reasonBytes(decoder).length);
    }

    @Test
    void shouldWriteReasonScopeWhenPairUnlockSetsReason()
    {
        journal = open();
        journal.pairUnlock()
            .unlockTimeMs(0)
            .side(LockSide.SHORT)
            .reason(TEXT_1024)
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        final PairUnlockDecoder decoder = pairUnlock(excerpt);
        assertEquals(0, decoder.unlockTimeMs());
        assertEquals(UnlockScope.REASON, decoder.scope());
        assertEquals("", decoder.pair());
        assertAsciiBytes("", excerpt.buffer, headerAndOffset(PairUnlockDecoder.pairEncodingOffset()), 32);
        assertEquals(LockSide.SHORT, decoder.side());
        assertArrayEquals(TEXT_1024.getBytes(StandardCharsets.UTF_8), reasonBytes(decoder));
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength(), excerpt.bytes.length);
    }

    @Test
    void shouldDefaultUnlockTimeToAppendTimeAndSideToAnyWhenPairUnlockLeavesThemUnset()
    {
        journal = open();
        final long beforeNs = nowNs();
        journal.pairUnlock().pair("ETH/BTC").commit();
        journal.pairUnlock().reason("cooldown").commit();
        final long afterNs = nowNs();
        final List<Excerpt> excerpts = closeAndRead();

        assertEquals(3, excerpts.size());
        final PairUnlockDecoder byPair = pairUnlock(excerpts.get(1));
        assertNear(beforeNs, afterNs, byPair.appendTimeNs());
        assertEquals(byPair.appendTimeNs() / 1_000_000L, byPair.unlockTimeMs());
        assertEquals(UnlockScope.PAIR, byPair.scope());
        assertEquals("ETH/BTC", byPair.pair());
        assertEquals(LockSide.ANY, byPair.side());

        final PairUnlockDecoder byReason = pairUnlock(excerpts.get(2));
        assertEquals(byReason.appendTimeNs() / 1_000_000L, byReason.unlockTimeMs());
        assertEquals(UnlockScope.REASON, byReason.scope());
        assertEquals("", byReason.pair());
        assertEquals(LockSide.ANY, byReason.side());
        assertArrayEquals("cooldown".getBytes(StandardCharsets.US_ASCII), reasonBytes(byReason));
    }

    @Test
    void shouldRoundTripEveryBalanceUpdateFieldWhenAllAreSet()
    {
        journal = open();
        final long beforeNs = nowNs();
        final long index = journal.balanceUpdate()
            .exchangeTimeMs(JournalEvent.MAX_EPOCH_MS)
            .exchange(EXCHANGE_16)
            .asset(ASSET_16)
            .free(Long.MIN_VALUE + 1, -18)
            .used(Long.MAX_VALUE, 18)
            .total(-1, 0)
            .commit();
        final long afterNs = nowNs();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        assertEquals(index, excerpt.index);
        assertEquals(MessageHeaderDecoder.ENCODED_LENGTH + BalanceUpdateDecoder.BLOCK_LENGTH, excerpt.bytes.length);
        final BalanceUpdateDecoder decoder = balanceUpdate(excerpt);
        assertNear(beforeNs, afterNs, decoder.appendTimeNs());
        assertEquals(JournalEvent.MAX_EPOCH_MS, decoder.exchangeTimeMs());
        assertEquals(EXCHANGE_16, decoder.exchange());
        assertEquals(ASSET_16, decoder.asset());
        assertDecimal(Long.MIN_VALUE + 1, -18, decoder.free());
        assertDecimal(Long.MAX_VALUE, 18, decoder.used());
        assertDecimal(-1, 0, decoder.total());
    }

    @Test
    void shouldReadSbeNullsWhenOptionalBalanceUpdateFieldsAreUnset()
    {
        journal = open();
        journal.balanceUpdate().exchange("bybit").asset("USDT").total(0, 0).commit();
        final List<Excerpt> excerpts = closeAndRead();

        final BalanceUpdateDecoder decoder = balanceUpdate(excerpts.get(1));
        assertEquals(BalanceUpdateDecoder.exchangeTimeMsNullValue(), decoder.exchangeTimeMs());
        assertEquals("bybit", decoder.exchange());
        assertEquals("USDT", decoder.asset());
        assertNullDecimal(decoder.free());
        assertNullDecimal(decoder.used());
        assertDecimal(0, 0, decoder.total());
    }

    @ParameterizedTest(name = "{0} -> {1} x 10^{2}")
    @CsvSource({
        "1.50, 150, -2",
        "1E+20, 100, 18",
        "1E+18, 1, 18",
        "123E+18, 123, 18",
        "0, 0, 0",
        "0.00, 0, -2",
        "0E+30, 0, 0",
        "12.000000000000000000, 12, 0",
        "10000000000000000000, 10, 18",
        "0E-30, 0, 0",
        "0.000000000000000001, 1, -18",
        "1.000000000000000000000, 1, 0",
        "0.1000000000000000000000, 1, -1",
        "9223372036854775807, 9223372036854775807, 0",
        "-9223372036854775807, -9223372036854775807, 0",
        "-0.000000000000000001, -1, -18",
        "-2.5, -25, -1",
        "92233720.36854775807, 9223372036854775807, -11",
        "64123.50, 6412350, -2",
    })
    void shouldConvertBigDecimalExactlyWhenItFits(final String value, final long mantissa, final int exponent)
    {
        journal = open();
        journal.balanceUpdate().exchange("x").asset("y").total(new BigDecimal(value)).commit();
        final List<Excerpt> excerpts = closeAndRead();

        final DecimalDecoder total = balanceUpdate(excerpts.get(1)).total();
        assertDecimal(mantissa, exponent, total);
        assertEquals(0, new BigDecimal(value).compareTo(BigDecimal.valueOf(mantissa, -exponent)));
    }

    @Test
    void shouldRouteEveryBigDecimalSetterToItsOwnFieldWhenOrderUpdateIsSetFromBigDecimals()
    {
        journal = open();
        journal.orderUpdate()
            .exchange("e").symbol("s").orderId("o").side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN)
            .price(new BigDecimal("1.1"))
            .stopPrice(new BigDecimal("2.22"))
            .amount(new BigDecimal("3.333"))
            .filled(new BigDecimal("4.4444"))
            .remaining(new BigDecimal("5.55555"))
            .average(new BigDecimal("6.666666"))
            .cost(new BigDecimal("7.7777777"))
            .feeCost(new BigDecimal("-8.88888888"))
            .feeCurrency("BNB")
            .leverage(new BigDecimal("9E+1"))
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final OrderUpdateDecoder decoder = orderUpdate(excerpts.get(1));
        assertDecimal(11, -1, decoder.price());
        assertDecimal(222, -2, decoder.stopPrice());
        assertDecimal(3333, -3, decoder.amount());
        assertDecimal(44444, -4, decoder.filled());
        assertDecimal(555555, -5, decoder.remaining());
        assertDecimal(6666666, -6, decoder.average());
        assertDecimal(77777777, -7, decoder.cost());
        assertDecimal(-888888888, -8, decoder.feeCost());
        assertDecimal(9, 1, decoder.leverage());
    }

    @Test
    void shouldRouteEveryBigDecimalSetterToItsOwnFieldWhenFillIsSetFromBigDecimals()
    {
        journal = open();
        journal.fill()
            .exchange("e").symbol("s").fillId("f").orderId("o").side(Side.SELL)
            .price(new BigDecimal("1.1"))
            .amount(new BigDecimal("2.22"))
            .feeCost(new BigDecimal("-3.333"))
            .feeCurrency("USDT")
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final FillDecoder decoder = fill(excerpts.get(1));
        assertDecimal(11, -1, decoder.price());
        assertDecimal(222, -2, decoder.amount());
        assertDecimal(-3333, -3, decoder.feeCost());
    }

    @Test
    void shouldRouteEveryBigDecimalSetterToItsOwnFieldWhenTradeUpdateIsSetFromBigDecimals()
    {
        journal = open();
        journal.tradeUpdate()
            .tradeId(1).openTimeMs(1).strategy("s").exchange("e").pair("p")
            .leverage(new BigDecimal("1"))
            .openRate(new BigDecimal("0.2"))
            .amount(new BigDecimal("0.03"))
            .stakeAmount(new BigDecimal("0.004"))
            .stopLoss(new BigDecimal("0.0005"))
            .stopLossPct(new BigDecimal("-0.00006"))
            .initialStopLoss(new BigDecimal("0.000007"))
            .initialStopLossPct(new BigDecimal("-0.0000008"))
            .maxRate(new BigDecimal("0.00000009"))
            .minRate(new BigDecimal("0.000000010"))
            .closeRate(new BigDecimal("0.0000000011"))
            .liquidationPrice(new BigDecimal("0.00000000012"))
            .interestRate(new BigDecimal("0.000000000013"))
            .fundingFees(new BigDecimal("-0.0000000000014"))
            .feeOpen(new BigDecimal("0.00000000000015"))
            .feeClose(new BigDecimal("0.000000000000016"))
            .realizedProfit(new BigDecimal("-0.0000000000000017"))
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final TradeUpdateDecoder decoder = tradeUpdate(excerpts.get(1));
        assertDecimal(1, 0, decoder.leverage());
        assertDecimal(2, -1, decoder.openRate());
        assertDecimal(3, -2, decoder.amount());
        assertDecimal(4, -3, decoder.stakeAmount());
        assertDecimal(5, -4, decoder.stopLoss());
        assertDecimal(-6, -5, decoder.stopLossPct());
        assertDecimal(7, -6, decoder.initialStopLoss());
        assertDecimal(-8, -7, decoder.initialStopLossPct());
        assertDecimal(9, -8, decoder.maxRate());
        assertDecimal(10, -9, decoder.minRate());
        assertDecimal(11, -10, decoder.closeRate());
        assertDecimal(12, -11, decoder.liquidationPrice());
        assertDecimal(13, -12, decoder.interestRate());
        assertDecimal(-14, -13, decoder.fundingFees());
        assertDecimal(15, -14, decoder.feeOpen());
        assertDecimal(16, -15, decoder.feeClose());
        assertDecimal(-17, -16, decoder.realizedProfit());
    }

    @Test
    void shouldRouteEveryBigDecimalSetterToItsOwnFieldWhenBalanceUpdateIsSetFromBigDecimals()
    {
        journal = open();
        journal.balanceUpdate()
            .exchange("e").asset("a")
            .free(new BigDecimal("-1.5"))
            .used(new BigDecimal("2.25"))
            .total(new BigDecimal("0.75"))
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final BalanceUpdateDecoder decoder = balanceUpdate(excerpts.get(1));
        assertDecimal(-15, -1, decoder.free());
        assertDecimal(225, -2, decoder.used());
        assertDecimal(75, -2, decoder.total());
    }

    @Test
    void shouldRoundTripEveryEnumValueWhenSet()
    {
        journal = open();
        for (final Side side : values(Side.values()))
        {
            minimalOrder().side(side).commit();
        }
        for (final OrderType orderType : values(OrderType.values()))
        {
            minimalOrder().orderType(orderType).commit();
        }
        for (final TimeInForce timeInForce : values(TimeInForce.values()))
        {
            minimalOrder().timeInForce(timeInForce).commit();
        }
        for (final OrderStatus status : values(OrderStatus.values()))
        {
            minimalOrder().status(status).commit();
        }
        for (final Liquidity liquidity : values(Liquidity.values()))
        {
            journal.fill().exchange("e").symbol("s").fillId("f").orderId("o").side(Side.BUY).liquidity(liquidity)
                .price(1, 0).amount(1, 0).commit();
        }
        for (final TradingMode tradingMode : values(TradingMode.values()))
        {
            journal.tradeUpdate().tradeId(1).openTimeMs(1).strategy("s").exchange("e").pair("p")
                .openRate(1, 0).amount(1, 0).stakeAmount(1, 0).tradingMode(tradingMode).commit();
        }
        for (final LockSide side : values(LockSide.values()))
        {
            journal.pairLock().pair("p").lockEndTimeMs(JournalEvent.MAX_EPOCH_MS).side(side).commit();
            journal.pairUnlock().pair("p").side(side).commit();
        }
        final List<Excerpt> excerpts = closeAndRead();

        int i = 1;
        for (final Side side : values(Side.values()))
        {
            assertEquals(side, orderUpdate(excerpts.get(i++)).side());
        }
        for (final OrderType orderType : values(OrderType.values()))
        {
            assertEquals(orderType, orderUpdate(excerpts.get(i++)).orderType());
        }
        for (final TimeInForce timeInForce : values(TimeInForce.values()))
        {
            assertEquals(timeInForce, orderUpdate(excerpts.get(i++)).timeInForce());
        }
        for (final OrderStatus status : values(OrderStatus.values()))
        {
            assertEquals(status, orderUpdate(excerpts.get(i++)).status());
        }
        for (final Liquidity liquidity : values(Liquidity.values()))
        {
            assertEquals(liquidity, fill(excerpts.get(i++)).liquidity());
        }
        for (final TradingMode tradingMode : values(TradingMode.values()))
        {
            assertEquals(tradingMode, tradeUpdate(excerpts.get(i++)).tradingMode());
        }
        for (final LockSide side : values(LockSide.values()))
        {
            assertEquals(side, pairLock(excerpts.get(i++)).side());
            assertEquals(side, pairUnlock(excerpts.get(i++)).side());
        }
        assertEquals(excerpts.size(), i);
    }

    @Test
    void shouldRoundTripHostileStringsByteForByteWhenTheyAreValid()
    {
        final String sqlInjection = "'; DROP TABLE orders; --";
        final String quotes = "\"quoted\" 'single' `back` \\\\ \\n %s %_ $1 ${x} {}[]";
        final String shortQuotes = "\"'\\`%_;--";
        final String utf8 = "Ünïcödé “smart” ‘quotes’ \"dq\" 'sq' \\ \t\n\r ; DROP TABLE trades; -- 中文 русский " +
            "\u202Eright-to-left\u202C zero\u200Dwidth \uFEFFbom \uFFFF max\uDBFF\uDFFF emoji 😀👍🏽";
        journal = open();
        journal.orderUpdate()
            .exchange(shortQuotes).symbol(sqlInjection).orderId(quotes).clientOrderId(sqlInjection)
            .side(Side.BUY).orderType(OrderType.LIMIT).status(OrderStatus.OPEN).amount(1, 0)
            .feeCost(1, 0).feeCurrency(shortQuotes)
            .commit();
        journal.fill()
            .exchange(shortQuotes).symbol(sqlInjection).fillId(sqlInjection).orderId(quotes).side(Side.SELL)
            .price(1, 0).amount(1, 0)
            .commit();
        journal.tradeUpdate()
            .tradeId(1).openTimeMs(1).strategy(sqlInjection).exchange(shortQuotes).pair(sqlInjection)
            .stakeCurrency(shortQuotes).openRate(1, 0).amount(1, 0).stakeAmount(1, 0)
            .exitReason(utf8).enterTag(sqlInjection)
            .commit();
        journal.pairLock().pair(sqlInjection).lockEndTimeMs(JournalEvent.MAX_EPOCH_MS).reason(utf8).commit();
        journal.pairUnlock().reason(utf8).commit();
        journal.balanceUpdate().exchange(shortQuotes).asset(shortQuotes).total(1, 0).commit();
        final List<Excerpt> excerpts = closeAndRead();

        assertEquals(7, excerpts.size());
        final byte[] utf8Bytes = utf8.getBytes(StandardCharsets.UTF_8);
        final OrderUpdateDecoder order = orderUpdate(excerpts.get(1));
        assertEquals(shortQuotes, order.exchange());
        assertEquals(sqlInjection, order.symbol());
        assertEquals(quotes, order.orderId());
        assertEquals(sqlInjection, order.clientOrderId());
        assertEquals(shortQuotes, order.feeCurrency());
        final int orderIdOffset = headerAndOffset(OrderUpdateDecoder.orderIdEncodingOffset());
        assertAsciiBytes(quotes, excerpts.get(1).buffer, orderIdOffset, 64);

        final FillDecoder fill = fill(excerpts.get(2));
        assertEquals(shortQuotes, fill.exchange());
        assertEquals(sqlInjection, fill.symbol());
        assertEquals(sqlInjection, fill.fillId());
        assertEquals(quotes, fill.orderId());

        final TradeUpdateDecoder trade = tradeUpdate(excerpts.get(3));
        assertEquals(sqlInjection, trade.strategy());
        assertEquals(shortQuotes, trade.exchange());
        assertEquals(sqlInjection, trade.pair());
        assertEquals(shortQuotes, trade.stakeCurrency());
        final byte[] exitReason = exitReasonBytes(trade);
        assertArrayEquals(utf8Bytes, exitReason);
        assertEquals(utf8, new String(exitReason, StandardCharsets.UTF_8));
        assertArrayEquals(sqlInjection.getBytes(StandardCharsets.UTF_8), enterTagBytes(trade));

        final PairLockDecoder lock = pairLock(excerpts.get(4));
        assertEquals(sqlInjection, lock.pair());
        assertArrayEquals(utf8Bytes, reasonBytes(lock));

        assertArrayEquals(utf8Bytes, reasonBytes(pairUnlock(excerpts.get(5))));

        final BalanceUpdateDecoder balance = balanceUpdate(excerpts.get(6));
        assertEquals(shortQuotes, balance.exchange());
        assertEquals(shortQuotes, balance.asset());
    }

    @Test
    void shouldEncodeUtf8LikeTheJdkWhenTextMixesOneToFourByteCharacters()
    {
        final StringBuilder everyWidth = new StringBuilder();
        for (final int codePoint : EDGE_CODE_POINTS)
        {
            everyWidth.appendCodePoint(codePoint);
        }
        final String text = everyWidth.toString();
        journal = open();
        journal.pairLock().pair("p").lockEndTimeMs(1).lockTimeMs(0).reason(text).commit();
        final List<Excerpt> excerpts = closeAndRead();

        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), reasonBytes(pairLock(excerpts.get(1))));
    }

    @ParameterizedTest(name = "1024 bytes ending in {0}")
    @ValueSource(strings = { "a", "é", "€", "😀" })
    void shouldAcceptExactly1024BytesWhenTheLastCharacterFillsTheLimit(final String last)
    {
        final int lastBytes = last.getBytes(StandardCharsets.UTF_8).length;
        final String text = "x".repeat(JournalEvent.MAX_TEXT_BYTES - lastBytes) + last;
        final byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(JournalEvent.MAX_TEXT_BYTES, expected.length);
        journal = open();
        journal.tradeUpdate()
            .tradeId(1).openTimeMs(1).strategy("s").exchange("e").pair("p").openRate(1, 0).amount(1, 0)
            .stakeAmount(1, 0).exitReason(text).enterTag(text)
            .commit();
        journal.pairLock().pair("p").lockEndTimeMs(JournalEvent.MAX_EPOCH_MS).reason(text).commit();
        journal.pairUnlock().reason(text).commit();
        final List<Excerpt> excerpts = closeAndRead();

        final TradeUpdateDecoder trade = tradeUpdate(excerpts.get(1));
        assertArrayEquals(expected, exitReasonBytes(trade));
        assertArrayEquals(expected, enterTagBytes(trade));
        assertArrayEquals(expected, reasonBytes(pairLock(excerpts.get(2))));
        assertArrayEquals(expected, reasonBytes(pairUnlock(excerpts.get(3))));
    }

    @Test
    void shouldNotLeakPreviousValuesWhenEventIsReusedWithShorterOrUnsetFields()
    {
        journal = open();
        journal.orderUpdate()
            .exchange(EXCHANGE_16).symbol(SYMBOL_32).orderId(ORDER_ID_64).clientOrderId(CLIENT_ORDER_ID_64)
            .tradeId(7).side(Side.SELL).orderType(OrderType.STOP_LIMIT).timeInForce(TimeInForce.IOC)
            .status(OrderStatus.CLOSED).reduceOnly(true).price(1, 1).stopPrice(2, 2).amount(3, 3).filled(4, 4)
            .remaining(5, 5).average(6, 6).cost(7, 7).feeCost(8, 8).feeCurrency(ASSET_16).leverage(9, 9)
            .exchangeTimeMs(10).receiveTimeNs(11)
            .commit();
        journal.orderUpdate()
            .exchange("a").symbol("b").orderId("c").side(Side.BUY).orderType(OrderType.LIMIT)
            .status(OrderStatus.OPEN).amount(1, 0)
            .commit();
        journal.tradeUpdate()
            .tradeId(1).openTimeMs(1).strategy(STRATEGY_32).exchange("e").pair("p").openRate(1, 0).amount(1, 0)
            .stakeAmount(1, 0).isOpen(false).closeRate(1, 0).closeTimeMs(2).isShort(true).isTrailingStop(true)
            .tradingMode(TradingMode.MARGIN).exitReason(TEXT_1024).enterTag(TEXT_1024)
            .commit();
        journal.tradeUpdate()
            .tradeId(1).openTimeMs(1).strategy("s").exchange("e").pair("p").openRate(1, 0).amount(1, 0)
            .stakeAmount(1, 0)
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt second = excerpts.get(2);
        final OrderUpdateDecoder order = orderUpdate(second);
        assertAsciiBytes("a", second.buffer, headerAndOffset(OrderUpdateDecoder.exchangeEncodingOffset()), 16);
        assertAsciiBytes("b", second.buffer, headerAndOffset(OrderUpdateDecoder.symbolEncodingOffset()), 32);
        assertAsciiBytes("c", second.buffer, headerAndOffset(OrderUpdateDecoder.orderIdEncodingOffset()), 64);
        assertAsciiBytes("", second.buffer, headerAndOffset(OrderUpdateDecoder.clientOrderIdEncodingOffset()), 64);
        assertAsciiBytes("", second.buffer, headerAndOffset(OrderUpdateDecoder.feeCurrencyEncodingOffset()), 16);
        assertEquals(OrderUpdateDecoder.tradeIdNullValue(), order.tradeId());
        assertEquals(OrderUpdateDecoder.exchangeTimeMsNullValue(), order.exchangeTimeMs());
        assertEquals(OrderUpdateDecoder.receiveTimeNsNullValue(), order.receiveTimeNs());
        assertEquals(TimeInForce.NULL_VAL, order.timeInForce());
        assertEquals(BooleanType.FALSE, order.reduceOnly());
        assertNullDecimal(order.price());
        assertNullDecimal(order.stopPrice());
        assertDecimal(1, 0, order.amount());
        assertNullDecimal(order.filled());
        assertNullDecimal(order.remaining());
        assertNullDecimal(order.average());
        assertNullDecimal(order.cost());
        assertNullDecimal(order.feeCost());
        assertNullDecimal(order.leverage());

        final Excerpt fourth = excerpts.get(4);
        final TradeUpdateDecoder trade = tradeUpdate(fourth);
        assertAsciiBytes("s", fourth.buffer, headerAndOffset(TradeUpdateDecoder.strategyEncodingOffset()), 32);
        assertEquals(TradeUpdateDecoder.closeTimeMsNullValue(), trade.closeTimeMs());
        assertEquals(BooleanType.TRUE, trade.isOpen());
        assertEquals(BooleanType.FALSE, trade.isShort());
        assertEquals(BooleanType.FALSE, trade.isTrailingStop());
        assertEquals(TradingMode.SPOT, trade.tradingMode());
        assertNullDecimal(trade.closeRate());
        assertEquals(0, exitReasonBytes(trade).length);
        assertEquals(0, enterTagBytes(trade).length);
    }

    @Test
    void shouldKeepTheLastValueWhenASetterIsCalledTwice()
    {
        journal = open();
        journal.orderUpdate()
            .exchange(EXCHANGE_16).exchange("okx")
            .symbol(SYMBOL_32).symbol("BTC/USDT")
            .orderId(ORDER_ID_64).orderId("1")
            .side(Side.SELL).side(Side.BUY)
            .orderType(OrderType.MARKET).orderType(OrderType.LIMIT)
            .status(OrderStatus.REJECTED).status(OrderStatus.OPEN)
            .amount(Long.MAX_VALUE, -18).amount(new BigDecimal("0.5"))
            .tradeId(9).tradeId(0)
            .commit();
        journal.tradeUpdate()
            .tradeId(1).openTimeMs(1).strategy("s").exchange("e").pair("p").openRate(1, 0).amount(1, 0)
            .stakeAmount(1, 0).exitReason(TEXT_1024).exitReason("short")
            .commit();
        final List<Excerpt> excerpts = closeAndRead();

        final Excerpt excerpt = excerpts.get(1);
        final OrderUpdateDecoder order = orderUpdate(excerpt);
        assertAsciiBytes("okx", excerpt.buffer, headerAndOffset(OrderUpdateDecoder.exchangeEncodingOffset()), 16);
        assertAsciiBytes("BTC/USDT", excerpt.buffer, headerAndOffset(OrderUpdateDecoder.symbolEncodingOffset()), 32);
        assertAsciiBytes("1", excerpt.buffer, headerAndOffset(OrderUpdateDecoder.orderIdEncodingOffset()), 64);
        assertEquals(Side.BUY, order.side());
        assertEquals(OrderType.LIMIT, order.orderType());
        assertEquals(OrderStatus.OPEN, order.status());
        assertDecimal(5, -1, order.amount());
        assertEquals(0, order.tradeId());
        assertArrayEquals("short".getBytes(StandardCharsets.US_ASCII), exitReasonBytes(tradeUpdate(excerpts.get(2))));
    }

    @Test
    void shouldReturnTheExcerptIndexAndStampIncreasingAppendTimesWhenCommitting()
    {
        journal = open();
        final List<Long> indexes = new ArrayList<>();
        final long beforeNs = nowNs();
        for (int i = 0; i < 20; i++)
        {
            indexes.add(minimalOrder().tradeId(i).commit());
            indexes.add(journal.fill().exchange("e").symbol("s").fillId("f" + i).orderId("o").side(Side.BUY)
                .price(i, 0).amount(1, 0).commit());
            indexes.add(journal.tradeUpdate().tradeId(i).openTimeMs(1).strategy("s").exchange("e").pair("p")
                .openRate(1, 0).amount(1, 0).stakeAmount(1, 0).commit());
            indexes.add(journal.pairLock().pair("p").lockEndTimeMs(JournalEvent.MAX_EPOCH_MS).commit());
            indexes.add(journal.pairUnlock().pair("p").commit());
            indexes.add(journal.balanceUpdate().exchange("e").asset("a").total(i, 0).commit());
            indexes.add(journal.heartbeat());
        }
        final long afterNs = nowNs();
        final List<Excerpt> excerpts = closeAndRead();

        assertEquals(indexes.size() + 1, excerpts.size());
        long previousAppendTimeNs = Long.MIN_VALUE;
        for (int i = 0; i < excerpts.size(); i++)
        {
            final Excerpt excerpt = excerpts.get(i);
            if (i > 0)
            {
                assertEquals(indexes.get(i - 1).longValue(), excerpt.index, "excerpt " + i);
                assertTrue(excerpt.index > excerpts.get(i - 1).index);
            }
            final long appendTimeNs = excerpt.buffer.getLong(MessageHeaderDecoder.ENCODED_LENGTH,
                MessageHeaderDecoder.BYTE_ORDER);
            assertTrue(appendTimeNs >= previousAppendTimeNs, "appendTimeNs went back at excerpt " + i);
            if (i > 0)
            {
                assertNear(beforeNs, afterNs, appendTimeNs);
            }
            previousAppendTimeNs = appendTimeNs;
        }
    }

    @Test
    void shouldKeepEveryEventWhenSeveralThreadsAppendAtOnce() throws InterruptedException
    {
        final int threadCount = 4;
        final int eventsPerThread = 250;
        journal = open();
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        final List<List<Long>> indexesByThread = new ArrayList<>();
        for (int t = 0; t < threadCount; t++)
        {
            final String orderId = "thread-" + t;
            final List<Long> indexes = new ArrayList<>();
            indexesByThread.add(indexes);
            final Thread thread = new Thread(() ->
            {
                try
                {
                    start.await();
                    for (int i = 0; i < eventsPerThread; i++)
                    {
                        indexes.add(journal.fill().exchange("e").symbol("s").fillId(Integer.toString(i))
                            .orderId(orderId).side(Side.BUY).price(i, 0).amount(1, 0).commit());
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertNull(failure.get());
        final List<Excerpt> excerpts = closeAndRead();

        assertEquals(1 + threadCount * eventsPerThread, excerpts.size());
        final Set<Long> committed = new HashSet<>();
        indexesByThread.forEach(committed::addAll);
        final Set<String> seen = new HashSet<>();
        final int[] nextFillIdByThread = new int[threadCount];
        for (final Excerpt excerpt : excerpts.subList(1, excerpts.size()))
        {
            assertTrue(committed.remove(excerpt.index));
            final FillDecoder decoder = fill(excerpt);
            final String orderId = decoder.orderId();
            final int thread = Integer.parseInt(orderId.substring("thread-".length()));
            assertEquals(Integer.toString(nextFillIdByThread[thread]++), decoder.fillId());
            assertTrue(seen.add(orderId + "/" + decoder.fillId()));
        }
        assertTrue(committed.isEmpty());
    }

    private TradeJournal open()
    {
        return TradeJournal.open(context().sourceId(SOURCE_ID));
    }

    private JournalContext context()
    {
        return new JournalContext()
            .journalRoot(root)
            .host(HOST)
            .heartbeatIntervalMs(0)
            .pretouchEnabled(false)
            .syncPolicy(SyncPolicy.NONE);
    }

    private List<Excerpt> closeAndRead()
    {
        final Path queueDirectory = journal.queueDirectory();
        journal.close();
        final List<Excerpt> excerpts = JournalExcerpts.readAll(queueDirectory);
        assertEquals(SourceStartedDecoder.TEMPLATE_ID, excerpts.get(0).templateId());
        return excerpts;
    }

    private OrderUpdateEvent minimalOrder()
    {
        return journal.orderUpdate()
            .exchange("e").symbol("s").orderId("o").side(Side.BUY).orderType(OrderType.LIMIT)
            .status(OrderStatus.OPEN).amount(1, 0);
    }

    private static long nowNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    }

    private static void assertNear(final long beforeNs, final long afterNs, final long actualNs)
    {
        assertTrue(actualNs >= beforeNs - CLOCK_TOLERANCE_NS && actualNs <= afterNs + CLOCK_TOLERANCE_NS,
            "time " + actualNs + " is not within [" + beforeNs + ", " + afterNs + "] give or take 2 s");
    }

    private static void assertHeader(final Excerpt excerpt, final int templateId, final int blockLength)
    {
        assertEquals(templateId, excerpt.header.templateId());
        assertEquals(blockLength, excerpt.header.blockLength());
        assertEquals(MessageHeaderDecoder.SCHEMA_ID, excerpt.header.schemaId());
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, excerpt.header.version());
    }

    private static void assertDecimal(final long mantissa, final int exponent, final DecimalDecoder decimal)
    {
        assertEquals(mantissa, decimal.mantissa(), "mantissa");
        assertEquals(exponent, decimal.exponent(), "exponent");
    }

    private static void assertNullDecimal(final DecimalDecoder decimal)
    {
        assertEquals(DecimalDecoder.mantissaNullValue(), decimal.mantissa());
        assertEquals(Long.MIN_VALUE, decimal.mantissa());
    }

    private static int headerAndOffset(final int encodingOffset)
    {
        return MessageHeaderDecoder.ENCODED_LENGTH + encodingOffset;
    }

    /**
     * The raw bytes of a fixed-length char field: the value, then zeros to the end, never a leftover.
     */
    private static void assertAsciiBytes(
        final String expected, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] actual = new byte[length];
        buffer.getBytes(offset, actual);
        final byte[] padded = Arrays.copyOf(expected.getBytes(StandardCharsets.US_ASCII), length);
        assertArrayEquals(padded, actual);
    }

    private static OrderUpdateDecoder orderUpdate(final Excerpt excerpt)
    {
        assertHeader(excerpt, OrderUpdateDecoder.TEMPLATE_ID, OrderUpdateDecoder.BLOCK_LENGTH);
        return new OrderUpdateDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    private static FillDecoder fill(final Excerpt excerpt)
    {
        assertHeader(excerpt, FillDecoder.TEMPLATE_ID, FillDecoder.BLOCK_LENGTH);
        return new FillDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    private static TradeUpdateDecoder tradeUpdate(final Excerpt excerpt)
    {
        assertHeader(excerpt, TradeUpdateDecoder.TEMPLATE_ID, TradeUpdateDecoder.BLOCK_LENGTH);
        return new TradeUpdateDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    private static PairLockDecoder pairLock(final Excerpt excerpt)
    {
        assertHeader(excerpt, PairLockDecoder.TEMPLATE_ID, PairLockDecoder.BLOCK_LENGTH);
        return new PairLockDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    private static PairUnlockDecoder pairUnlock(final Excerpt excerpt)
    {
        assertHeader(excerpt, PairUnlockDecoder.TEMPLATE_ID, PairUnlockDecoder.BLOCK_LENGTH);
        return new PairUnlockDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    private static BalanceUpdateDecoder balanceUpdate(final Excerpt excerpt)
    {
        assertHeader(excerpt, BalanceUpdateDecoder.TEMPLATE_ID, BalanceUpdateDecoder.BLOCK_LENGTH);
        return new BalanceUpdateDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    /**
     * Var data is read in schema order, after every fixed field: the decoders' precedence checks are on in tests.
     */
    private static byte[] exitReasonBytes(final TradeUpdateDecoder decoder)
    {
        final byte[] bytes = new byte[decoder.exitReasonLength()];
        assertEquals(bytes.length, decoder.getExitReason(bytes, 0, bytes.length));
        return bytes;
    }

    private static byte[] enterTagBytes(final TradeUpdateDecoder decoder)
    {
        final byte[] bytes = new byte[decoder.enterTagLength()];
        assertEquals(bytes.length, decoder.getEnterTag(bytes, 0, bytes.length));
        return bytes;
    }

    private static byte[] reasonBytes(final PairLockDecoder decoder)
    {
        final byte[] bytes = new byte[decoder.reasonLength()];
        assertEquals(bytes.length, decoder.getReason(bytes, 0, bytes.length));
        return bytes;
    }

    private static byte[] reasonBytes(final PairUnlockDecoder decoder)
    {
        final byte[] bytes = new byte[decoder.reasonLength()];
        assertEquals(bytes.length, decoder.getReason(bytes, 0, bytes.length));
        return bytes;
    }

    private static <E extends Enum<E>> List<E> values(final E[] values)
    {
        final List<E> valid = new ArrayList<>();
        for (final E value : values)
        {
            if (!"NULL_VAL".equals(value.name()))
            {
                valid.add(value);
            }
        }
        return valid;
    }

    /**
     * Printable ASCII of the given length, cycling through 0x20 to 0x7E from an offset, so that the longest values
     * between them hold every printable character: space, quotes and backslash included.
     */
    private static String printable(final int length, final int offset)
    {
        final StringBuilder builder = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            builder.append((char)(0x20 + (offset + i) % 95));
        }
        return builder.toString();
    }

    /**
     * Exactly 1024 bytes of UTF-8 that mixes one, two, three and four byte characters (a surrogate pair in Java).
     */
    private static String utf8Of1024Bytes()
    {
        final StringBuilder builder = new StringBuilder();
        while (builder.toString().getBytes(StandardCharsets.UTF_8).length < 1020)
        {
            builder.append("aé€😀");
        }
        builder.append("😀");
        final String text = builder.toString();
        assertEquals(JournalEvent.MAX_TEXT_BYTES, text.getBytes(StandardCharsets.UTF_8).length);
        return text;
    }
}

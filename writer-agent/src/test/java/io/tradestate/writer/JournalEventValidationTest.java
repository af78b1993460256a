package io.tradestate.writer;

import io.tradestate.codecs.BalanceUpdateDecoder;
import io.tradestate.codecs.EventOrigin;
import io.tradestate.codecs.FillDecoder;
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
import io.tradestate.writer.JournalExcerpts.Excerpt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Caller bugs fail fast: every invalid argument, missing required field and inconsistent event is refused with an
 * {@link IllegalArgumentException} naming the field, the refused event cannot be committed any more, nothing of it
 * reaches the queue, and the next event of the same type is appended as if nothing had happened.
 * <p>
 * The two parameterised tests (about 1,700 cases) share one journal, read while it is open: each case reads from the
 * valid event it committed before the refused one to the end of the queue, so anything a refused event leaked would
 * be found there. The other tests each open a journal of their own.
 */
class JournalEventValidationTest
{
    private static final String TOO_LONG_UTF8 = "x".repeat(JournalEvent.MAX_TEXT_BYTES + 1);
    private static final String TWO_BYTE_UTF8_OF_1026_BYTES = "é".repeat(513);
    private static final String THREE_BYTE_UTF8_OF_1026_BYTES = "€".repeat(342);
    private static final String FOUR_BYTE_UTF8_OF_1028_BYTES = "😀".repeat(257);
    private static final String LONGEST_UTF8_PLUS_ONE_BYTE = "😀".repeat(256) + "a";

    @TempDir
    static Path sharedRoot;

    private static TradeJournal sharedJournal;
    private static JournalExcerpts.Reader sharedReader;

    @TempDir
    Path root;

    private TradeJournal journal;

    @BeforeAll
    static void openShared()
    {
        sharedJournal = TradeJournal.open(context(sharedRoot));
        sharedReader = new JournalExcerpts.Reader(sharedRoot.resolve("validation"));
        final List<Excerpt> started = sharedReader.readFrom(sharedReader.firstIndex());
        assertEquals(SourceStartedDecoder.TEMPLATE_ID, started.get(0).templateId());
    }

    @AfterAll
    static void closeShared()
    {
        sharedReader.close();
        sharedJournal.close();
    }

    @BeforeEach
    void open(final TestInfo test)
    {
        if (test.getTestMethod().orElseThrow().isAnnotationPresent(Test.class))
        {
            journal = TradeJournal.open(context(root));
        }
    }

    @AfterEach
    void close()
    {
        if (null != journal)
        {
            journal.close();
        }
    }

    private static JournalContext context(final Path journalRoot)
    {
        return new JournalContext()
            .journalRoot(journalRoot)
            .sourceId("validation")
            .heartbeatIntervalMs(0)
            .pretouchEnabled(false)
            .syncPolicy(SyncPolicy.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void shouldRefuseTheEventAndWriteNothingOfItWhenAFieldIsInvalid(final Case invalid)
    {
        final long committedBefore = invalid.validEvent.apply(sharedJournal).commit();

        final JournalEvent event = invalid.refusedEvent.apply(sharedJournal);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> invalid.invalidCall.accept(event));
        for (final String expected : invalid.expectedInMessage)
        {
            assertTrue(ex.getMessage().contains(expected), "'" + ex.getMessage() + "' should name " + expected);
        }
        assertFalse(event.isOpen());
        assertThrows(IllegalStateException.class, event::commit);
        assertThrows(IllegalStateException.class, event::commit);

        final long committedAfter = invalid.validEvent.apply(sharedJournal).commit();

        final List<Excerpt> excerpts = sharedReader.readFrom(committedBefore);
        assertEquals(2, excerpts.size());
        assertEquals(committedBefore, excerpts.get(0).index);
        assertEquals(committedAfter, excerpts.get(1).index);
        assertEquals(invalid.templateId, excerpts.get(0).templateId());
        assertEquals(invalid.templateId, excerpts.get(1).templateId());
        assertEquals(0, excerptsDifferOnlyInTime(excerpts.get(0), excerpts.get(1)),
            "the refused event leaked into the next one");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedValues")
    void shouldAcceptANegativeValueWhenTheFieldMayBeNegative(final Signed signed)
    {
        final JournalEvent event = signed.validEvent.apply(sharedJournal);
        signed.setNegative.accept(event);
        final long index = event.commit();

        final List<Excerpt> excerpts = sharedReader.readFrom(index);
        assertEquals(1, excerpts.size());
        assertEquals(index, excerpts.get(0).index);
        assertEquals(signed.expectedMantissa, signed.readMantissa.applyAsLong(excerpts.get(0)));
    }

    @Test
    void shouldRefuseCommitWhenTheEventWasAlreadyCommitted()
    {
        final OrderUpdateEvent event = validOrderUpdate(journal);
        event.commit();

        assertFalse(event.isOpen());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, event::commit);
        assertTrue(ex.getMessage().contains("OrderUpdate"), ex.getMessage());
        assertTrue(ex.getMessage().contains("TradeJournal.orderUpdate()"), ex.getMessage());
        assertEquals(2, closeAndRead().size());
    }

    @Test
    void shouldRefuseSettersWhenTheEventWasAlreadyCommitted()
    {
        final FillEvent event = validFill(journal);
        event.commit();

        assertThrows(IllegalStateException.class, () -> event.symbol("ETH/USDT"));
        assertThrows(IllegalStateException.class, () -> event.price(1, 0));
        assertThrows(IllegalStateException.class, () -> event.price(BigDecimal.ONE));
        assertThrows(IllegalStateException.class, () -> event.side(Side.SELL));
        assertThrows(IllegalStateException.class, () -> event.tradeId(1));
        assertThrows(IllegalStateException.class, () -> event.exchangeTimeMs(1));
        assertThrows(IllegalStateException.class, event::commit);
        assertEquals(2, closeAndRead().size());
    }

    @Test
    void shouldRefuseSettersAndCommitWhenASetterFailedEarlier()
    {
        final TradeUpdateEvent event = validTradeUpdate(journal);
        assertThrows(IllegalArgumentException.class, () -> event.exitReason("\uD800"));

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> event.exitReason("fine"));
        assertTrue(ex.getMessage().contains("TradeUpdate"), ex.getMessage());
        assertThrows(IllegalStateException.class, () -> event.amount(1, 0));
        assertThrows(IllegalStateException.class, event::commit);
        assertEquals(1, closeAndRead().size());
    }

    @Test
    void shouldWriteNothingWhenTheEventIsAbandoned()
    {
        final PairLockEvent event = validPairLock(journal);
        event.abandon();

        assertFalse(event.isOpen());
        assertThrows(IllegalStateException.class, event::commit);
        assertEquals(1, closeAndRead().size());
    }

    @Test
    void shouldDiscardTheStagedValuesWhenANewEventOfTheSameTypeIsStarted()
    {
        journal.orderUpdate().exchange("stale").symbol("STALE/PAIR").feeCost(1, 0).price(5, 0);
        final long index = journal.orderUpdate()
            .exchange("binance").symbol("BTC/USDT").orderId("1").side(Side.BUY).orderType(OrderType.MARKET)
            .status(OrderStatus.OPEN).amount(1, 0)
            .commit();

        final List<Excerpt> excerpts = closeAndRead();
        assertEquals(2, excerpts.size());
        assertEquals(index, excerpts.get(1).index);
        final OrderUpdateDecoder decoder =
            new OrderUpdateDecoder().wrapAndApplyHeader(excerpts.get(1).buffer, 0, new MessageHeaderDecoder());
        assertEquals("binance", decoder.exchange());
        assertEquals("BTC/USDT", decoder.symbol());
        assertEquals(Long.MIN_VALUE, decoder.price().mantissa());
        assertEquals(Long.MIN_VALUE, decoder.feeCost().mantissa());
    }

    @Test
    void shouldRefuseCommitWithoutWritingWhenTheJournalIsClosed()
    {
        final BalanceUpdateEvent event = validBalanceUpdate(journal);
        journal.close();

        final IllegalStateException ex = assertThrows(IllegalStateException.class, event::commit);
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
        assertThrows(IllegalStateException.class, () -> journal.heartbeat());
        assertEquals(1, JournalExcerpts.readAll(root.resolve("validation")).size());
    }

    @Test
    void shouldKeepOtherEventTypesOpenWhenOneTypeIsRefused()
    {
        final OrderUpdateEvent order = validOrderUpdate(journal);
        final FillEvent fill = validFill(journal);
        assertThrows(IllegalArgumentException.class, () -> fill.symbol(""));

        assertTrue(order.isOpen());
        final long index = order.commit();
        final List<Excerpt> excerpts = closeAndRead();
        assertEquals(2, excerpts.size());
        assertEquals(index, excerpts.get(1).index);
        assertEquals(OrderUpdateDecoder.TEMPLATE_ID, excerpts.get(1).templateId());
    }

    static List<Case> invalidEvents()
    {
        final List<Case> cases = new ArrayList<>();

        asciiCases(cases, "OrderUpdate.exchange", 16, JournalEventValidationTest::validOrderUpdate,
            OrderUpdateEvent::exchange);
        asciiCases(cases, "OrderUpdate.symbol", 32, JournalEventValidationTest::validOrderUpdate,
            OrderUpdateEvent::symbol);
        asciiCases(cases, "OrderUpdate.orderId", 64, JournalEventValidationTest::validOrderUpdate,
            OrderUpdateEvent::orderId);
        asciiCases(cases, "OrderUpdate.clientOrderId", 64, JournalEventValidationTest::validOrderUpdate,
            OrderUpdateEvent::clientOrderId);
        asciiCases(cases, "OrderUpdate.feeCurrency", 16, JournalEventValidationTest::validOrderUpdate,
            OrderUpdateEvent::feeCurrency);
        asciiCases(cases, "Fill.exchange", 16, JournalEventValidationTest::validFill, FillEvent::exchange);
        asciiCases(cases, "Fill.symbol", 32, JournalEventValidationTest::validFill, FillEvent::symbol);
        asciiCases(cases, "Fill.fillId", 64, JournalEventValidationTest::validFill, FillEvent::fillId);
        asciiCases(cases, "Fill.orderId", 64, JournalEventValidationTest::validFill, FillEvent::orderId);
        asciiCases(cases, "Fill.feeCurrency", 16, JournalEventValidationTest::validFill, FillEvent::feeCurrency);
        asciiCases(cases, "TradeUpdate.strategy", 32, JournalEventValidationTest::validTradeUpdate,
            TradeUpdateEvent::strategy);
        asciiCases(cases, "TradeUpdate.exchange", 16, JournalEventValidationTest::validTradeUpdate,
            TradeUpdateEvent::exchange);
        asciiCases(cases, "TradeUpdate.pair", 32, JournalEventValidationTest::validTradeUpdate,
            TradeUpdateEvent::pair);
        asciiCases(cases, "TradeUpdate.stakeCurrency", 16, JournalEventValidationTest::validTradeUpdate,
            TradeUpdateEvent::stakeCurrency);
        asciiCases(cases, "PairLock.pair", 32, JournalEventValidationTest::validPairLock, PairLockEvent::pair);
        asciiCases(cases, "PairUnlock.pair", 32, JournalEventValidationTest::validPairUnlockByPair,
            PairUnlockEvent::pair);
        asciiCases(cases, "BalanceUpdate.exchange", 16, JournalEventValidationTest::validBalanceUpdate,
            BalanceUpdateEvent::exchange);
        asciiCases(cases, "BalanceUpdate.asset", 16, JournalEventValidationTest::validBalanceUpdate,
            BalanceUpdateEvent::asset);

        utf8Cases(cases, "TradeUpdate.exitReason", JournalEventValidationTest::validTradeUpdate,
            TradeUpdateEvent::exitReason);
        utf8Cases(cases, "TradeUpdate.enterTag", JournalEventValidationTest::validTradeUpdate,
            TradeUpdateEvent::enterTag);
        utf8Cases(cases, "PairLock.reason", JournalEventValidationTest::validPairLock, PairLockEvent::reason);
        utf8Cases(cases, "PairUnlock.reason", JournalEventValidationTest::validPairUnlockByReason,
            PairUnlockEvent::reason);

        final Function<TradeJournal, OrderUpdateEvent> order = JournalEventValidationTest::validOrderUpdate;
        decimalCases(cases, "OrderUpdate.price", false, order, OrderUpdateEvent::price, OrderUpdateEvent::price);
        decimalCases(cases, "OrderUpdate.stopPrice", false, order, OrderUpdateEvent::stopPrice,
            OrderUpdateEvent::stopPrice);
        decimalCases(cases, "OrderUpdate.amount", false, order, OrderUpdateEvent::amount, OrderUpdateEvent::amount);
        decimalCases(cases, "OrderUpdate.filled", false, order, OrderUpdateEvent::filled, OrderUpdateEvent::filled);
        decimalCases(cases, "OrderUpdate.remaining", false, order, OrderUpdateEvent::remaining,
            OrderUpdateEvent::remaining);
        decimalCases(cases, "OrderUpdate.average", false, order, OrderUpdateEvent::average,
            OrderUpdateEvent::average);
        decimalCases(cases, "OrderUpdate.cost", false, order, OrderUpdateEvent::cost, OrderUpdateEvent::cost);
        decimalCases(cases, "OrderUpdate.feeCost", true, order, OrderUpdateEvent::feeCost,
            OrderUpdateEvent::feeCost);
        decimalCases(cases, "OrderUpdate.leverage", false, order, OrderUpdateEvent::leverage,
            OrderUpdateEvent::leverage);

        final Function<TradeJournal, FillEvent> fill = JournalEventValidationTest::validFill;
        decimalCases(cases, "Fill.price", false, fill, FillEvent::price, FillEvent::price);
        decimalCases(cases, "Fill.amount", false, fill, FillEvent::amount, FillEvent::amount);
        decimalCases(cases, "Fill.feeCost", true, fill, FillEvent::feeCost, FillEvent::feeCost);

        final Function<TradeJournal, TradeUpdateEvent> trade = JournalEventValidationTest::validTradeUpdate;
        decimalCases(cases, "TradeUpdate.leverage", false, trade, TradeUpdateEvent::leverage,
            TradeUpdateEvent::leverage);
        decimalCases(cases, "TradeUpdate.openRate", false, trade, TradeUpdateEvent::openRate,
            TradeUpdateEvent::openRate);
        decimalCases(cases, "TradeUpdate.amount", false, trade, TradeUpdateEvent::amount, TradeUpdateEvent::amount);
        decimalCases(cases, "TradeUpdate.stakeAmount", false, trade, TradeUpdateEvent::stakeAmount,
            TradeUpdateEvent::stakeAmount);
        decimalCases(cases, "TradeUpdate.stopLoss", false, trade, TradeUpdateEvent::stopLoss,
            TradeUpdateEvent::stopLoss);
        decimalCases(cases, "TradeUpdate.stopLossPct", true, trade, TradeUpdateEvent::stopLossPct,
            TradeUpdateEvent::stopLossPct);
        decimalCases(cases, "TradeUpdate.initialStopLoss", false, trade, TradeUpdateEvent::initialStopLoss,
            TradeUpdateEvent::initialStopLoss);
        decimalCases(cases, "TradeUpdate.initialStopLossPct", true, trade, TradeUpdateEvent::initialStopLossPct,
            TradeUpdateEvent::initialStopLossPct);
        decimalCases(cases, "TradeUpdate.maxRate", false, trade, TradeUpdateEvent::maxRate,
            TradeUpdateEvent::maxRate);
        decimalCases(cases, "TradeUpdate.minRate", false, trade, TradeUpdateEvent::minRate,
            TradeUpdateEvent::minRate);
        decimalCases(cases, "TradeUpdate.closeRate", false, trade, TradeUpdateEvent::closeRate,
            TradeUpdateEvent::closeRate);
        decimalCases(cases, "TradeUpdate.liquidationPrice", false, trade, TradeUpdateEvent::liquidationPrice,
            TradeUpdateEvent::liquidationPrice);
        decimalCases(cases, "TradeUpdate.interestRate", false, trade, TradeUpdateEvent::interestRate,
            TradeUpdateEvent::interestRate);
        decimalCases(cases, "TradeUpdate.fundingFees", true, trade, TradeUpdateEvent::fundingFees,
            TradeUpdateEvent::fundingFees);
        decimalCases(cases, "TradeUpdate.feeOpen", false, trade, TradeUpdateEvent::feeOpen,
            TradeUpdateEvent::feeOpen);
        decimalCases(cases, "TradeUpdate.feeClose", false, trade, TradeUpdateEvent::feeClose,
            TradeUpdateEvent::feeClose);
        decimalCases(cases, "TradeUpdate.realizedProfit", true, trade, TradeUpdateEvent::realizedProfit,
            TradeUpdateEvent::realizedProfit);

        final Function<TradeJournal, BalanceUpdateEvent> balance = JournalEventValidationTest::validBalanceUpdate;
        decimalCases(cases, "BalanceUpdate.free", true, balance, BalanceUpdateEvent::free, BalanceUpdateEvent::free);
        decimalCases(cases, "BalanceUpdate.used", true, balance, BalanceUpdateEvent::used, BalanceUpdateEvent::used);
        decimalCases(cases, "BalanceUpdate.total", true, balance, BalanceUpdateEvent::total,
            BalanceUpdateEvent::total);

        enumCases(cases, "OrderUpdate.side", order, OrderUpdateEvent::side, Side.NULL_VAL);
        enumCases(cases, "OrderUpdate.orderType", order, OrderUpdateEvent::orderType, OrderType.NULL_VAL);
        enumCases(cases, "OrderUpdate.timeInForce", order, OrderUpdateEvent::timeInForce, TimeInForce.NULL_VAL);
        enumCases(cases, "OrderUpdate.status", order, OrderUpdateEvent::status, OrderStatus.NULL_VAL);
        enumCases(cases, "Fill.side", fill, FillEvent::side, Side.NULL_VAL);
        enumCases(cases, "Fill.liquidity", fill, FillEvent::liquidity, Liquidity.NULL_VAL);
        enumCases(cases, "OrderUpdate.origin", order, OrderUpdateEvent::origin, EventOrigin.NULL_VAL);
        enumCases(cases, "Fill.origin", fill, FillEvent::origin, EventOrigin.NULL_VAL);
        enumCases(cases, "BalanceUpdate.origin", balance, BalanceUpdateEvent::origin, EventOrigin.NULL_VAL);
        enumCases(cases, "TradeUpdate.tradingMode", trade, TradeUpdateEvent::tradingMode, TradingMode.NULL_VAL);
        enumCases(cases, "PairLock.side", JournalEventValidationTest::validPairLock, PairLockEvent::side,
            LockSide.NULL_VAL);
        enumCases(cases, "PairUnlock.side", JournalEventValidationTest::validPairUnlockByPair, PairUnlockEvent::side,
            LockSide.NULL_VAL);

        epochMsCases(cases, "OrderUpdate.exchangeTimeMs", order, OrderUpdateEvent::exchangeTimeMs);
        negativeLongCases(cases, "OrderUpdate.receiveTimeNs", order, OrderUpdateEvent::receiveTimeNs);
        negativeLongCases(cases, "OrderUpdate.tradeId", order, OrderUpdateEvent::tradeId);
        epochMsCases(cases, "Fill.exchangeTimeMs", fill, FillEvent::exchangeTimeMs);
        negativeLongCases(cases, "Fill.tradeId", fill, FillEvent::tradeId);
        negativeLongCases(cases, "TradeUpdate.tradeId", trade, TradeUpdateEvent::tradeId);
        epochMsCases(cases, "TradeUpdate.openTimeMs", trade, TradeUpdateEvent::openTimeMs);
        epochMsCases(cases, "TradeUpdate.closeTimeMs", trade, TradeUpdateEvent::closeTimeMs);
        epochMsCases(cases, "PairLock.lockTimeMs", JournalEventValidationTest::validPairLock,
            PairLockEvent::lockTimeMs);
        epochMsCases(cases, "PairLock.lockEndTimeMs", JournalEventValidationTest::validPairLock,
            PairLockEvent::lockEndTimeMs);
        epochMsCases(cases, "PairUnlock.unlockTimeMs", JournalEventValidationTest::validPairUnlockByPair,
            PairUnlockEvent::unlockTimeMs);
        epochMsCases(cases, "BalanceUpdate.exchangeTimeMs", balance, BalanceUpdateEvent::exchangeTimeMs);
        epochMsCases(cases, "OrderUpdate.reconcileTimeMs", order, OrderUpdateEvent::reconcileTimeMs);
        epochMsCases(cases, "Fill.reconcileTimeMs", fill, FillEvent::reconcileTimeMs);
        epochMsCases(cases, "BalanceUpdate.reconcileTimeMs", balance, BalanceUpdateEvent::reconcileTimeMs);

        missingFieldCases(cases);
        crossFieldCases(cases);
        return cases;
    }

    static List<Signed> signedValues()
    {
        final List<Signed> values = new ArrayList<>();
        final Function<TradeJournal, OrderUpdateEvent> order =
            (journal) -> validOrderUpdate(journal).feeCurrency("BNB");
        final Function<TradeJournal, FillEvent> fill = (journal) -> validFill(journal).feeCurrency("BNB");
        final Function<TradeJournal, TradeUpdateEvent> trade = JournalEventValidationTest::validTradeUpdate;
        final Function<TradeJournal, BalanceUpdateEvent> balance = JournalEventValidationTest::validBalanceUpdate;

        signed(values, "OrderUpdate.feeCost", order, OrderUpdateEvent::feeCost, OrderUpdateEvent::feeCost,
            (excerpt) -> orderUpdate(excerpt).feeCost().mantissa());
        signed(values, "Fill.feeCost", fill, FillEvent::feeCost, FillEvent::feeCost,
            (excerpt) -> fill(excerpt).feeCost().mantissa());
        signed(values, "TradeUpdate.stopLossPct", trade, TradeUpdateEvent::stopLossPct,
            TradeUpdateEvent::stopLossPct, (excerpt) -> tradeUpdate(excerpt).stopLossPct().mantissa());
        signed(values, "TradeUpdate.initialStopLossPct", trade, TradeUpdateEvent::initialStopLossPct,
            TradeUpdateEvent::initialStopLossPct, (excerpt) -> tradeUpdate(excerpt).initialStopLossPct().mantissa());
        signed(values, "TradeUpdate.fundingFees", trade, TradeUpdateEvent::fundingFees,
            TradeUpdateEvent::fundingFees, (excerpt) -> tradeUpdate(excerpt).fundingFees().mantissa());
        signed(values, "TradeUpdate.realizedProfit", trade, TradeUpdateEvent::realizedProfit,
            TradeUpdateEvent::realizedProfit, (excerpt) -> tradeUpdate(excerpt).realizedProfit().mantissa());
        signed(values, "BalanceUpdate.free", balance, BalanceUpdateEvent::free, BalanceUpdateEvent::free,
            (excerpt) -> balanceUpdate(excerpt).free().mantissa());
        signed(values, "BalanceUpdate.used", balance, BalanceUpdateEvent::used, BalanceUpdateEvent::used,
            (excerpt) -> balanceUpdate(excerpt).used().mantissa());
        signed(values, "BalanceUpdate.total", balance, BalanceUpdateEvent::total, BalanceUpdateEvent::total,
            (excerpt) -> balanceUpdate(excerpt).total().mantissa());
        return values;
    }

    private static <E extends JournalEvent> void asciiCases(
        final List<Case> cases,
        final String field,
        final int capacity,
        final Function<TradeJournal, E> validEvent,
        final BiConsumer<E, CharSequence> setter)
    {
        cases.add(reject(field + " null", validEvent, (event) -> setter.accept(event, null), field, "null"));
        cases.add(reject(field + " empty", validEvent, (event) -> setter.accept(event, ""), field, "empty"));
        cases.add(reject(field + " one character too long", validEvent,
            (event) -> setter.accept(event, "A".repeat(capacity + 1)), field, Integer.toString(capacity)));
        cases.add(reject(field + " far too long", validEvent,
            (event) -> setter.accept(event, new StringBuilder("B".repeat(capacity * 10))), field));
        cases.add(reject(field + " NUL", validEvent, (event) -> setter.accept(event, "a\u0000b"), field, "ASCII"));
        cases.add(reject(field + " tab", validEvent, (event) -> setter.accept(event, "a\tb"), field, "ASCII"));
        cases.add(reject(field + " newline", validEvent, (event) -> setter.accept(event, "ab\n"), field, "ASCII"));
        cases.add(reject(field + " DEL", validEvent, (event) -> setter.accept(event, "\u007F"), field, "ASCII"));
        cases.add(reject(field + " Latin-1", validEvent, (event) -> setter.accept(event, "caf\u00E9"), field,
            "ASCII"));
        cases.add(reject(field + " emoji", validEvent, (event) -> setter.accept(event, "BTC😀"), field, "ASCII"));
    }

    private static <E extends JournalEvent> void utf8Cases(
        final List<Case> cases,
        final String field,
        final Function<TradeJournal, E> validEvent,
        final BiConsumer<E, CharSequence> setter)
    {
        cases.add(reject(field + " null", validEvent, (event) -> setter.accept(event, null), field, "null"));
        cases.add(reject(field + " high surrogate at the end", validEvent,
            (event) -> setter.accept(event, "stop \uD83D"), field, "surrogate"));
        cases.add(reject(field + " high surrogate alone", validEvent,
            (event) -> setter.accept(event, "\uD83D"), field, "surrogate"));
        cases.add(reject(field + " low surrogate first", validEvent,
            (event) -> setter.accept(event, "\uDE00\uD83D"), field, "surrogate"));
        cases.add(reject(field + " high surrogate then a letter", validEvent,
            (event) -> setter.accept(event, "\uD83Dx"), field, "surrogate"));
        cases.add(reject(field + " two high surrogates", validEvent,
            (event) -> setter.accept(event, "\uD83D\uD83D\uDE00"), field, "surrogate"));
        cases.add(reject(field + " 1025 bytes of ASCII", validEvent,
            (event) -> setter.accept(event, TOO_LONG_UTF8), field, "1024"));
        cases.add(reject(field + " 1026 bytes of two-byte characters", validEvent,
            (event) -> setter.accept(event, TWO_BYTE_UTF8_OF_1026_BYTES), field, "1024"));
        cases.add(reject(field + " 1026 bytes of three-byte characters", validEvent,
            (event) -> setter.accept(event, THREE_BYTE_UTF8_OF_1026_BYTES), field, "1024"));
        cases.add(reject(field + " 1028 bytes of four-byte characters", validEvent,
            (event) -> setter.accept(event, FOUR_BYTE_UTF8_OF_1028_BYTES), field, "1024"));
        cases.add(reject(field + " 1024 bytes of four-byte characters and one more", validEvent,
            (event) -> setter.accept(event, LONGEST_UTF8_PLUS_ONE_BYTE), field, "1024"));
        cases.add(reject(field + " 1023 bytes and a two-byte character", validEvent,
            (event) -> setter.accept(event, "x".repeat(1023) + "é"), field, "1024"));
        cases.add(reject(field + " 1022 bytes and a three-byte character", validEvent,
            (event) -> setter.accept(event, "x".repeat(1022) + "€"), field, "1024"));
        cases.add(reject(field + " 1021 bytes and a four-byte character", validEvent,
            (event) -> setter.accept(event, "x".repeat(1021) + "😀"), field, "1024"));
    }

    private static <E extends JournalEvent> void decimalCases(
        final List<Case> cases,
        final String field,
        final boolean signed,
        final Function<TradeJournal, E> validEvent,
        final DecimalSetter<E> setter,
        final BiConsumer<E, BigDecimal> bigDecimalSetter)
    {
        cases.add(reject(field + " mantissa Long.MIN_VALUE", validEvent,
            (event) -> setter.set(event, Long.MIN_VALUE, 0), field, "null"));
        cases.add(reject(field + " exponent -19", validEvent, (event) -> setter.set(event, 1, -19), field, "-19"));
        cases.add(reject(field + " exponent 19", validEvent, (event) -> setter.set(event, 1, 19), field, "19"));
        cases.add(reject(field + " exponent Integer.MIN_VALUE", validEvent,
            (event) -> setter.set(event, 1, Integer.MIN_VALUE), field));
        cases.add(reject(field + " exponent 256 (a byte of 0)", validEvent,
            (event) -> setter.set(event, 1, 256), field));
        cases.add(reject(field + " BigDecimal null", validEvent, (event) -> bigDecimalSetter.accept(event, null),
            field, "null"));
        cases.add(reject(field + " BigDecimal with 19 decimal places", validEvent,
            (event) -> bigDecimalSetter.accept(event, new BigDecimal("0.0000000000000000001")), field, "18"));
        cases.add(reject(field + " BigDecimal with 30 significant decimal places", validEvent,
            (event) -> bigDecimalSetter.accept(event, new BigDecimal("1.000000000000000000000000000001")), field));
        cases.add(reject(field + " BigDecimal of Long.MAX_VALUE + 1", validEvent,
            (event) -> bigDecimalSetter.accept(event, new BigDecimal("9223372036854775808")), field, "64-bit"));
        cases.add(reject(field + " BigDecimal of 1E+40", validEvent,
            (event) -> bigDecimalSetter.accept(event, new BigDecimal("1E+40")), field, "64-bit"));
        cases.add(reject(field + " BigDecimal with 20 significant digits", validEvent,
            (event) -> bigDecimalSetter.accept(event, new BigDecimal("1.2345678901234567891")), field));
        if (signed)
        {
            cases.add(reject(field + " BigDecimal of Long.MIN_VALUE", validEvent,
                (event) -> bigDecimalSetter.accept(event, new BigDecimal("-9223372036854775808")), field, "64-bit"));
        }
        else
        {
            cases.add(reject(field + " mantissa -1", validEvent, (event) -> setter.set(event, -1, 0), field,
                "negative"));
            cases.add(reject(field + " mantissa Long.MIN_VALUE + 1", validEvent,
                (event) -> setter.set(event, Long.MIN_VALUE + 1, -18), field, "negative"));
            cases.add(reject(field + " BigDecimal -0.01", validEvent,
                (event) -> bigDecimalSetter.accept(event, new BigDecimal("-0.01")), field, "negative"));
            cases.add(reject(field + " BigDecimal -1E+20", validEvent,
                (event) -> bigDecimalSetter.accept(event, new BigDecimal("-1E+20")), field, "negative"));
        }
    }

    private static <E extends JournalEvent, T extends Enum<T>> void enumCases(
        final List<Case> cases,
        final String field,
        final Function<TradeJournal, E> validEvent,
        final BiConsumer<E, T> setter,
        final T nullValue)
    {
        cases.add(reject(field + " null", validEvent, (event) -> setter.accept(event, null), field));
        cases.add(reject(field + " NULL_VAL", validEvent, (event) -> setter.accept(event, nullValue), field));
    }

    private static <E extends JournalEvent> void negativeLongCases(
        final List<Case> cases,
        final String field,
        final Function<TradeJournal, E> validEvent,
        final ObjLongConsumer<E> setter)
    {
        cases.add(reject(field + " -1", validEvent, (event) -> setter.accept(event, -1), field, "-1"));
        cases.add(reject(field + " Long.MIN_VALUE", validEvent, (event) -> setter.accept(event, Long.MIN_VALUE),
            field, Long.toString(Long.MIN_VALUE)));
    }

    private static <E extends JournalEvent> void epochMsCases(
        final List<Case> cases,
        final String field,
        final Function<TradeJournal, E> validEvent,
        final ObjLongConsumer<E> setter)
    {
        negativeLongCases(cases, field, validEvent, setter);
        final long afterYear9999 = JournalEvent.MAX_EPOCH_MS + 1;
        cases.add(reject(field + " after 9999-12-31", validEvent, (event) -> setter.accept(event, afterYear9999),
            field, Long.toString(afterYear9999)));
        cases.add(reject(field + " Long.MAX_VALUE", validEvent, (event) -> setter.accept(event, Long.MAX_VALUE),
            field, Long.toString(Long.MAX_VALUE)));
    }

    private static void missingFieldCases(final List<Case> cases)
    {
        for (final String field : List.of(
            "exchange", "symbol", "orderId", "side", "orderType", "status", "amount"))
        {
            cases.add(refuseAtCommit("OrderUpdate." + field + " missing", JournalEventValidationTest::validOrderUpdate,
                (journal) -> orderUpdateWithout(journal, field), "OrderUpdate." + field + " is required"));
        }

        for (final String field : List.of("exchange", "symbol", "fillId", "orderId", "side", "price", "amount"))
        {
            cases.add(refuseAtCommit("Fill." + field + " missing", JournalEventValidationTest::validFill,
                (journal) -> fillWithout(journal, field), "Fill." + field + " is required"));
        }

        for (final String field : List.of(
            "tradeId", "openTimeMs", "strategy", "exchange", "pair", "openRate", "amount", "stakeAmount"))
        {
            cases.add(refuseAtCommit("TradeUpdate." + field + " missing", JournalEventValidationTest::validTradeUpdate,
                (journal) -> tradeUpdateWithout(journal, field), "TradeUpdate." + field + " is required"));
        }

        for (final String field : List.of("pair", "lockEndTimeMs"))
        {
            cases.add(refuseAtCommit("PairLock." + field + " missing", JournalEventValidationTest::validPairLock,
                (journal) -> pairLockWithout(journal, field), "PairLock." + field + " is required"));
        }

        for (final String field : List.of("exchange", "asset", "total"))
        {
            cases.add(refuseAtCommit("BalanceUpdate." + field + " missing",
                JournalEventValidationTest::validBalanceUpdate, (journal) -> balanceUpdateWithout(journal, field),
                "BalanceUpdate." + field + " is required"));
        }

        cases.add(refuseAtCommit("OrderUpdate with no field set", JournalEventValidationTest::validOrderUpdate,
            TradeJournal::orderUpdate, "OrderUpdate.exchange is required"));
        cases.add(refuseAtCommit("Fill with no field set", JournalEventValidationTest::validFill,
            TradeJournal::fill, "Fill.exchange is required"));
        cases.add(refuseAtCommit("TradeUpdate with no field set", JournalEventValidationTest::validTradeUpdate,
            TradeJournal::tradeUpdate, "TradeUpdate.tradeId is required"));
        cases.add(refuseAtCommit("PairLock with no field set", JournalEventValidationTest::validPairLock,
            TradeJournal::pairLock, "PairLock.lockEndTimeMs is required"));
        cases.add(refuseAtCommit("BalanceUpdate with no field set", JournalEventValidationTest::validBalanceUpdate,
            TradeJournal::balanceUpdate, "BalanceUpdate.exchange is required"));
    }

    private static void crossFieldCases(final List<Case> cases)
    {
        final Function<TradeJournal, OrderUpdateEvent> order = JournalEventValidationTest::validOrderUpdate;
        cases.add(refuseAtCommit("OrderUpdate.feeCost without feeCurrency", order,
            (journal) -> validOrderUpdate(journal).feeCost(1, -2), "OrderUpdate.feeCurrency", "feeCost"));
        cases.add(refuseAtCommit("OrderUpdate.feeCost (BigDecimal) without feeCurrency", order,
            (journal) -> validOrderUpdate(journal).feeCost(new BigDecimal("-0.5")), "OrderUpdate.feeCurrency",
            "feeCost"));
        cases.add(refuseAtCommit("Fill.feeCost without feeCurrency", JournalEventValidationTest::validFill,
            (journal) -> validFill(journal).feeCost(0, 0), "Fill.feeCurrency", "feeCost"));
        cases.add(refuseAtCommit("OrderUpdate.reconcileTimeMs without origin RECONCILIATION", order,
            (journal) -> validOrderUpdate(journal).reconcileTimeMs(1), "OrderUpdate.reconcileTimeMs",
            "RECONCILIATION"));
        cases.add(refuseAtCommit("Fill.reconcileTimeMs with origin STRATEGY", JournalEventValidationTest::validFill,
            (journal) -> validFill(journal).origin(EventOrigin.STRATEGY).reconcileTimeMs(1), "Fill.reconcileTimeMs",
            "RECONCILIATION"));
        cases.add(refuseAtCommit("BalanceUpdate.reconcileTimeMs without origin RECONCILIATION",
            JournalEventValidationTest::validBalanceUpdate,
            (journal) -> validBalanceUpdate(journal).reconcileTimeMs(1), "BalanceUpdate.reconcileTimeMs",
            "RECONCILIATION"));

        final Function<TradeJournal, TradeUpdateEvent> trade = JournalEventValidationTest::validTradeUpdate;
        cases.add(refuseAtCommit("TradeUpdate closed without closeRate and closeTimeMs", trade,
            (journal) -> validTradeUpdate(journal).isOpen(false), "TradeUpdate.closeRate", "closeTimeMs", "isOpen"));
        cases.add(refuseAtCommit("TradeUpdate closed without closeTimeMs", trade,
            (journal) -> validTradeUpdate(journal).isOpen(false).closeRate(1, 0), "TradeUpdate.closeRate",
            "closeTimeMs"));
        cases.add(refuseAtCommit("TradeUpdate closed without closeRate", trade,
            (journal) -> validTradeUpdate(journal).closeTimeMs(2).isOpen(false), "TradeUpdate.closeRate",
            "closeTimeMs"));

        final Function<TradeJournal, PairLockEvent> lock = JournalEventValidationTest::validPairLock;
        cases.add(refuseAtCommit("PairLock lockEndTimeMs equal to lockTimeMs", lock,
            (journal) -> validPairLock(journal).lockTimeMs(1_000).lockEndTimeMs(1_000), "PairLock.lockEndTimeMs",
            "lockTimeMs"));
        cases.add(refuseAtCommit("PairLock lockEndTimeMs before lockTimeMs", lock,
            (journal) -> validPairLock(journal).lockEndTimeMs(0).lockTimeMs(JournalEvent.MAX_EPOCH_MS),
            "PairLock.lockEndTimeMs", "lockTimeMs"));

        final Function<TradeJournal, PairUnlockEvent> unlock = JournalEventValidationTest::validPairUnlockByPair;
        cases.add(refuseAtCommit("PairUnlock with both pair and reason", unlock,
            (journal) -> validPairUnlockByPair(journal).reason("cooldown"), "PairUnlock.", "pair", "reason"));
        cases.add(refuseAtCommit("PairUnlock with both reason and pair", unlock,
            (journal) -> validPairUnlockByReason(journal).pair("*"), "PairUnlock.", "pair", "reason"));
        cases.add(refuseAtCommit("PairUnlock with neither pair nor reason", unlock,
            (journal) -> journal.pairUnlock().side(LockSide.LONG).unlockTimeMs(1), "PairUnlock.", "pair", "reason"));
        cases.add(refuseAtCommit("PairUnlock with no field set", unlock, TradeJournal::pairUnlock,
            "PairUnlock.", "pair", "reason"));
    }

    private static <E extends JournalEvent> void signed(
        final List<Signed> values,
        final String field,
        final Function<TradeJournal, E> validEvent,
        final DecimalSetter<E> setter,
        final BiConsumer<E, BigDecimal> bigDecimalSetter,
        final ToLongFunction<Excerpt> readMantissa)
    {
        values.add(new Signed(field + " mantissa -1", validEvent, (event) -> setter.set(event, -1, 0), -1,
            readMantissa));
        values.add(new Signed(field + " mantissa Long.MIN_VALUE + 1", validEvent,
            (event) -> setter.set(event, Long.MIN_VALUE + 1, -18), Long.MIN_VALUE + 1, readMantissa));
        values.add(new Signed(field + " BigDecimal -0.0001", validEvent,
            (event) -> bigDecimalSetter.accept(event, new BigDecimal("-0.0001")), -1, readMantissa));
        values.add(new Signed(field + " BigDecimal -9223372036854775807", validEvent,
            (event) -> bigDecimalSetter.accept(event, new BigDecimal("-9223372036854775807")), Long.MIN_VALUE + 1,
            readMantissa));
    }

    /**
     * A setter refusing its argument on an otherwise valid event.
     */
    @SuppressWarnings("unchecked")
    private static <E extends JournalEvent> Case reject(
        final String description,
        final Function<TradeJournal, E> validEvent,
        final Consumer<E> invalidCall,
        final String... expectedInMessage)
    {
        return new Case(
            description, validEvent::apply, validEvent::apply, (event) -> invalidCall.accept((E)event),
            expectedInMessage);
    }

    /**
     * An event whose setters all pass but that {@link JournalEvent#commit()} refuses as a whole.
     */
    private static <E extends JournalEvent> Case refuseAtCommit(
        final String description,
        final Function<TradeJournal, ? extends JournalEvent> validEvent,
        final Function<TradeJournal, E> refusedEvent,
        final String... expectedInMessage)
    {
        return new Case(description, validEvent::apply, refusedEvent::apply, JournalEvent::commit, expectedInMessage);
    }

    private static int templateIdOf(final String description)
    {
        final String type = description.split("[. ]", 2)[0];
        switch (type)
        {
            case "OrderUpdate":
                return OrderUpdateDecoder.TEMPLATE_ID;
            case "Fill":
                return FillDecoder.TEMPLATE_ID;
            case "TradeUpdate":
                return TradeUpdateDecoder.TEMPLATE_ID;
            case "PairLock":
                return PairLockDecoder.TEMPLATE_ID;
            case "PairUnlock":
                return PairUnlockDecoder.TEMPLATE_ID;
            case "BalanceUpdate":
                return BalanceUpdateDecoder.TEMPLATE_ID;
            default:
                throw new IllegalArgumentException("no event type in: " + description);
        }
    }

    static OrderUpdateEvent validOrderUpdate(final TradeJournal journal)
    {
        return orderUpdateWithout(journal, "");
    }

    static FillEvent validFill(final TradeJournal journal)
    {
        return fillWithout(journal, "");
    }

    static TradeUpdateEvent validTradeUpdate(final TradeJournal journal)
    {
        return tradeUpdateWithout(journal, "");
    }

    static PairLockEvent validPairLock(final TradeJournal journal)
    {
        return pairLockWithout(journal, "");
    }

    static PairUnlockEvent validPairUnlockByPair(final TradeJournal journal)
    {
        return journal.pairUnlock().pair("BTC/USDT");
    }

    static PairUnlockEvent validPairUnlockByReason(final TradeJournal journal)
    {
        return journal.pairUnlock().reason("cooldown");
    }

    static BalanceUpdateEvent validBalanceUpdate(final TradeJournal journal)
    {
        return balanceUpdateWithout(journal, "");
    }

    private static OrderUpdateEvent orderUpdateWithout(final TradeJournal journal, final String omitted)
    {
        final OrderUpdateEvent event = journal.orderUpdate();
        set(omitted, "exchange", () -> event.exchange("binance"));
        set(omitted, "symbol", () -> event.symbol("BTC/USDT"));
        set(omitted, "orderId", () -> event.orderId("8389765"));
        set(omitted, "side", () -> event.side(Side.BUY));
        set(omitted, "orderType", () -> event.orderType(OrderType.LIMIT));
        set(omitted, "status", () -> event.status(OrderStatus.OPEN));
        set(omitted, "amount", () -> event.amount(15, -3));
        return event;
    }

    private static FillEvent fillWithout(final TradeJournal journal, final String omitted)
    {
        final FillEvent event = journal.fill();
        set(omitted, "exchange", () -> event.exchange("binance"));
        set(omitted, "symbol", () -> event.symbol("BTC/USDT"));
        set(omitted, "fillId", () -> event.fillId("f-1"));
        set(omitted, "orderId", () -> event.orderId("8389765"));
        set(omitted, "side", () -> event.side(Side.SELL));
        set(omitted, "price", () -> event.price(6412350, -2));
        set(omitted, "amount", () -> event.amount(15, -3));
        return event;
    }

    private static TradeUpdateEvent tradeUpdateWithout(final TradeJournal journal, final String omitted)
    {
        final TradeUpdateEvent event = journal.tradeUpdate();
        set(omitted, "tradeId", () -> event.tradeId(42));
        set(omitted, "openTimeMs", () -> event.openTimeMs(1_700_000_000_000L));
        set(omitted, "strategy", () -> event.strategy("Momentum"));
        set(omitted, "exchange", () -> event.exchange("binance"));
        set(omitted, "pair", () -> event.pair("BTC/USDT"));
        set(omitted, "openRate", () -> event.openRate(6412350, -2));
        set(omitted, "amount", () -> event.amount(15, -3));
        set(omitted, "stakeAmount", () -> event.stakeAmount(9618525, -4));
        return event;
    }

    private static PairLockEvent pairLockWithout(final TradeJournal journal, final String omitted)
    {
        final PairLockEvent event = journal.pairLock();
        set(omitted, "pair", () -> event.pair("BTC/USDT"));
        set(omitted, "lockEndTimeMs", () -> event.lockEndTimeMs(JournalEvent.MAX_EPOCH_MS));
        return event;
    }

    private static BalanceUpdateEvent balanceUpdateWithout(final TradeJournal journal, final String omitted)
    {
        final BalanceUpdateEvent event = journal.balanceUpdate();
        set(omitted, "exchange", () -> event.exchange("binance"));
        set(omitted, "asset", () -> event.asset("USDT"));
        set(omitted, "total", () -> event.total(100, 0));
        return event;
    }

    private static void set(final String omitted, final String field, final Runnable setter)
    {
        if (!omitted.equals(field))
        {
            setter.run();
        }
    }

    private List<Excerpt> closeAndRead()
    {
        journal.close();
        final List<Excerpt> excerpts = JournalExcerpts.readAll(root.resolve("validation"));
        assertEquals(SourceStartedDecoder.TEMPLATE_ID, excerpts.get(0).templateId());
        return excerpts;
    }

    /**
     * The two valid events around a refused one are the same but for their append time: nothing staged by the
     * refused event leaks into the next one.
     */
    private static int excerptsDifferOnlyInTime(final Excerpt first, final Excerpt second)
    {
        final byte[] before = first.bytes.clone();
        final byte[] after = second.bytes.clone();
        final int appendTimeOffset = MessageHeaderDecoder.ENCODED_LENGTH;
        Arrays.fill(before, appendTimeOffset, appendTimeOffset + Long.BYTES, (byte)0);
        Arrays.fill(after, appendTimeOffset, appendTimeOffset + Long.BYTES, (byte)0);
        if (first.templateId() == PairLockDecoder.TEMPLATE_ID || first.templateId() == PairUnlockDecoder.TEMPLATE_ID)
        {
            final int defaultedTimeOffset = appendTimeOffset + Long.BYTES;
            Arrays.fill(before, defaultedTimeOffset, defaultedTimeOffset + Long.BYTES, (byte)0);
            Arrays.fill(after, defaultedTimeOffset, defaultedTimeOffset + Long.BYTES, (byte)0);
        }
        return Arrays.compare(before, after);
    }

    private static OrderUpdateDecoder orderUpdate(final Excerpt excerpt)
    {
        return new OrderUpdateDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    private static FillDecoder fill(final Excerpt excerpt)
    {
        return new FillDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    private static TradeUpdateDecoder tradeUpdate(final Excerpt excerpt)
    {
        return new TradeUpdateDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    private static BalanceUpdateDecoder balanceUpdate(final Excerpt excerpt)
    {
        return new BalanceUpdateDecoder().wrapAndApplyHeader(excerpt.buffer, 0, new MessageHeaderDecoder());
    }

    @FunctionalInterface
    interface DecimalSetter<E>
    {
        void set(E event, long mantissa, int exponent);
    }

    static final class Case
    {
        private final String description;
        private final Function<TradeJournal, JournalEvent> validEvent;
        private final Function<TradeJournal, JournalEvent> refusedEvent;
        private final Consumer<JournalEvent> invalidCall;
        private final int templateId;
        private final String[] expectedInMessage;

        Case(
            final String description,
            final Function<TradeJournal, JournalEvent> validEvent,
            final Function<TradeJournal, JournalEvent> refusedEvent,
            final Consumer<JournalEvent> invalidCall,
            final String[] expectedInMessage)
        {
            this.description = description;
            this.validEvent = validEvent;
            this.refusedEvent = refusedEvent;
            this.invalidCall = invalidCall;
            this.templateId = templateIdOf(description);
            this.expectedInMessage = expectedInMessage;
        }

        public String toString()
        {
            return description;
        }
    }

    static final class Signed
    {
        private final String description;
        private final Function<TradeJournal, JournalEvent> validEvent;
        private final Consumer<JournalEvent> setNegative;
        private final long expectedMantissa;
        private final ToLongFunction<Excerpt> readMantissa;

        @SuppressWarnings("unchecked")
        <E extends JournalEvent> Signed(
            final String description,
            final Function<TradeJournal, E> validEvent,
            final Consumer<E> setNegative,
            final long expectedMantissa,
            final ToLongFunction<Excerpt> readMantissa)
        {
            this.description = description;
            this.validEvent = validEvent::apply;
            this.setNegative = (event) -> setNegative.accept((E)event);
            this.expectedMantissa = expectedMantissa;
            this.readMantissa = readMantissa;
        }

        public String toString()
        {
            return description;
        }
    }
}

package io.tradestate.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The variants of {@link SparseAppendHarness}, each in JVMs of its own, all writing the same orders
 * ({@link SparseOrders}).
 */
enum SparseVariant
{
    /**
     * TradeState with its default settings, the warm-up at open included.
     */
    TS("TradeJournal, default settings (warm-up at open on): orderUpdate()...commit()")
    {
        SparseAppender open(final Path folder, final String name)
        {
            return new JournalSparseAppender(folder, name, true, false);
        }
    },

    /**
     * TradeState with its defaults, calling {@code keepWarm()} about every millisecond between events.
     */
    TS_KEEPWARM("the same, calling journal.keepWarm() about every 1 ms between events (opt-in)")
    {
        SparseAppender open(final Path folder, final String name)
        {
            return new JournalSparseAppender(folder, name, true, false);
        }

        boolean keepsWarm()
        {
            return true;
        }
    },

    /**
     * TradeState with its defaults, rehearsing its own append code with {@code rehearse(Runnable)} about every
     * millisecond between events.
     */
    TS_REHEARSE("the same, calling journal.rehearse(its own append code) about every 1 ms between events (opt-in)")
    {
        SparseAppender open(final Path folder, final String name)
        {
            return new JournalSparseAppender(folder, name, true, true);
        }

        boolean keepsWarm()
        {
            return true;
        }
    },

    /**
     * TradeState without the warm-up at open: what it was before it had one.
     */
    TS_NOWARMUP("TradeJournal with warmUpAppends(0): no warm-up at open")
    {
        SparseAppender open(final Path folder, final String name)
        {
            return new JournalSparseAppender(folder, name, false, false);
        }
    },

    /**
     * A bare Chronicle Queue appender writing the same bytes.
     */
    B1("bare Chronicle Queue appender (FAST_DAILY, 64 MiB blocks): writingDocument(), write the bytes, close")
    {
        SparseAppender open(final Path folder, final String name)
        {
            return new ChronicleSparseAppender(folder.resolve(name));
        }
    },

    /**
     * The floor: a store of the same bytes into a pretouched mapping.
     */
    B0("the floor: store of the same bytes into a pretouched memory mapping")
    {
        SparseAppender open(final Path folder, final String name)
        {
            return new MappedSparseAppender(folder.resolve(name));
        }
    };

    private final String description;

    SparseVariant(final String description)
    {
        this.description = description;
    }

    /**
     * The variant of a label, case-insensitive.
     *
     * @param label e.g. {@code TS-keepwarm}.
     * @return the variant.
     * @throws IllegalArgumentException if there is none.
     */
    static SparseVariant of(final String label)
    {
        return Stream.of(values()).filter((variant) -> variant.label().equalsIgnoreCase(label.trim())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown variant " + label + ": " +
            Stream.of(values()).map(SparseVariant::label).collect(Collectors.joining(", "))));
    }

    /**
     * Open the variant's appender on the calling thread.
     *
     * @param folder where it keeps its files.
     * @param name   the strategy's name: its source id or file name.
     * @return the appender.
     */
    abstract SparseAppender open(Path folder, String name);

    /**
     * Whether the strategy calls {@link SparseAppender#keepWarm()} while it waits for its next event.
     *
     * @return true for {@link #TS_KEEPWARM} and {@link #TS_REHEARSE}.
     */
    boolean keepsWarm()
    {
        return false;
    }

    /**
     * Whether it is one of TradeState's: a journal, with its open and warm-up times reported.
     *
     * @return true for the {@code TS} variants.
     */
    boolean tradeState()
    {
        return name().startsWith("TS");
    }

    /**
     * The variant's name in tables and options.
     *
     * @return {@code TS}, {@code TS-keepwarm}, {@code TS-rehearse}, {@code TS-nowarmup}, {@code B1} or {@code B0}.
     */
    String label()
    {
        return name().startsWith("TS_") ? "TS-" + name().substring(3).toLowerCase(Locale.ROOT) : name();
    }

    /**
     * The label in file names.
     *
     * @return e.g. {@code ts-keepwarm}.
     */
    String fileLabel()
    {
        return label().toLowerCase(Locale.ROOT);
    }

    String description()
    {
        return description;
    }
}

package io.tradestate.codecs.event;

import java.util.ArrayList;
import java.util.List;

/**
 * The history tables the drain stores events in, and their columns, as {@link JournalMessage} implies them: the
 * drain's COPY rows and the rows {@code tradestate verify} reads back follow this one layout.
 * <p>
 * A table's columns are {@code source_id}, {@code queue_index}, {@code append_time} (the append time as a
 * {@code timestamptz}), then {@code action} for the table that holds two messages ({@code pair_lock_events}:
 * {@code lock} or {@code unlock}), then the column of each stored field of its messages in schema order, a column
 * two messages share listed once. A message without one of its table's columns leaves it NULL ({@code PairUnlock}
 * has no lock end time).
 */
public enum HistoryTable
{
    ORDER_EVENTS("order_events"),
    FILLS("fills"),
    TRADE_EVENTS("trade_events"),
    PAIR_LOCK_EVENTS("pair_lock_events"),
    BALANCE_EVENTS("balance_events");

    /**
     * The column of a field its message's table does not store.
     */
    public static final int NOT_STORED = -1;

    /**
     * Columns every table starts with, before the fields' own.
     */
    public static final int SOURCE_ID_COLUMN = 0;
    public static final int QUEUE_INDEX_COLUMN = 1;
    public static final int APPEND_TIME_COLUMN = 2;

    private static final String ACTION = "action";
    private static final HistoryTable[] TABLE_OF_MESSAGE = new HistoryTable[JournalMessage.values().length];
    private static final int[][] FIELD_COLUMNS = new int[JournalMessage.values().length][];

    static
    {
        for (final HistoryTable table : values())
        {
            final List<String> columns = new ArrayList<>(List.of(table.columns));
            for (final JournalMessage message : JournalMessage.values())
            {
                if (table.tableName.equals(message.historyTable()))
                {
                    TABLE_OF_MESSAGE[message.ordinal()] = table;
                    FIELD_COLUMNS[message.ordinal()] = fieldColumns(message, columns);
                }
            }
        }
        for (final JournalMessage message : JournalMessage.values())
        {
            if (null != message.historyTable() && null == TABLE_OF_MESSAGE[message.ordinal()])
            {
                throw new IllegalStateException(message.messageName() + ": no history table " + message.historyTable());
            }
        }
    }

    private final String tableName;
    private final String[] columns;
    private final FieldKind[] columnKinds;

    HistoryTable(final String tableName)
    {
        this.tableName = tableName;
        final List<String> columns = new ArrayList<>(List.of("source_id", "queue_index", "append_time"));
        final List<FieldKind> kinds = new ArrayList<>(List.of(FieldKind.ASCII, FieldKind.INT64, FieldKind.TIME_NS));
        boolean action = false;
        for (final JournalMessage message : JournalMessage.values())
        {
            if (tableName.equals(message.historyTable()))
            {
                if (!action && null != actionOf(message))
                {
                    columns.add(ACTION);
                    kinds.add(FieldKind.ENUM);
                    action = true;
                }
                for (int i = 0; i < message.fieldCount(); i++)
                {
                    final JournalField field = message.field(i);
                    if (null != field.column() && !columns.contains(field.column()))
                    {
                        columns.add(field.column());
                        kinds.add(field.kind());
                    }
                }
            }
        }
        this.columns = columns.toArray(new String[0]);
        this.columnKinds = kinds.toArray(new FieldKind[0]);
    }

    /**
     * The names of every history table, comma separated.
     *
     * @return {@code order_events, fills, ...}.
     */
    public static String tableNames()
    {
        final StringBuilder names = new StringBuilder();
        for (final HistoryTable table : values())
        {
            names.append(names.length() > 0 ? ", " : "").append(table.tableName);
        }
        return names.toString();
    }

    /**
     * The history table of a message.
     *
     * @param message of the schema.
     * @return the table, or null for a message without one ({@code SourceStarted}, {@code Heartbeat}).
     */
    public static HistoryTable of(final JournalMessage message)
    {
        return TABLE_OF_MESSAGE[message.ordinal()];
    }

    /**
     * What the {@code action} column says of a message, in the table that holds two.
     *
     * @param message {@link JournalMessage#PAIR_LOCK} or {@link JournalMessage#PAIR_UNLOCK}.
     * @return {@code lock} or {@code unlock}, or null for a message of a table without the column.
     */
    public static String actionOf(final JournalMessage message)
    {
        switch (message)
        {
            case PAIR_LOCK:
                return "lock";
            case PAIR_UNLOCK:
                return "unlock";
            default:
                return null;
        }
    }

    /**
     * The column of a field of a message in its table.
     *
     * @param message of the schema, with a history table.
     * @param field   of the message.
     * @return the column's position, or {@link #NOT_STORED}.
     */
    public static int columnOf(final JournalMessage message, final JournalField field)
    {
        return FIELD_COLUMNS[message.ordinal()][field.position()];
    }

    /**
     * Name of the table.
     *
     * @return as in the migrations, {@code order_events}.
     */
    public String tableName()
    {
        return tableName;
    }

    /**
     * Number of columns.
     *
     * @return the count, {@code source_id} and {@code queue_index} included.
     */
    public int columnCount()
    {
        return columns.length;
    }

    /**
     * Name of a column.
     *
     * @param column from 0.
     * @return as in the migrations.
     */
    public String columnName(final int column)
    {
        return columns[column];
    }

    /**
     * How the values of a column are encoded in the journal: a {@link FieldKind#TIME_MS} column and
     * {@code append_time} are {@code timestamptz}; text and enums are {@code text}; the others numbers or booleans.
     *
     * @param column from 0.
     * @return the kind; {@code append_time} is {@link FieldKind#TIME_NS}, {@code action} {@link FieldKind#ENUM}.
     */
    public FieldKind columnKind(final int column)
    {
        return columnKinds[column];
    }

    /**
     * Whether a column is a {@code timestamptz}.
     *
     * @param column from 0.
     * @return true for {@code append_time} and the millisecond times.
     */
    public boolean isTimestamp(final int column)
    {
        return APPEND_TIME_COLUMN == column || FieldKind.TIME_MS == columnKinds[column];
    }

    /**
     * The COPY statement that loads rows of every column, in column order.
     *
     * @return {@code COPY order_events (source_id, ...) FROM STDIN}.
     */
    public String copyStatement()
    {
        return "COPY " + tableName + " (" + columnList() + ") FROM STDIN";
    }

    /**
     * Every column, comma separated, in column order.
     *
     * @return {@code source_id, queue_index, append_time, ...}.
     */
    public String columnList()
    {
        return String.join(", ", columns);
    }

    private static int[] fieldColumns(final JournalMessage message, final List<String> columns)
    {
        final int[] fieldColumns = new int[message.fieldCount()];
        int previous = -1;
        for (int i = 0; i < fieldColumns.length; i++)
        {
            final String column = message.field(i).column();
            fieldColumns[i] = null == column ? NOT_STORED : columns.indexOf(column);
            if (NOT_STORED != fieldColumns[i])
            {
                if (fieldColumns[i] <= previous)
                {
                    // Rows are written in one pass: a message's columns follow each other in its field order.
                    throw new IllegalStateException(message.messageName() + "." + message.field(i).name() +
                        ": column " + column + " comes before the column of an earlier field");
                }
                previous = fieldColumns[i];
            }
        }
        return fieldColumns;
    }
}

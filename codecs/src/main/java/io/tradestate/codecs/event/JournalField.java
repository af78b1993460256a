package io.tradestate.codecs.event;

import java.util.Locale;

/**
 * One field of a journal event: its name in the schema, where and how it is encoded, whether it may be null, and the
 * history column it is stored in. Instances are constants of {@link JournalMessage}; compare them by identity.
 */
public final class JournalField
{
    /**
     * The {@link #offset()} of a var-data field: it follows the block and the var-data fields before it.
     */
    public static final int VAR_DATA = -1;

    private final String name;
    private final FieldKind kind;
    private final Presence presence;
    private final int offset;
    private final int length;
    private final String[] enumNames;
    private final int sinceVersion;
    private final String column;
    private final String isoName;
    private int position = -1;

    private JournalField(
        final String name,
        final FieldKind kind,
        final Presence presence,
        final int offset,
        final int length,
        final String[] enumNames,
        final int sinceVersion,
        final String column)
    {
        this.name = name;
        this.kind = kind;
        this.presence = presence;
        this.offset = offset;
        this.length = length;
        this.enumNames = enumNames;
        this.sinceVersion = sinceVersion;
        this.column = column;
        this.isoName = FieldKind.TIME_MS == kind || FieldKind.TIME_NS == kind ?
            name.substring(0, name.length() - 2) : null;
    }

    private JournalField(final String name, final FieldKind kind, final Presence presence, final int offset)
    {
        this(name, kind, presence, offset, 0, null, 0, columnOf(name, kind));
    }

    static JournalField timeNs(final String name, final int offset, final Presence presence)
    {
        return new JournalField(name, FieldKind.TIME_NS, presence, offset);
    }

    static JournalField timeMs(final String name, final int offset, final Presence presence)
    {
        return new JournalField(name, FieldKind.TIME_MS, presence, offset);
    }

    static JournalField int64(final String name, final int offset, final Presence presence)
    {
        return new JournalField(name, FieldKind.INT64, presence, offset);
    }

    static JournalField uint16(final String name, final int offset)
    {
        return new JournalField(name, FieldKind.UINT16, Presence.ALWAYS, offset);
    }

    static JournalField ascii(final String name, final int offset, final int length, final Presence presence)
    {
        return new JournalField(
            name, FieldKind.ASCII, presence, offset, length, null, 0, columnOf(name, FieldKind.ASCII));
    }

    static JournalField enumOf(final String name, final int offset, final Presence presence, final String[] names)
    {
        return new JournalField(name, FieldKind.ENUM, presence, offset, 0, names, 0, columnOf(name, FieldKind.ENUM));
    }

    static JournalField bool(final String name, final int offset)
    {
        return new JournalField(name, FieldKind.BOOLEAN, Presence.ALWAYS, offset);
    }

    static JournalField decimal(final String name, final int offset, final Presence presence)
    {
        return new JournalField(name, FieldKind.DECIMAL, presence, offset);
    }

    static JournalField utf8(final String name)
    {
        return new JournalField(name, FieldKind.UTF8, Presence.OPTIONAL, VAR_DATA);
    }

    /**
     * The same field stored in another column, or in none.
     *
     * @param column the column's name, or null.
     * @return a new field.
     */
    JournalField storedIn(final String column)
    {
        return new JournalField(name, kind, presence, offset, length, enumNames, sinceVersion, column);
    }

    /**
     * The same field, added to the schema in a later version: an excerpt of an older version reads it as null.
     *
     * @param version the field's {@code sinceVersion}.
     * @return a new field.
     */
    JournalField since(final int version)
    {
        return new JournalField(name, kind, presence, offset, length, enumNames, version, column);
    }

    /**
     * The history column of a field, by the convention the migrations follow: the schema name in snake case, less
     * the {@code Ms} of a millisecond time (a {@code timestamptz} column).
     *
     * @param name in the schema.
     * @param kind of the field.
     * @return the column name.
     */
    static String columnOf(final String name, final FieldKind kind)
    {
        final String base = FieldKind.TIME_MS == kind ? name.substring(0, name.length() - 2) : name;
        final StringBuilder column = new StringBuilder(base.length() + 4);
        for (int i = 0; i < base.length(); i++)
        {
            final char c = base.charAt(i);
            if (Character.isUpperCase(c))
            {
                column.append('_').append(Character.toLowerCase(c));
            }
            else
            {
                column.append(c);
            }
        }
        return column.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The field's position in its message, in schema order; {@code SourceStarted} and {@code Heartbeat} share theirs.
     *
     * @return from 0, {@code appendTimeNs} first.
     */
    public int position()
    {
        return position;
    }

    void position(final int position)
    {
        if (-1 != this.position && position != this.position)
        {
            throw new IllegalStateException(name + " is at " + this.position + " already");
        }
        this.position = position;
    }

    /**
     * The field's name in the schema, {@code exchangeTimeMs}.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The name of a time field's ISO-8601 rendering: the name less its unit, {@code exchangeTime}.
     *
     * @return the name, or null if the field is not a time.
     */
    public String isoName()
    {
        return isoName;
    }

    /**
     * How the field is encoded.
     *
     * @return the kind.
     */
    public FieldKind kind()
    {
        return kind;
    }

    /**
     * Whether the field may be null.
     *
     * @return the presence.
     */
    public Presence presence()
    {
        return presence;
    }

    /**
     * Offset of the field in the message's block.
     *
     * @return bytes from the start of the block, or {@link #VAR_DATA}.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * Length of a fixed-length text field.
     *
     * @return the bytes it holds, 0 for other kinds.
     */
    public int length()
    {
        return length;
    }

    /**
     * Bytes the field takes in the block.
     *
     * @return the size, 0 for var-data.
     */
    public int encodedLength()
    {
        switch (kind)
        {
            case TIME_NS:
            case TIME_MS:
            case INT64:
                return Long.BYTES;
            case UINT16:
                return Short.BYTES;
            case ENUM:
            case BOOLEAN:
                return Byte.BYTES;
            case DECIMAL:
                return Long.BYTES + Byte.BYTES;
            case ASCII:
                return length;
            default:
                return 0;
        }
    }

    /**
     * The schema version that added the field.
     *
     * @return the version, 0 for a field of the first version.
     */
    public int sinceVersion()
    {
        return sinceVersion;
    }

    /**
     * The name an enum value is stored and printed as.
     *
     * @param ordinal of the value, as encoded.
     * @return the name, {@code buy}, {@code partially_filled}.
     */
    public String enumName(final int ordinal)
    {
        return enumNames[ordinal];
    }

    /**
     * How many values an enum field has.
     *
     * @return the count, 0 for other kinds.
     */
    public int enumValues()
    {
        return null == enumNames ? 0 : enumNames.length;
    }

    /**
     * The history column that holds the field.
     *
     * @return the column's name, or null if the field is not stored in a column of its own.
     */
    public String column()
    {
        return column;
    }

    public String toString()
    {
        return name;
    }
}

package io.tradestate.tools;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tradestate report}: the performance of the closed trades, as the schema's {@code performance_metrics},
 * {@code leverage_performance} and {@code profit_by_period} (V11) and {@code stop_loss_summary} (V12) compute it,
 * printed as text tables or JSON lines.
 * <p>
 * <b>Design note.</b> Every figure comes from the SQL functions, which hold freqtrade's definitions once; the tool only
 * passes the filters and prints what they return, column by column in their order, so that a metric added to the
 * functions shows without a change here. The four queries run in one read-only, repeatable-read transaction: the
 * tables agree with each other even while the agent drains.
 */
public final class ReportTool
{
    /**
     * Exit code: done.
     */
    public static final int EXIT_DONE = 0;

    /**
     * Exit code: the arguments are invalid.
     */
    public static final int EXIT_INVALID_ARGUMENTS = 2;

    /**
     * Exit code: the database could not be read.
     */
    public static final int EXIT_DATABASE_FAILED = 3;

    private static final String FILTERS = "?::text, ?::text, ?::timestamptz, ?::timestamptz)";
    private static final String SUMMARY = "SELECT scope, stake_currency, source_id, strategy, (metrics).* " +
        "FROM performance_metrics(?::numeric, " + FILTERS;
    private static final String LEVERAGE = "SELECT scope, stake_currency, leverage, trading_mode, is_short, " +
        "(metrics).* FROM leverage_performance(?::numeric, " + FILTERS;
    private static final String PERIODS = "SELECT scope, stake_currency, source_id, strategy, period_start, trades, " +
        "wins, draws, losses, profit_abs, profit_factor FROM profit_by_period(?::text, " + FILTERS;
    private static final String STOP_LOSS = "SELECT * FROM stop_loss_summary(" + FILTERS;

    private static final List<String> LEVERAGE_COLUMNS = List.of("stake_currency", "leverage", "trading_mode",
        "is_short", "trades", "wins", "draws", "losses", "win_rate", "profit_total_abs", "profit_mean_ratio",
        "profit_factor", "expectancy", "max_drawdown_abs", "max_drawdown_account", "sharpe", "sortino", "calmar",
        "sqn");
    private static final List<String> PERIOD_COLUMNS = List.of("stake_currency", "period_start", "trades", "wins",
        "draws", "losses", "profit_abs", "profit_factor");
    private static final List<String> STOP_LOSS_COLUMNS = List.of("stake_currency", "trades", "losses", "profit_abs",
        "loss_abs", "loss_count_share", "loss_abs_share", "slippage_ratio_mean", "slippage_ratio_worst",
        "slippage_abs", "r_multiple_mean", "r_multiple_worst", "kept_abs");
    private static final int TEXT_DECIMALS = 8;
    private static final int TEXT_RATIO_DECIMALS = 4;
    private static final double TEXT_RATIO_PLAIN_LIMIT = 1e15;

    private final ReportOptions options;
    private final PrintStream out;

    private ReportTool(final ReportOptions options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
    }

    /**
     * Entry point: {@code ReportTool --db <jdbc-url> --starting-balance N [options]}.
     *
     * @param args the options.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run on stdout and stderr, with the process's environment.
     *
     * @param args the arguments after {@code report}.
     * @return the exit code.
     */
    public static int run(final String[] args)
    {
        return ToolsMain.run(ToolsMain.subcommand("report", args));
    }

    /**
     * Run on the given streams.
     *
     * @param args        the arguments after {@code report}.
     * @param out         where the report (or the help text) goes.
     * @param err         where errors go.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the exit code.
     */
    public static int run(
        final String[] args, final PrintStream out, final PrintStream err, final Map<String, String> environment)
    {
        return ToolsMain.run(ToolsMain.subcommand("report", args), out, err, environment);
    }

    /**
     * Report with validated options.
     *
     * @param options validated.
     * @param out     where the report goes.
     * @param err     where errors go.
     * @return the exit code.
     */
    static int run(final ReportOptions options, final PrintStream out, final PrintStream err)
    {
        try (Connection connection = ToolDatabase.connect(
            options.jdbcUrl(), options.user(), options.password(), "tradestate-report"))
        {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            final ReportTool tool = new ReportTool(options, out);
            final List<Map<String, Object>> summary = tool.query(connection, SUMMARY, options.startingBalance());
            final List<Map<String, Object>> leverage = tool.query(connection, LEVERAGE, options.startingBalance());
            final List<Map<String, Object>> periods = tool.query(connection, PERIODS, options.period());
            final List<Map<String, Object>> stopLoss = tool.query(connection, STOP_LOSS);
            connection.rollback();
            if (options.json())
            {
                tool.printJson("summary", summary);
                tool.printJson("leverage", leverage);
                tool.printJson("period", periods);
                tool.printJson("stop_loss", stopLoss);
            }
            else
            {
                tool.printText(summary, leverage, periods);
                tool.printStopLoss(stopLoss);
            }
            out.flush();
            return EXIT_DONE;
        }
        catch (final SQLException ex)
        {
            err.println("tradestate report: the database failed: " + ex.getMessage() +
                " (SQLState " + ex.getSQLState() + ")");
            return EXIT_DATABASE_FAILED;
        }
    }

    /**
     * Run a report function: the leading arguments, then the four filters.
     */
    private List<Map<String, Object>> query(final Connection connection, final String sql, final Object... leading)
        throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql))
        {
            int parameter = 0;
            for (final Object argument : leading)
            {
                statement.setObject(++parameter, argument);
            }
            statement.setString(++parameter, options.sourceId());
            statement.setString(++parameter, options.strategy());
            statement.setObject(++parameter, null == options.fromTime() ? null :
                OffsetDateTime.ofInstant(options.fromTime(), ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setObject(++parameter, null == options.toTime() ? null :
                OffsetDateTime.ofInstant(options.toTime(), ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            final List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet resultSet = statement.executeQuery())
            {
                final ResultSetMetaData meta = resultSet.getMetaData();
                while (resultSet.next())
                {
                    final Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= meta.getColumnCount(); column++)
                    {
                        row.put(meta.getColumnLabel(column), value(resultSet, column, meta.getColumnType(column)));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static Object value(final ResultSet resultSet, final int column, final int type) throws SQLException
    {
        final Object value;
        switch (type)
        {
            case Types.NUMERIC:
                value = resultSet.getBigDecimal(column);
                break;
            case Types.DOUBLE:
            case Types.REAL:
                value = resultSet.getDouble(column);
                break;
            case Types.INTEGER:
            case Types.BIGINT:
            case Types.SMALLINT:
                value = resultSet.getLong(column);
                break;
            case Types.BOOLEAN:
            case Types.BIT:
                value = resultSet.getBoolean(column);
                break;
            case Types.TIMESTAMP:
            case Types.TIMESTAMP_WITH_TIMEZONE:
                final OffsetDateTime time = resultSet.getObject(column, OffsetDateTime.class);
                return null == time ? null : time.toInstant().toString();
            default:
                return resultSet.getString(column);
        }
        return resultSet.wasNull() ? null : value;
    }

    private void printJson(final String table, final List<Map<String, Object>> rows)
    {
        final StringBuilder line = new StringBuilder(1024);
        for (final Map<String, Object> row : rows)
        {
            line.setLength(0);
            line.append("{\"table\":\"").append(table).append('"');
            for (final Map.Entry<String, Object> member : row.entrySet())
            {
                line.append(",\"").append(member.getKey()).append("\":");
                final Object value = member.getValue();
                if (null == value || value instanceof Long || value instanceof Boolean)
                {
                    line.append(value);
                }
                else if (value instanceof BigDecimal)
                {
                    line.append('"').append(((BigDecimal)value).toPlainString()).append('"');
                }
                else
                {
                    appendJsonString(line, value.toString());
                }
            }
            out.println(line.append('}'));
        }
    }

    private static void appendJsonString(final StringBuilder line, final String text)
    {
        line.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ('"' == c || '\\' == c)
            {
                line.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                line.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                line.append(c);
            }
        }
        line.append('"');
    }

    private void printText(
        final List<Map<String, Object>> summary,
        final List<Map<String, Object>> leverage,
        final List<Map<String, Object>> periods)
    {
        out.println("closed trades " + range() + ", starting balance " + options.startingBalance().toPlainString() +
            (null == options.sourceId() ? "" : ", source " + options.sourceId()) +
            (null == options.strategy() ? "" : ", strategy " + options.strategy()));
        out.println();
        out.println("SUMMARY METRICS");
        if (summary.isEmpty())
        {
            out.println("no closed trade");
            return;
        }
        String currency = null;
        List<Map<String, Object>> block = new ArrayList<>();
        for (final Map<String, Object> row : summary)
        {
            if (null != currency && !currency.equals(row.get("stake_currency")))
            {
                printSummaryBlock(block);
                block = new ArrayList<>();
            }
            currency = (String)row.get("stake_currency");
            block.add(row);
        }
        printSummaryBlock(block);

        out.println();
        out.println("BY LEVERAGE, AND BY TRADING MODE, SIDE AND LEVERAGE");
        final List<List<String>> leverageLines = new ArrayList<>();
        for (final Map<String, Object> row : leverage)
        {
            final List<String> line = new ArrayList<>();
            for (final String column : LEVERAGE_COLUMNS)
            {
                final Object value = row.get(column);
                line.add("is_short".equals(column) ?
                    (null == value ? "any" : (Boolean)value ? "short" : "long") :
                    "trading_mode".equals(column) && null == value ? "any" : text(value));
            }
            leverageLines.add(line);
        }
        printTable(LEVERAGE_COLUMNS.stream().map(column -> "is_short".equals(column) ? "side" : column).toList(),
            leverageLines);

        out.println();
        out.println("PROFIT PER " + options.period().toUpperCase(Locale.ROOT) + " (UTC)");
        final List<String> periodHeader = new ArrayList<>();
        periodHeader.add("group");
        periodHeader.addAll(PERIOD_COLUMNS);
        final List<List<String>> periodLines = new ArrayList<>();
        for (final Map<String, Object> row : periods)
        {
            final List<String> line = new ArrayList<>();
            line.add(group(row));
            for (final String column : PERIOD_COLUMNS)
            {
                line.add(text(row.get(column)));
            }
            periodLines.add(line);
        }
        printTable(periodHeader, periodLines);
    }

    /**
     * The stop exits against the other exit reasons, one line per exit reason, then the stops, the others and all.
     */
    private void printStopLoss(final List<Map<String, Object>> rows)
    {
        if (rows.isEmpty())
        {
            return;
        }
        out.println();
        out.println("STOP-LOSS EFFICIENCY BY EXIT REASON");
        final List<String> header = new ArrayList<>();
        header.add("exit_reason");
        header.add("stop");
        header.addAll(STOP_LOSS_COLUMNS);
        final List<List<String>> lines = new ArrayList<>();
        for (final Map<String, Object> row : rows)
        {
            final List<String> line = new ArrayList<>();
            final Object isStop = row.get("is_stop");
            switch ((String)row.get("scope"))
            {
                case "exit_reason":
                    line.add(null == row.get("exit_reason") ? "(none)" : (String)row.get("exit_reason"));
                    break;
                case "stop":
                    line.add("stop exits");
                    break;
                case "other":
                    line.add("other exits");
                    break;
                default:
                    line.add("all");
                    break;
            }
            line.add(null == isStop ? "any" : (Boolean)isStop ? "yes" : "no");
            for (final String column : STOP_LOSS_COLUMNS)
            {
                line.add(text(row.get(column)));
            }
            lines.add(line);
        }
        printTable(header, lines);
    }

    private void printSummaryBlock(final List<Map<String, Object>> block)
    {
        final List<String> header = new ArrayList<>();
        header.add("metric (" + block.get(0).get("stake_currency") + ")");
        for (final Map<String, Object> row : block)
        {
            header.add(group(row));
        }
        final List<List<String>> lines = new ArrayList<>();
        for (final String metric : block.get(0).keySet())
        {
            if ("scope".equals(metric) || "stake_currency".equals(metric) || "source_id".equals(metric) ||
                "strategy".equals(metric))
            {
                continue;
            }
            final List<String> line = new ArrayList<>();
            line.add(metric);
            for (final Map<String, Object> row : block)
            {
                line.add(text(row.get(metric)));
            }
            lines.add(line);
        }
        printTable(header, lines);
    }

    private static String group(final Map<String, Object> row)
    {
        return "all".equals(row.get("scope")) ? "all" : row.get("source_id") + " / " + row.get("strategy");
    }

    private String range()
    {
        if (null == options.fromTime() && null == options.toTime())
        {
            return "at any time";
        }
        return "from " + (null == options.fromTime() ? "the start" : options.fromTime().toString()) +
            " to " + (null == options.toTime() ? "now" : options.toTime() + " (excluded)");
    }

    private void printTable(final List<String> header, final List<List<String>> lines)
    {
        final int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++)
        {
            widths[i] = header.get(i).length();
            for (final List<String> line : lines)
            {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        printLine(header, widths);
        for (final List<String> line : lines)
        {
            printLine(line, widths);
        }
    }

    private void printLine(final List<String> cells, final int[] widths)
    {
        final StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < cells.size(); i++)
        {
            if (i > 0)
            {
                line.append("  ");
            }
            line.append(cells.get(i));
            if (i < cells.size() - 1)
            {
                line.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        out.println(line);
    }

    /**
     * A value for the text tables: decimals to at most 8 places, the ratios of a root or a power to 4, null as "-".
     */
    private static String text(final Object value)
    {
        if (null == value)
        {
            return "-";
        }
        if (value instanceof BigDecimal)
        {
            BigDecimal decimal = (BigDecimal)value;
            if (decimal.scale() > TEXT_DECIMALS)
            {
                decimal = decimal.setScale(TEXT_DECIMALS, RoundingMode.HALF_UP);
            }
            return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Double)
        {
            final double number = (Double)value;
            return Math.abs(number) < TEXT_RATIO_PLAIN_LIMIT ?
                BigDecimal.valueOf(number).setScale(TEXT_RATIO_DECIMALS, RoundingMode.HALF_EVEN).toPlainString() :
                Double.toString(number);
        }
        return value.toString();
    }
}

package io.tradestate.reader;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A data source whose n-th commit is applied by the server but reported to the caller as a lost connection: what
 * the client sees when the server commits and then dies, is stopped ({@code FATAL: terminating connection due to
 * administrator command}) or the network drops before the reply arrives. The caller cannot tell it from a commit that
 * never happened, so only the database knows the outcome.
 * <p>
 * Connections are the real data source's, with auto-commit off as the agent's pool sets it; everything but
 * {@code commit()} is passed through, {@code unwrap} included.
 */
public final class CommitReplyLosingDataSource
{
    private static final String CONNECTION_FAILURE = "08006";

    private final DataSource dataSource;
    private final int lostCommit;
    private int commits;

    /**
     * Wrap a data source.
     *
     * @param dataSource the real one.
     * @param lostCommit the number (from 1) of the commit whose reply is lost.
     */
    public CommitReplyLosingDataSource(final DataSource dataSource, final int lostCommit)
    {
        this.dataSource = dataSource;
        this.lostCommit = lostCommit;
    }

    /**
     * The data source to hand to the code under test.
     *
     * @return a proxy.
     */
    public DataSource dataSource()
    {
        return (DataSource)Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
            (proxy, method, args) ->
            {
                if ("getConnection".equals(method.getName()))
                {
                    final Connection connection = (Connection)invoke(dataSource, method, args);
                    connection.setAutoCommit(false);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
                        new ConnectionHandler(connection));
                }
                return invoke(dataSource, method, args);
            });
    }

    /**
     * Commits made so far, the lost one included.
     *
     * @return the count.
     */
    public synchronized int commits()
    {
        return commits;
    }

    private synchronized boolean loseThisReply()
    {
        return ++commits == lostCommit;
    }

    private static Object invoke(final Object target, final Method method, final Object[] args) throws Throwable
    {
        try
        {
            return method.invoke(target, args);
        }
        catch (final InvocationTargetException ex)
        {
            throw ex.getCause();
        }
    }

    private final class ConnectionHandler implements InvocationHandler
    {
        private final Connection connection;

        ConnectionHandler(final Connection connection)
        {
            this.connection = connection;
        }

        public Object invoke(final Object proxy, final Method method, final Object[] args) throws Throwable
        {
            if ("commit".equals(method.getName()))
            {
                connection.commit();
                if (loseThisReply())
                {
                    connection.close();
                    throw new SQLException("An I/O error occurred while sending to the backend (test: the commit " +
                        "was applied, its reply lost)", CONNECTION_FAILURE);
                }
                return null;
            }
            return CommitReplyLosingDataSource.invoke(connection, method, args);
        }
    }
}

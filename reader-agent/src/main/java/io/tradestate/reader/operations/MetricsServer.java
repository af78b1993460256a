package io.tradestate.reader.operations;

import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.drain.DrainAgent;
import io.tradestate.reader.state.StatePublisherAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the agent's figures over HTTP, bound to loopback by default: {@code /metrics} in Prometheus' text format
 * ({@link MetricsExposition}) and {@code /health} (200 when the database answers, 503 when not). Each scrape reads the
 * database and the queues afresh through a {@link StatusCollector}, so a stuck drain cannot freeze the figures. The
 * per-source figures name this agent's sources only, also when other hosts' agents drain into the same database.
 * <p>
 * <b>Design note.</b> A scraper, a health check and a stray client must not be able to block one another. The JDK's
 * {@code HttpServer} reads a request on its worker thread with no time limit (its only limits are JVM-wide system
 * properties whose unit changed between releases): one connection that sent a byte and waits held the single worker,
 * and with it {@code /health} and {@code /metrics}, for as long as it stayed. So here one I/O thread does all the
 * socket work without ever blocking: it accepts, reads each request's head (a request must arrive whole within
 * {@value #REQUEST_TIMEOUT_MS} ms and {@value #MAX_REQUEST_BYTES} bytes) and writes each response (within
 * {@value #RESPONSE_TIMEOUT_MS} ms), and closes a connection that overruns. Only complete requests reach the
 * {@value #WORKERS} worker threads, which build the answer (reading the database) and never touch a socket. At most
 * {@value #MAX_CONNECTIONS} connections are open; a further one is closed at once. Every response closes its
 * connection ({@code Connection: close}): a scrape every few seconds gains nothing from keep-alive.
 */
public final class MetricsServer implements AutoCloseable
{
    /**
     * Time a client has to send a request's line and headers once connected.
     */
    static final long REQUEST_TIMEOUT_MS = 2_000;

    /**
     * Time a client has to take a response once it is ready.
     */
    static final long RESPONSE_TIMEOUT_MS = 5_000;

    /**
     * Threads that build responses: one scrape reading a slow database leaves the other free for a health check.
     */
    static final int WORKERS = 2;

    /**
     * Connections open at once.
     */
    static final int MAX_CONNECTIONS = 32;

    /**
     * Largest request line and headers accepted.
     */
    static final int MAX_REQUEST_BYTES = 8 * 1024;

    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsServer.class);
    private static final long SELECT_TIMEOUT_MS = 100;
    private static final long STOP_TIMEOUT_MS = 2_000;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final ServerSocketChannel serverChannel;
    private final InetSocketAddress address;
    private final Selector selector;
    private final ExecutorService workers;
    private final Thread ioThread;
    private final Queue<Exchange> answered = new ConcurrentLinkedQueue<>();
    private final StatusCollector collector;
    private final MetricsExposition exposition;
    private volatile boolean running = true;

    /**
     * Bind the endpoint and start serving {@code /metrics} and {@code /health}.
     *
     * @param host           address to bind.
     * @param port           to bind, 0 for any free port.
     * @param collector      reads the sources' status from the database and the journals.
     * @param drain          whose counters and histograms are exposed.
     * @param statePublisher whose counters are exposed, or null when the agent publishes no state maps.
     */
    public MetricsServer(
        final String host,
        final int port,
        final StatusCollector collector,
        final DrainAgent drain,
        final StatePublisherAgent statePublisher)
    {
        this.collector = collector;
        this.exposition = new MetricsExposition(collector, drain, statePublisher);
        ServerSocketChannel channel = null;
        Selector opened = null;
        try
        {
            opened = Selector.open();
            channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(host, port), MAX_CONNECTIONS);
            channel.configureBlocking(false);
            channel.register(opened, SelectionKey.OP_ACCEPT);
            address = (InetSocketAddress)channel.getLocalAddress();
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel);
            closeQuietly(opened);
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (" +
                ReaderConfiguration.METRICS_PORT + ")", ex instanceof IOException ? (IOException)ex :
                new IOException(ex.toString(), ex));
        }
        serverChannel = channel;
        selector = opened;

        final AtomicInteger workerNumber = new AtomicInteger();
        workers = Executors.newFixedThreadPool(WORKERS, (task) ->
        {
            final Thread thread = new Thread(task, "tradestate-metrics-" + workerNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ioThread = new Thread(this::run, "tradestate-metrics");
        ioThread.setDaemon(true);
        ioThread.start();
        LOGGER.info("metrics on http://{}:{}/metrics", host, port());
    }

    /**
     * The port bound, the one chosen by the system when 0 was asked.
     *
     * @return the port.
     */
    public int port()
    {
        return address.getPort();
    }

    /**
     * The address the endpoint listens on.
     *
     * @return the bound address and port.
     */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * Stop listening, close every connection and stop the threads.
     */
    public void close()
    {
        running = false;
        selector.wakeup();
        try
        {
            ioThread.join(STOP_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                selector.select(SELECT_TIMEOUT_MS);
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    onReady(key);
                }
                Exchange exchange;
                while (null != (exchange = answered.poll()))
                {
                    startWriting(exchange);
                }
                closeOverdue(System.nanoTime());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (running)
            {
                LOGGER.error("the metrics endpoint stopped", ex);
            }
        }
        finally
        {
            for (final SelectionKey key : selector.keys())
            {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
            closeQuietly(serverChannel);
        }
    }

    private void onReady(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        if (key.isAcceptable())
        {
            accept();
            return;
        }
        final Exchange exchange = (Exchange)key.attachment();
        try
        {
            if (key.isReadable())
            {
                read(exchange);
            }
            else if (key.isWritable())
            {
                write(exchange);
            }
        }
        catch (final IOException ex)
        {
            exchange.close(); // the client went away
        }
    }

    private void accept()
    {
        SocketChannel channel;
        while (true)
        {
            try
            {
                channel = serverChannel.accept();
            }
            catch (final IOException ex)
            {
                return; // such as a connection reset while queued, or out of file descriptors: try at the next select
            }
            if (null == channel)
            {
                return;
            }
            if (selector.keys().size() > MAX_CONNECTIONS) // the server's own key is one of them
            {
                closeQuietly(channel);
                continue;
            }
            try
            {
                channel.configureBlocking(false);
                final Exchange exchange = new Exchange(channel, System.nanoTime() +
                    TimeUnit.MILLISECONDS.toNanos(REQUEST_TIMEOUT_MS));
                exchange.key = channel.register(selector, SelectionKey.OP_READ, exchange);
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
            }
        }
    }

    private void read(final Exchange exchange) throws IOException
    {
        final int read = exchange.channel.read(exchange.request);
        if (read < 0)
        {
            exchange.close();
            return;
        }
        final String requestLine = exchange.requestLine();
        if (null == requestLine)
        {
            if (!exchange.request.hasRemaining())
            {
                exchange.answer(response(431, TEXT, "request too large\n", false));
                startWriting(exchange);
            }
            return;
        }

        exchange.key.interestOps(0);
        exchange.deadlineNs = Long.MAX_VALUE; // the worker's time is the database's, bounded by its own timeouts
        try
        {
            workers.execute(() -> answer(exchange, requestLine));
        }
        catch (final RejectedExecutionException ex)
        {
            exchange.close(); // stopping
        }
    }

    private void answer(final Exchange exchange, final String requestLine)
    {
        ByteBuffer response;
        try
        {
            response = handle(requestLine);
        }
        catch (final RuntimeException ex)
        {
            LOGGER.warn("metrics request \"{}\" failed", requestLine, ex);
            response = response(500, TEXT, "internal error\n", false);
        }
        exchange.answer(response);
        answered.add(exchange);
        selector.wakeup();
    }

    private ByteBuffer handle(final String requestLine)
    {
        final String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/"))
        {
            return response(400, TEXT, "bad request\n", false);
        }
        final boolean head = "HEAD".equals(parts[0]);
        if (!head && !"GET".equals(parts[0]))
        {
            return response(405, TEXT, "only GET and HEAD\n", false);
        }
        final int query = parts[1].indexOf('?');
        final String path = query < 0 ? parts[1] : parts[1].substring(0, query);
        switch (path)
        {
            case "/metrics":
                return response(200, "text/plain; version=0.0.4; charset=utf-8", exposition.scrape(), head);
            case "/health":
                return health(head);
            default:
                return response(404, TEXT, "not found\n", head);
        }
    }

    private ByteBuffer health(final boolean head)
    {
        try
        {
            collector.collect(System.currentTimeMillis());
            return response(200, TEXT, "ok\n", head);
        }
        catch (final SQLException | RuntimeException ex)
        {
            return response(503, TEXT, "database unavailable\n", head);
        }
    }

    private void startWriting(final Exchange exchange)
    {
        if (!exchange.channel.isOpen())
        {
            return;
        }
        exchange.deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESPONSE_TIMEOUT_MS);
        try
        {
            exchange.key.interestOps(SelectionKey.OP_WRITE);
            write(exchange);
        }
        catch (final IOException | RuntimeException ex)
        {
            exchange.close();
        }
    }

    private void write(final Exchange exchange) throws IOException
    {
        exchange.channel.write(exchange.response);
        if (!exchange.response.hasRemaining())
        {
            exchange.close();
        }
    }

    private void closeOverdue(final long nowNs)
    {
        for (final SelectionKey key : selector.keys())
        {
            final Object attachment = key.attachment();
            if (attachment instanceof Exchange && nowNs - ((Exchange)attachment).deadlineNs > 0)
            {
                ((Exchange)attachment).close();
            }
        }
    }

    private static ByteBuffer response(final int status, final String type, final String body, final boolean head)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final String header = "HTTP/1.1 " + status + ' ' + reason(status) + "\r\n" +
            "Content-Type: " + type + "\r\n" +
            "Content-Length: " + bytes.length + "\r\n" +
            (405 == status ? "Allow: GET, HEAD\r\n" : "") +
            "Connection: close\r\n\r\n";
        final byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer buffer = ByteBuffer.allocate(headerBytes.length + (head ? 0 : bytes.length));
        buffer.put(headerBytes);
        if (!head)
        {
            buffer.put(bytes);
        }
        return buffer.flip();
    }

    private static String reason(final int status)
    {
        switch (status)
        {
            case 200:
                return "OK";
            case 400:
                return "Bad Request";
            case 404:
                return "Not Found";
            case 405:
                return "Method Not Allowed";
            case 431:
                return "Request Header Fields Too Large";
            case 503:
                return "Service Unavailable";
            default:
                return "Internal Server Error";
        }
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        if (null != closeable)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ex)
            {
                // closing on the way out: nothing left to do with the failure
            }
        }
    }

    /**
     * One connection: its request head as it arrives, then its response as it leaves.
     */
    private static final class Exchange
    {
        private final SocketChannel channel;
        private final ByteBuffer request = ByteBuffer.allocate(MAX_REQUEST_BYTES);
        private SelectionKey key;
        private volatile ByteBuffer response;
        private long deadlineNs;

        Exchange(final SocketChannel channel, final long deadlineNs)
        {
            this.channel = channel;
            this.deadlineNs = deadlineNs;
        }

        /**
         * The request line once the whole head (line and headers, up to the blank line) has arrived.
         *
         * @return the line without its line end, or null while the head is incomplete.
         */
        String requestLine()
        {
            final byte[] bytes = request.array();
            final int end = request.position();
            for (int i = 0; i < end; i++)
            {
                if ('\n' == bytes[i] && ((i >= 1 && '\n' == bytes[i - 1]) ||
                    (i >= 3 && '\r' == bytes[i - 1] && '\n' == bytes[i - 2] && '\r' == bytes[i - 3])))
                {
                    int lineEnd = 0;
                    while ('\n' != bytes[lineEnd])
                    {
                        lineEnd++;
                    }
                    if (lineEnd > 0 && '\r' == bytes[lineEnd - 1])
                    {
                        lineEnd--;
                    }
                    return new String(bytes, 0, lineEnd, StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        void answer(final ByteBuffer response)
        {
            this.response = response;
        }

        void close()
        {
            if (null != key)
            {
                key.cancel();
            }
            closeQuietly(channel);
        }
    }
}

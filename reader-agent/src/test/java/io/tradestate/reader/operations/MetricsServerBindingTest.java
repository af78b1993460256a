package io.tradestate.reader.operations;

import io.tradestate.reader.ReaderConfiguration;
import io.tradestate.reader.ReaderContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics endpoint listens on loopback unless configured otherwise: with the default {@code metrics.host} it is
 * bound to 127.0.0.1, and a connection to the host's other addresses is refused; with {@code 0.0.0.0} it is bound to
 * every address, and one of the host's own addresses reaches it.
 */
class MetricsServerBindingTest
{
    @Test
    void shouldListenOnLoopbackOnlyByDefault() throws IOException
    {
        final ReaderContext context = ReaderContext.load(null, Map.of())
            .set(ReaderConfiguration.METRICS_PORT, "0").conclude();
        assertEquals("127.0.0.1", context.metricsHost());

        try (MetricsServer server = new MetricsServer(context.metricsHost(), context.metricsPort(), null, null, null))
        {
            final InetSocketAddress address = server.address();
            assertTrue(address.getAddress().isLoopbackAddress(), address.toString());
            assertEquals("127.0.0.1", address.getAddress().getHostAddress());
            connect(InetAddress.getLoopbackAddress(), address.getPort());

            final InetAddress external = nonLoopbackAddress();
            if (null != external)
            {
                assertThrows(IOException.class, () -> connect(external, address.getPort()),
                    "reached on " + external);
            }
        }
    }

    @Test
    void shouldListenOnTheConfiguredAddress() throws IOException
    {
        final ReaderContext context = ReaderContext.load(null, Map.of("TRADESTATE_METRICS_HOST", "0.0.0.0"))
            .set(ReaderConfiguration.METRICS_PORT, "0").conclude();

        try (MetricsServer server = new MetricsServer(context.metricsHost(), context.metricsPort(), null, null, null))
        {
            final InetSocketAddress address = server.address();
            assertTrue(address.getAddress().isAnyLocalAddress(), address.toString());
            connect(InetAddress.getLoopbackAddress(), address.getPort());
            final InetAddress external = nonLoopbackAddress();
            if (null != external)
            {
                connect(external, address.getPort());
            }
        }
    }

    private static void connect(final InetAddress host, final int port) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(host, port), 2_000);
        }
    }

    /**
     * An IPv4 address of this host's that is not loopback, or null on a host without one.
     */
    private static InetAddress nonLoopbackAddress() throws IOException
    {
        for (final NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            if (!networkInterface.isUp() || networkInterface.isLoopback())
            {
                continue;
            }
            for (final InetAddress address : Collections.list(networkInterface.getInetAddresses()))
            {
                if (address instanceof Inet4Address && !address.isLoopbackAddress())
                {
                    return address;
                }
            }
        }
        return null;
    }
}

package io.tradestate.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a report says about the machine and the JVM it ran on, read once from {@code /proc} and the JVM's beans.
 *
 * @param host        host name.
 * @param cpuModel    CPU model name.
 * @param cores       processors available to the JVM.
 * @param memory      total memory, as {@code /proc/meminfo} has it.
 * @param kernel      operating system and kernel version.
 * @param jdk         JDK version, VM and vendor.
 * @param gc          garbage collectors of a JVM started with the harnesses' flags (this one's).
 * @param loadAverage load average when read.
 */
public record MachineInfo(
    String host, String cpuModel, int cores, String memory, String kernel, String jdk, String gc, String loadAverage)
{
    /**
     * This machine, now.
     *
     * @return its description.
     */
    public static MachineInfo current()
    {
        return new MachineInfo(
            hostName(),
            procField("/proc/cpuinfo", "model name"),
            Runtime.getRuntime().availableProcessors(),
            procField("/proc/meminfo", "MemTotal"),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" +
                System.getProperty("os.arch") + ")",
            String.format(Locale.ROOT, "%s %s (%s)", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vendor")),
            ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", ")),
            loadAverageNow());
    }

    /**
     * The host name as a folder name: lower case letters, digits and dashes.
     *
     * @return the name.
     */
    public String folderName()
    {
        final String name = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return name.isEmpty() ? "machine" : name;
    }

    /**
     * The load average now, three figures.
     *
     * @return e.g. {@code 0.52 0.61 0.70}, or {@code unknown}.
     */
    public static String loadAverageNow()
    {
        try
        {
            final String[] fields = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    private static String hostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final UnknownHostException ex)
        {
            final String name = System.getenv("HOSTNAME");
            return null == name ? "localhost" : name;
        }
    }

    private static String procField(final String file, final String name)
    {
        final Path path = Paths.get(file);
        try (Stream<String> lines = Files.lines(path))
        {
            return lines.filter((line) -> line.startsWith(name)).findFirst()
                .map((line) -> line.substring(line.indexOf(':') + 1).trim()).orElse("n/a");
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return "n/a";
        }
    }
}

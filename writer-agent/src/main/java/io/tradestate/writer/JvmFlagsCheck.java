package io.tradestate.writer;

import io.tradestate.files.ChronicleDefaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to open a journal or a state view in a JVM started without the {@code --add-exports} and
 * {@code --add-opens} flags that Chronicle and Agrona need, with a message naming the missing flags.
 * <p>
 * Without them Chronicle fails deep inside its first memory mapping with
 * {@code AssertionError: java.lang.IllegalAccessException: member is private: sun.nio.ch.FileChannelImpl.map0}, which
 * names no flag. This check asks the JVM what it grants ({@link Module#isExported(String, Module)},
 * {@link Module#isOpen(String, Module)} to the module of this class, the unnamed one on the class path), not what the
 * command line says, so flags given through {@code JDK_JAVA_OPTIONS}, an {@code @argfile} or a jar manifest count
 * too. It covers the exports and opens of {@code deploy/jvm.options}; the flags that only silence warnings
 * ({@code --enable-native-access}, {@code --sun-misc-unsafe-memory-access}) are not checked, and the system properties
 * are set by {@link ChronicleDefaults} anyway. The journal does not need the {@code jdk.compiler} flags (nor a full
 * JDK); the state view does: Chronicle Map compiles code at run time.
 * <p>
 * Public only because the state view lives in another package; a strategy need not call it, {@code open} does.
 */
public final class JvmFlagsCheck
{
    /**
     * The exports and opens every TradeState JVM needs, as in {@code deploy/jvm.options}: module, package, opened.
     */
    private static final String[][] CHRONICLE_FLAGS =
    {
        { "java.base", "jdk.internal.misc", "export" },
        { "java.base", "jdk.internal.ref", "export" },
        { "java.base", "jdk.internal.util", "export" },
        { "java.base", "sun.nio.ch", "export" },
        { "jdk.unsupported", "sun.misc", "export" },
        { "java.base", "java.lang", "open" },
        { "java.base", "java.lang.reflect", "open" },
        { "java.base", "java.io", "open" },
        { "java.base", "java.util", "open" },
    };

    /**
     * What Chronicle Map's run-time compilation needs besides: only a full JDK has the module.
     */
    private static final String[][] COMPILER_FLAGS =
    {
        { "jdk.compiler", "com.sun.tools.javac.file", "export" },
        { "jdk.compiler", "com.sun.tools.javac", "open" },
    };

    private static final String COMPILER_MODULE = "jdk.compiler";

    private JvmFlagsCheck()
    {
    }

    /**
     * Check the flags a journal needs; {@link TradeJournal#open(JournalContext)} calls it first.
     *
     * @throws IllegalStateException naming the missing flags and {@code tradestate-jvm-flags}.
     */
    public static void verifyForJournal()
    {
        verify("TradeJournal.open", false);
    }

    /**
     * Check the flags a state view needs, the {@code jdk.compiler} ones included; {@code TradeStateView.open} calls it
     * first.
     *
     * @throws IllegalStateException naming the missing flags and {@code tradestate-jvm-flags}, and saying so when
     *                               this runtime is not a full JDK.
     */
    public static void verifyForStateView()
    {
        verify("TradeStateView.open", true);
    }

    static void verify(final String opener, final boolean stateMaps)
    {
        final List<String> missing = missingFlags(JvmFlagsCheck.class.getModule(), stateMaps);
        if (!missing.isEmpty())
        {
            final boolean noCompiler = stateMaps && ModuleLayer.boot().findModule(COMPILER_MODULE).isEmpty();
            throw new IllegalStateException(message(opener, missing, noCompiler));
        }
    }

    /**
     * The flags, as written in {@code deploy/jvm.options}, that do not hold for a module in this JVM.
     *
     * @param target    the module that needs the access: Chronicle's, the unnamed module on the class path.
     * @param stateMaps whether the {@code jdk.compiler} flags count too.
     * @return the missing flags, in the order of {@code deploy/jvm.options}'s groups.
     */
    static List<String> missingFlags(final Module target, final boolean stateMaps)
    {
        final List<String> missing = new ArrayList<>();
        addMissing(CHRONICLE_FLAGS, target, missing);
        if (stateMaps)
        {
            addMissing(COMPILER_FLAGS, target, missing);
        }
        return missing;
    }

    /**
     * Every flag this class checks, in {@code deploy/jvm.options}'s spelling, for the test that keeps the two equal.
     *
     * @return the flags.
     */
    static List<String> checkedFlags()
    {
        final List<String> flags = new ArrayList<>();
        for (final String[][] group : new String[][][] { CHRONICLE_FLAGS, COMPILER_FLAGS })
        {
            for (final String[] flag : group)
            {
                flags.add(flag(flag));
            }
        }
        return flags;
    }

    static String message(final String opener, final List<String> missing, final boolean noCompiler)
    {
        final StringBuilder message = new StringBuilder(512)
            .append(opener).append(": this JVM was started without flags that Chronicle and Agrona need (without them")
            .append(" the first memory mapping fails): ").append(String.join(" ", missing))
            .append(". Start the JVM with every flag deploy/bin/tradestate-jvm-flags prints for its Java (the lines")
            .append(" of deploy/jvm.options): java $(tradestate-jvm-flags) -cp ..., or in Surefire's argLine or")
            .append(" Gradle's jvmArgs (README, \"Use it from your strategy\").");
        if (noCompiler)
        {
            message.append(" This runtime has no module ").append(COMPILER_MODULE)
                .append(": the state view's Chronicle Map compiles code at run time and needs a full JDK 17+, not a")
                .append(" JRE.");
        }
        return message.toString();
    }

    private static void addMissing(final String[][] flags, final Module target, final List<String> missing)
    {
        for (final String[] flag : flags)
        {
            final Optional<Module> module = ModuleLayer.boot().findModule(flag[0]);
            final boolean granted = module.isPresent() && ("open".equals(flag[2]) ?
                module.get().isOpen(flag[1], target) : module.get().isExported(flag[1], target));
            if (!granted)
            {
                missing.add(flag(flag));
            }
        }
    }

    private static String flag(final String[] flag)
    {
        return ("open".equals(flag[2]) ? "--add-opens=" : "--add-exports=") + flag[0] + "/" + flag[1] +
            "=ALL-UNNAMED";
    }
}

package io.tradestate.tools;

import java.io.PrintStream;
import java.util.Map;

/**
 * A subcommand of {@code tradestate} once picocli has filled its options in: it validates them and runs. The
 * options classes ({@link DumpOptions}, {@link VerifyOptions} ...) are picocli {@code @Command} classes and implement
 * it; {@link ToolsMain} runs whichever the command line names.
 */
public interface ToolCommand
{
    /**
     * Validate the options and run the tool.
     *
     * @param out         where the output goes.
     * @param err         where errors go.
     * @param environment where {@value VerifyOptions#PASSWORD_ENV} is looked up.
     * @return the exit code; 2 for an invalid option, with a message naming it on {@code err}.
     */
    int run(PrintStream out, PrintStream err, Map<String, String> environment);

    /**
     * Whether the command asked for the INFO log; the others log warnings and errors only.
     *
     * @return false unless the command has a {@code --verbose} given.
     */
    default boolean verbose()
    {
        return false;
    }
}

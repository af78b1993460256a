package io.tradestate.reader;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an in-process agent logs during a test: the log lines go to {@link System#err} as each is written (see
 * {@code LineLogger}), so this extension puts a tee there before each test and the original back after it.
 * <pre>
 * &#64;RegisterExtension
 * final CapturedLog log = new CapturedLog();
 * ...
 * assertEquals(1, log.errorLines().size());
 * </pre>
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback
{
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    /**
     * {@inheritDoc}
     */
    public void beforeEach(final ExtensionContext extensionContext)
    {
        original = System.err;
        final PrintStream through = original;
        System.setErr(new PrintStream(new OutputStream()
        {
            public void write(final int b)
            {
                through.write(b);
                synchronized (captured)
                {
                    captured.write(b);
                }
            }

            public void write(final byte[] bytes, final int offset, final int length)
            {
                through.write(bytes, offset, length);
                synchronized (captured)
                {
                    captured.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    /**
     * {@inheritDoc}
     */
    public void afterEach(final ExtensionContext extensionContext)
    {
        System.setErr(original);
    }

    /**
     * The lines logged at level ERROR so far.
     *
     * @return the lines, in order.
     */
    public List<String> errorLines()
    {
        final String text;
        synchronized (captured)
        {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        final List<String> errors = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (line.contains("[ERROR]"))
            {
                errors.add(line);
            }
        }
        return errors;
    }
}

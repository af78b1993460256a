package io.tradestate.tools;

import java.io.Writer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A writer that hands each complete line to another thread as soon as its separator is written, whether or not the
 * writer is flushed, so that a test can wait for a line without guessing how long the dump takes.
 */
final class LineQueueWriter extends Writer
{
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    public synchronized void write(final char[] chars, final int offset, final int length)
    {
        for (int i = offset; i < offset + length; i++)
        {
            if ('\n' == chars[i])
            {
                lines.add(partial.toString());
                partial.setLength(0);
            }
            else
            {
                partial.append(chars[i]);
            }
        }
    }

    public void flush()
    {
    }

    public void close()
    {
    }

    /**
     * The next line, waiting for it up to a bound far above any expected delay: the bound only turns a hang into a
     * failure.
     */
    String nextLine() throws InterruptedException
    {
        final String line = lines.poll(30, TimeUnit.SECONDS);
        if (null == line)
        {
            throw new AssertionError("no line printed within 30 s");
        }
        return line;
    }

    int pendingLines()
    {
        return lines.size();
    }
}

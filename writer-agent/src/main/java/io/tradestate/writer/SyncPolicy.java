package io.tradestate.writer;

/**
 * When appended events are forced from the page cache to the disk.
 * <p>
 * Whatever the policy, an event is in the memory-mapped queue file when {@link JournalEvent#commit()} returns, so
 * it survives the writing process being killed (even {@code kill -9}): the kernel owns the page. The policy decides
 * what survives a power loss or a kernel crash, and what it costs the appending thread.
 */
public enum SyncPolicy
{
    /**
     * Never force: the kernel writes dirty pages back on its own schedule (about 30 s on Linux by default). A power
     * loss can lose the events of that window. The append never waits on the disk.
     */
    NONE,

    /**
     * A background thread forces the current cycle file to disk every {@code syncIntervalMs}. A power loss loses at
     * most the events of the last interval plus one sync; the append never waits on the disk, but may take a minor
     * page fault when it writes to a page that was just written back.
     */
    INTERVAL,

    /**
     * The appending thread forces the file (msync of what it wrote) after every {@code syncEveryAppends} of its
     * commits; only the commit that triggers the sync waits for the disk. A power loss loses at most that many
     * events per appending thread.
     */
    EVERY_N_APPENDS,

    /**
     * The appending thread forces the file after every commit: when {@link JournalEvent#commit()} returns the event
     * is on disk. Every append waits for the disk, typically tens of microseconds to milliseconds.
     */
    EVERY_APPEND
}

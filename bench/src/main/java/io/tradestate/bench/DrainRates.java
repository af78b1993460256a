package io.tradestate.bench;

/**
 * The rates of one variant of {@link DrainThroughputHarness}, measured in one round or the medians of several.
 *
 * @param eventsPerS       events stored per second, from the start to the last event.
 * @param steadyEventsPerS events per second after the first second; NaN for a variant under 2 s.
 * @param elapsedS         seconds from the start to the last event.
 * @param firstCommitS     seconds from the start to the first events seen stored.
 */
record DrainRates(double eventsPerS, double steadyEventsPerS, double elapsedS, double firstCommitS)
{
    /**
     * The rates of a run.
     *
     * @param progress of the run, ended.
     * @return its rates.
     */
    static DrainRates of(final DrainProgress progress)
    {
        return new DrainRates(progress.eventsPerSecond(), progress.steadyEventsPerSecond(),
            progress.elapsedNs() / 1e9, progress.firstEventsNs() / 1e9);
    }
}

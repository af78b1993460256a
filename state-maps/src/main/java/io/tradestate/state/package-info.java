/**
 * Internal: the state maps' file format, owned here once. {@link io.tradestate.state.StateLayout} (keys and values),
 * {@link io.tradestate.state.StateGeneration} (one generation's four Chronicle Map files and their bounded-wait
 * lookups), {@link io.tradestate.state.StatePointer} (the {@code maps/current} file),
 * {@link io.tradestate.state.StateRecord} and its marshaller, and {@link io.tradestate.state.StateUpdateRule}, the
 * update-wins rule that the maps and the database's upserts share.
 * <p>
 * Why a module of its own: the format has exactly two users in two modules, the writer agent's
 * {@code TradeStateView}, which reads the maps in a strategy's JVM, and the reader agent's state publisher, which
 * writes them. Kept in the writer agent it had to be public there, so a strategy saw it beside the API it is meant to
 * use; package-private in one module is impossible with users in two. Here it is public only to those two (and to the
 * tools' {@code tradestate state}, which prints the lock slots' fields), and no public signature of the writer agent
 * names a type of it. Not an API: it changes with the format, without notice.
 */
package io.tradestate.state;
